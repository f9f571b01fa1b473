"""Give a long-running wizard server's memory back: collect cyclic garbage, then trim the heap.

Why this exists: the wizard turns off Streamlit's full ``gc.collect()`` after every script run
(``runner.postScriptGC = false`` in .streamlit/config.toml), because with the wizard's heap it
cost over half of a step's server time. But every run leaves reference cycles behind (its
``ScriptRunner`` with its thread, executor and locks, and the page's module, whose functions
point back at its globals: ~230 objects a run), Python's own collector makes a full pass only
once the long-lived objects have grown by a quarter, and glibc keeps what a pass freed in its
per-thread arenas instead of returning it. With 50 sessions opened four at a time the server
grew by ~5 MB per session although a session's live objects are ~0.7 MB (tracemalloc).

Two remedies, both cheap where users would notice:

* after every full collection (Python's own or ours), ``malloc_trim(0)`` returns the freed
  heap to the system (3–20 ms at 10–50 sessions; a hook in ``gc.callbacks``);
* a daemon thread makes a full collection when the server has gone quiet: the interpreter
  made young collections since the last pass but none in the last `CHECK_EVERY` seconds
  (fewer than ~700 new container objects: no script is running). A full pass holds the GIL
  (150–280 ms of CPU at 10–50 sessions on this project's 2-core machines), so it is never
  made while users are clicking; under a steady load Python's own full collections, now
  followed by the trim, keep the heap bounded.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Final

log = logging.getLogger(__name__)

#: Seconds between two looks at the interpreter's collection count.
CHECK_EVERY: Final = 1.0

_started: list[threading.Thread] = []
_start_lock = threading.Lock()


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


_TRIM: Final = _malloc_trim()


def trim_heap() -> bool:
    """Return the C heap's free memory to the system; False where the C library cannot."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


def _trim_after_full_collection(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info.get("generation") == 2:
        trim_heap()


def young_collections() -> int:
    """How many generation-0 collections the interpreter has made: the count grows only while
    objects that can form cycles are being allocated, so an unchanged count means no script
    ran (and nothing new can have become garbage)."""
    return int(gc.get_stats()[0]["collections"])


def collect_once() -> float:
    """One full collection (the hook then trims the heap); the CPU seconds it took."""
    start = time.thread_time()
    gc.collect()
    return time.thread_time() - start


def _collect_when_quiet(stop: threading.Event) -> None:
    collected = previous = young_collections()
    while not stop.wait(CHECK_EVERY):
        now = young_collections()
        quiet, previous = now == previous, now
        if quiet and now != collected:
            took = collect_once()
            collected = previous = young_collections()
            log.debug("memory: full collection and heap trim in %.1f ms", 1000 * took)


def start_collecting(stop: threading.Event | None = None) -> bool:
    """Hook the heap trim into full collections and start the quiet-time collector, once per
    process; False when they already run."""
    with _start_lock:
        if _started and _started[0].is_alive():
            return False
        if _trim_after_full_collection not in gc.callbacks:
            gc.callbacks.append(_trim_after_full_collection)
        thread = threading.Thread(target=_collect_when_quiet, args=(stop or threading.Event(),),
                                  name="memory-collector", daemon=True)
        thread.start()
        _started[:] = [thread]
    return True
