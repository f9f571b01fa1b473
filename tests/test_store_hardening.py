"""Issue #20: the draft store is no free disk, no shared cache to reset, and never hangs a tab.

* Streamlit's ``clear_cache`` (any websocket client can send it) no longer drops the store.
* PostgreSQL: a server that accepts the connection and never answers gives an error within the
  connect timeout, and a store call has a deadline (`StoreTimeout`); the pool is bounded.
* Opening a link counts as use for the purge; a deleted draft is gone from the SQLite files.
* One session cannot create drafts without end; the wizard never saves or exports a draft file
  its own import would refuse.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from test_web_support import goto, new_app, ok

from seloste import drafts as drafts_module
from seloste import limits
from seloste.draft_file import dump_draft
from seloste.drafts import DraftStore, StoreTimeout, drafts_table, lookup_key
from seloste.examples import load_example
from seloste.model import SCHEMA_VERSION
from seloste.web import autosave

NAME = "Quillvane Ostrarik Oy"


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path.as_posix()}/drafts.sqlite3"
    monkeypatch.setenv("SELOSTE_DATABASE_URL", url)
    monkeypatch.delenv("SELOSTE_SERVER_STORAGE", raising=False)
    monkeypatch.delenv("SELOSTE_DRAFT_RETENTION_DAYS", raising=False)
    yield url


# ---------------------------------------------------------------- no anonymous cache reset


def test_clear_cache_does_not_drop_the_draft_store(sqlite_url: str) -> None:
    first = autosave._open_store(sqlite_url)
    st.cache_resource.clear()  # what Streamlit does for a client's clear_cache message
    st.cache_data.clear()
    assert autosave._open_store(sqlite_url) is first


# ---------------------------------------------------------------- PostgreSQL never hangs a tab


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never says a word (a hung PostgreSQL)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join(timeout=5)
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.timeout(120)
def test_a_postgresql_that_never_answers_fails_within_the_connect_timeout(
        silent_server: int) -> None:
    url = f"postgresql+psycopg://u:p@127.0.0.1:{silent_server}/db"
    started = time.monotonic()
    with pytest.raises((OperationalError, StoreTimeout)):
        DraftStore(url)
    waited = time.monotonic() - started
    print(f"\nhung PostgreSQL: error after {waited:.1f} s "
          f"(connect timeout {drafts_module.PG_CONNECT_TIMEOUT_S} s)")
    assert waited < drafts_module.PG_CALL_DEADLINE_S + 10  # a liveness bound, not a benchmark


def test_a_store_call_has_a_deadline_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    """A frozen server with an open connection: the call itself never returns."""
    store = DraftStore.__new__(DraftStore)
    store.call_deadline_s = 0.5
    import concurrent.futures

    store._workers = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    release = threading.Event()

    def hang(self: DraftStore, token: str) -> None:
        release.wait(30)

    try:
        with pytest.raises(StoreTimeout, match="did not answer"):
            drafts_module._with_deadline(hang)(store, "x")  # type: ignore[arg-type]
    finally:
        release.set()
        store._workers.shutdown(wait=True)


def test_the_postgresql_pool_is_bounded_and_timeouts_are_set() -> None:
    from sqlalchemy.engine import make_url

    engine = drafts_module._make_engine(make_url("postgresql+psycopg://u:p@127.0.0.1:1/db"))
    pool = engine.pool
    assert pool.size() == drafts_module.PG_POOL_SIZE  # type: ignore[attr-defined]
    assert pool._max_overflow == drafts_module.PG_MAX_OVERFLOW  # type: ignore[attr-defined]
    assert pool._timeout == drafts_module.PG_POOL_TIMEOUT_S  # type: ignore[attr-defined]
    engine.dispose()


# ---------------------------------------------------------------- drafts are no free disk


def _age(store: DraftStore, token: str, days: int) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(drafts_table).where(drafts_table.c.key == lookup_key(token))
                           .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days)))


def _used_at(store: DraftStore, token: str) -> dt.datetime:
    with store.engine.connect() as connection:
        value = connection.execute(select(drafts_table.c.updated_at)
                                   .where(drafts_table.c.key == lookup_key(token))).scalar_one()
    assert isinstance(value, dt.datetime)
    return value


def test_opening_a_link_counts_as_use_for_the_purge(sqlite_url: str) -> None:
    with DraftStore(sqlite_url) as store:
        envelope = autosave.dump_envelope(autosave.Saved(load_example("keinuma")))
        token, _ = store.create(envelope, SCHEMA_VERSION)
        _age(store, token, 89)
        version = store.load(token).version  # type: ignore[union-attr]
        assert store.load(token, touch=True) is not None
        assert _used_at(store, token) > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        assert store.load(token).version == version  # type: ignore[union-attr]
        assert store.purge_unused(dt.timedelta(days=90)) == 0
        assert store.load(token) is not None


def test_the_link_page_touches_the_draft(sqlite_url: str) -> None:
    from streamlit.testing.v1 import AppTest
    from test_web_support import APP, TIMEOUT

    with DraftStore(sqlite_url) as store:
        token, _ = store.create(
            autosave.dump_envelope(autosave.Saved(load_example("keinuma"))), SCHEMA_VERSION)
        _age(store, token, 80)
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.query_params["draft"] = token
        ok(at.run())
        assert _used_at(store, token) > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)


def test_a_deleted_draft_is_gone_from_the_sqlite_files(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path.as_posix()}/d.sqlite3"
    with DraftStore(url) as store:
        token, _ = store.create("x" * 20_000, SCHEMA_VERSION)
        with store.engine.connect() as connection:
            blob = bytes(connection.execute(select(drafts_table.c.ciphertext)).scalar_one())
        store.engine.dispose()  # checkpoint: the row is in the database file now
        files = list(tmp_path.glob("d.sqlite3*"))
        assert any(blob[100:164] in f.read_bytes() for f in files)
        assert store.delete(token)
        files = list(tmp_path.glob("d.sqlite3*"))
        found = [f.name for f in files if blob[100:164] in f.read_bytes()]
        print(f"\nfiles holding the deleted ciphertext: {found} of {[f.name for f in files]}")
        assert found == []


def test_one_session_cannot_create_drafts_without_end(sqlite_url: str) -> None:
    at = new_app()
    tokens = set()
    for round_ in range(autosave.MAX_NEW_DRAFTS_PER_SESSION + 3):
        if round_:
            goto(at, "start")
            at.button(key="start.new").click()
            ok(at.run())
            if "_pending" in at.session_state:
                at.button(key="start.confirm").click()
                ok(at.run())
        goto(at, "controller")
        at.text_input(key="f.controller.name").input(f"{NAME} {round_}")
        ok(at.run())
        tokens.add(at.session_state["_store_token"])
    with DraftStore(sqlite_url) as store, store.engine.connect() as connection:
        count = len(connection.execute(select(drafts_table.c.key)).all())
    print(f"\nrows after {autosave.MAX_NEW_DRAFTS_PER_SESSION + 3} new drafts: {count}")
    assert count == autosave.MAX_NEW_DRAFTS_PER_SESSION
    assert len(tokens) == autosave.MAX_NEW_DRAFTS_PER_SESSION


def _too_large() -> object:
    notice = load_example("keinuma")
    long_text = "Äö " * (limits.MAX_LONG_TEXT // 3)
    notice.registers = [notice.registers[0].model_copy(
        update={"security_note": long_text, "special_note": long_text})] * 20
    assert len(dump_draft(notice).encode()) > limits.MAX_DRAFT_BYTES
    return notice


def test_a_draft_too_large_to_reopen_is_neither_saved_nor_exported(sqlite_url: str) -> None:
    at = new_app()
    goto(at, "controller")
    at.text_input(key="f.controller.name").input(NAME)
    ok(at.run())
    token = at.session_state["_store_token"]
    with DraftStore(sqlite_url) as store:
        version = store.load(token).version  # type: ignore[union-attr]
        at.session_state["_draft"] = _too_large()
        at.session_state["_revision"] = int(at.session_state["_revision"]) + 1
        goto(at, "start")
        warnings = [str(w.value) for w in at.warning]
        assert any("liian suureksi tallennettavaksi" in w for w in warnings), warnings
        assert any("liian suuri tiedostoksi" in w for w in warnings), warnings
        assert not [b for b in at.get("download_button") if b.proto.id.endswith("draft.export")]
        assert store.load(token).version == version  # type: ignore[union-attr]


# ---------------------------------------------------------------- the purge's schedule


def test_the_purge_runs_at_start_up_and_then_on_a_schedule(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with DraftStore(sqlite_url) as store:
        envelope = autosave.dump_envelope(autosave.Saved(load_example("keinuma")))
        first, _ = store.create(envelope, SCHEMA_VERSION)
        _age(store, first, 91)
        monkeypatch.setattr(autosave, "PURGE_EVERY", dt.timedelta(seconds=0.2))
        try:
            assert autosave.start_purging()  # what the launcher calls before serving
            assert store.load(first) is None  # at start-up, before any visit
            second, _ = store.create(envelope, SCHEMA_VERSION)
            _age(store, second, 91)
            deadline = time.monotonic() + 30
            while store.load(second) is not None:
                assert time.monotonic() < deadline, "the scheduled purge did not run"
                time.sleep(0.1)
        finally:
            autosave.stop_purging()
