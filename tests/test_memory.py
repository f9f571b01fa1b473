"""The server's background memory return (`seloste.web.memory`), exercised in this process."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from typing import Any

import pytest

from seloste.web import memory, serve


class _Cycle:
    """An object that refers to itself: freed only by a cyclic collection, never by refcount."""

    def __init__(self) -> None:
        self.me = self


def _old_garbage() -> weakref.ref[_Cycle]:
    """A cycle that has survived into the oldest generation before becoming garbage, as a
    script run's leftovers do: young collections never look at it again."""
    cycle = _Cycle()
    gc.collect()  # promoted to generation 2 while still referenced
    ref = weakref.ref(cycle)
    del cycle
    return ref


def _unhook() -> None:
    # The interpreter keeps its own reference to gc.callbacks: remove the hook in place.
    while memory._trim_after_full_collection in gc.callbacks:
        gc.callbacks.remove(memory._trim_after_full_collection)


def test_young_collections_count_allocations_only() -> None:
    before = memory.young_collections()
    junk = [[i] for i in range(20_000)]  # ~20,000 new containers: several young collections
    assert memory.young_collections() > before
    del junk
    quiet = memory.young_collections()
    time.sleep(0.05)
    assert memory.young_collections() == quiet


def test_collect_once_frees_old_cycles() -> None:
    ref = _old_garbage()
    gc.collect(0)
    gc.collect(1)
    assert ref() is not None  # young collections do not reach it: this is the pile-up
    assert memory.collect_once() >= 0
    assert ref() is None


def test_a_full_collection_trims_the_heap_and_a_young_one_does_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    trims: list[int] = []
    def trim() -> bool:
        trims.append(1)
        return True

    monkeypatch.setattr(memory, "trim_heap", trim)
    monkeypatch.setattr(memory, "_started", [])
    stop = threading.Event()
    try:
        assert memory.start_collecting(stop)
        assert not memory.start_collecting(stop)  # once per process
        gc.collect(0)
        assert trims == []
        gc.collect()
        assert trims == [1]
    finally:
        stop.set()
        _unhook()


def test_the_collector_frees_garbage_once_the_server_goes_quiet(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "CHECK_EVERY", 0.05)
    monkeypatch.setattr(memory, "_started", [])
    passes: list[float] = []
    collect = memory.collect_once

    def counted() -> float:
        passes.append(1)
        return collect()

    monkeypatch.setattr(memory, "collect_once", counted)
    stop = threading.Event()
    try:
        memory.start_collecting(stop)
        time.sleep(0.3)
        idle_passes = len(passes)
        ref = _old_garbage()
        junk = [[i] for i in range(20_000)]  # a "script run": young collections happen
        del junk
        deadline = time.monotonic() + 5
        while ref() is not None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ref() is None
        assert idle_passes == 0  # nothing ran before: an idle server is left alone
    finally:
        stop.set()
        _unhook()


def test_the_heap_trim_exists_on_this_system() -> None:
    # Debian's glibc has malloc_trim; elsewhere trim_heap is a no-op and says so.
    assert memory.trim_heap() is True


def test_the_launcher_starts_the_collector_for_the_wizard(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.web import cli

    from seloste.web import autosave

    started: list[str] = []
    def starter(name: str) -> Any:
        def start(*_: object) -> bool:
            started.append(name)
            return True
        return start

    monkeypatch.setattr(memory, "start_collecting", starter("collector"))
    monkeypatch.setattr(autosave, "start_purging", starter("purge"))
    monkeypatch.setattr(serve, "install", lambda: None)

    def fake_main(args: list[str], prog_name: str, **_: Any) -> None:
        started.append(args[1])
        raise SystemExit(0)

    monkeypatch.setattr(cli, "main", fake_main)
    assert serve.main([]) == 0
    assert started == ["purge", "collector", str(serve.DEFAULT_SCRIPT)]
    started.clear()
    assert serve.main(["other_app.py"]) == 0
    assert started == ["other_app.py"]  # another script is not the wizard: no collector
