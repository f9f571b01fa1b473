"""Tests of the draft store on every backend: SQLite always, PostgreSQL when configured.

The PostgreSQL parameters come from the ``conftest_postgres`` plugin and are skipped, with a
reason that says how to turn them on, unless ``SELOSTE_TEST_POSTGRES_URL`` is set
(``source .ci/postgres.sh``). Each test gets its own database: a SQLite file in ``tmp_path``
or a fresh PostgreSQL schema.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.engine import make_url

from seloste import drafts
from seloste.drafts import (
    DraftNotFound,
    DraftStore,
    StoredDraft,
    VersionConflict,
    drafts_table,
    is_valid_token,
    lookup_key,
    new_token,
)
from seloste.settings import Settings, get_settings

COMPANY = "Keinuma Oy"
DRAFT = json.dumps({"company": {"name": COMPANY, "city": "Äänekoski"}, "services": ["gmail"]})


def draft_with(counter: int) -> str:
    return json.dumps({"company": {"name": COMPANY}, "counter": counter})


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'drafts.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[DraftStore]:
    with DraftStore(db_url) as opened:
        yield opened


def raw_row(store: DraftStore, token: str) -> dict[str, Any]:
    with store.engine.connect() as connection:
        row = connection.execute(
            select(drafts_table).where(drafts_table.c.key == lookup_key(token))
        ).one()
    return dict(row._mapping)


def set_column(store: DraftStore, token: str, **values: Any) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            update(drafts_table).where(drafts_table.c.key == lookup_key(token)).values(**values)
        )


# --- round trip and versions -------------------------------------------------------------


def test_create_and_load_round_trip(store: DraftStore) -> None:
    before = datetime.now(UTC)
    token, version = store.create(DRAFT, schema_version=3)
    assert version == 1
    assert is_valid_token(token)

    loaded = store.load(token)
    assert isinstance(loaded, StoredDraft)
    assert loaded.json == DRAFT
    assert loaded.schema_version == 3
    assert loaded.version == 1
    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.created_at == loaded.updated_at
    assert before - timedelta(seconds=1) <= loaded.created_at <= datetime.now(UTC)


def test_tokens_are_fresh_for_every_draft(store: DraftStore) -> None:
    tokens = {store.create(DRAFT, 1)[0] for _ in range(5)}
    assert len(tokens) == 5


def test_save_increments_version_and_updates_timestamp(store: DraftStore) -> None:
    token, version = store.create(draft_with(0), 1)
    created = store.load(token)
    assert created is not None

    for expected in range(1, 4):
        version = store.save(token, draft_with(expected), 2, expected_version=version)
        assert version == expected + 1

    loaded = store.load(token)
    assert loaded is not None
    assert loaded.json == draft_with(3)
    assert loaded.version == 4
    assert loaded.schema_version == 2
    assert loaded.created_at == created.created_at
    assert loaded.updated_at >= created.updated_at


def test_stale_save_raises_conflict_and_leaves_row_unchanged(store: DraftStore) -> None:
    token, _ = store.create(draft_with(0), 1)
    store.save(token, draft_with(1), 1, expected_version=1)
    before = raw_row(store, token)

    with pytest.raises(VersionConflict) as excinfo:
        store.save(token, draft_with(99), 1, expected_version=1)

    assert excinfo.value.current_version == 2
    assert raw_row(store, token) == before
    loaded = store.load(token)
    assert loaded is not None
    assert (loaded.json, loaded.version) == (draft_with(1), 2)


def test_save_of_missing_draft_raises_not_found(store: DraftStore) -> None:
    with pytest.raises(DraftNotFound):
        store.save(new_token(), DRAFT, 1, expected_version=1)


def test_delete(store: DraftStore) -> None:
    token, _ = store.create(DRAFT, 1)
    other, _ = store.create(DRAFT, 1)

    assert store.delete(token) is True
    assert store.load(token) is None
    assert store.delete(token) is False
    with pytest.raises(DraftNotFound):
        store.save(token, DRAFT, 1, expected_version=1)
    assert store.load(other) is not None


def test_purge_unused_deletes_old_rows_only(store: DraftStore) -> None:
    now = datetime.now(UTC)
    old, _ = store.create(DRAFT, 1)
    recent, _ = store.create(DRAFT, 1)
    fresh, _ = store.create(DRAFT, 1)
    # created long ago but saved recently: kept, because age counts from the last save
    set_column(
        store, old, updated_at=now - timedelta(days=91), created_at=now - timedelta(days=400)
    )
    set_column(
        store, recent, updated_at=now - timedelta(days=89), created_at=now - timedelta(days=400)
    )

    assert store.purge_unused(timedelta(days=90)) == 1

    assert store.load(old) is None
    assert store.load(recent) is not None
    assert store.load(fresh) is not None
    assert store.purge_unused(timedelta(days=90)) == 0


def test_purge_rejects_negative_age(store: DraftStore) -> None:
    with pytest.raises(ValueError):
        store.purge_unused(timedelta(days=-1))


# --- secrecy --------------------------------------------------------------------------------


def assert_secret_free(values: list[Any], token: str) -> None:
    """None of the values contains the token or the company name, in any obvious encoding."""
    needles = [token.encode(), COMPANY.encode(), b"Keinuma", "Äänekoski".encode()]
    for value in values:
        blob = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for needle in needles:
            assert needle not in blob, f"{needle!r} found in a stored value"


def test_no_column_holds_the_token_or_the_draft(store: DraftStore) -> None:
    token, _ = store.create(DRAFT, 1)
    store.save(token, DRAFT, 1, expected_version=1)
    with store.engine.connect() as connection:
        rows = connection.execute(select(drafts_table)).all()
    assert len(rows) == 1
    assert_secret_free(list(rows[0]), token)
    assert rows[0].key == lookup_key(token)


def test_sqlite_file_bytes_hold_neither_token_nor_draft(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(f"sqlite:///{path}")
    token, _ = store.create(DRAFT, 1)
    store.save(token, DRAFT, 1, expected_version=1)

    def files() -> list[Path]:
        return [p for p in tmp_path.iterdir() if p.name.startswith("drafts.sqlite3")]

    assert any(p.name.endswith("-wal") for p in files()), "expected WAL mode"
    assert_secret_free([p.read_bytes() for p in files()], token)  # while open, WAL included
    store.close()
    assert_secret_free([p.read_bytes() for p in files()], token)  # after checkpoint
    assert path.stat().st_size > 0


def test_lookup_key_is_not_the_encryption_key() -> None:
    token = new_token()
    key = lookup_key(token)
    assert len(key) == 64
    int(key, 16)
    assert key != drafts._encryption_key(token).hex()
    assert token not in key


def test_wrong_token_cannot_load(store: DraftStore) -> None:
    token, _ = store.create(DRAFT, 1)
    assert store.load(new_token()) is None
    assert store.load(token) is not None


def test_ciphertext_moved_to_another_row_does_not_decrypt(store: DraftStore) -> None:
    first, _ = store.create(DRAFT, 1)
    second, _ = store.create(json.dumps({"company": {"name": "Other Oy"}}), 1)

    set_column(store, second, ciphertext=raw_row(store, first)["ciphertext"])

    assert store.load(second) is None
    loaded = store.load(first)
    assert loaded is not None
    assert loaded.json == DRAFT


def test_tampered_ciphertext_is_not_found(store: DraftStore) -> None:
    token, _ = store.create(DRAFT, 1)
    blob = bytearray(raw_row(store, token)["ciphertext"])
    blob[-1] ^= 0x01
    set_column(store, token, ciphertext=bytes(blob))
    assert store.load(token) is None
    set_column(store, token, ciphertext=b"short")
    assert store.load(token) is None


def _non_canonical(token: str) -> str:
    """Same 32 bytes, different text: flip an unused low bit of the last character."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return token[:-1] + alphabet[alphabet.index(token[-1]) ^ 1]


def test_malformed_tokens_never_reach_the_database(store: DraftStore) -> None:
    token, _ = store.create(DRAFT, 1)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        bad = [
            "",
            "abc",
            token + "A",
            token[:-1],
            token[:-1] + "!",
            token[:-1] + "=",
            " " + token[1:],
            _non_canonical(token),
            "' OR 1=1 --" + "x" * 32,
        ]
        for candidate in bad:
            assert not is_valid_token(candidate), candidate
            assert store.load(candidate) is None
            with pytest.raises(DraftNotFound):
                store.save(candidate, DRAFT, 1, expected_version=1)
            assert store.delete(candidate) is False
        assert not is_valid_token(None)
        assert not is_valid_token(token.encode())
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert statements == []
    assert store.load(token) is not None


# --- concurrency ----------------------------------------------------------------------------


def test_concurrent_saves_exactly_one_wins_per_version(db_url: str) -> None:
    rounds = 25
    with DraftStore(db_url) as first_store, DraftStore(db_url) as second_store:
        token, _ = first_store.create(draft_with(0), 1)
        barrier = threading.Barrier(2, timeout=30)
        outcomes: dict[str, list[int | VersionConflict]] = {"a": [], "b": []}

        def worker(name: str, store: DraftStore) -> None:
            for n in range(rounds):
                barrier.wait()
                try:
                    outcomes[name].append(store.save(token, f'{{"{name}": {n}}}', 1, n + 1))
                except VersionConflict as conflict:
                    outcomes[name].append(conflict)

        threads = [
            threading.Thread(target=worker, args=("a", first_store)),
            threading.Thread(target=worker, args=("b", second_store)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)

        last_winner = ""
        for n in range(rounds):
            pair = {"a": outcomes["a"][n], "b": outcomes["b"][n]}
            winners = [name for name, outcome in pair.items() if outcome == n + 2]
            losers = [
                name
                for name, outcome in pair.items()
                if isinstance(outcome, VersionConflict) and outcome.current_version == n + 2
            ]
            assert len(winners) == 1 and len(losers) == 1, (n, pair)
            last_winner = winners[0]

        loaded = first_store.load(token)
        assert loaded is not None
        assert loaded.version == rounds + 1
        assert loaded.json == f'{{"{last_winner}": {rounds - 1}}}'


def _increment(store: DraftStore, token: str, times: int) -> int:
    """Load-modify-save with retry on conflict, as the web layer would; returns conflicts."""
    conflicts = 0
    done = 0
    while done < times:
        loaded = store.load(token)
        assert loaded is not None
        counter = json.loads(loaded.json)["counter"]
        try:
            store.save(token, draft_with(counter + 1), 1, loaded.version)
        except VersionConflict:
            conflicts += 1
            continue
        done += 1
    return conflicts


def test_no_lost_updates_under_contention(db_url: str) -> None:
    workers, times = 4, 15
    stores = [DraftStore(db_url) for _ in range(workers)]
    try:
        token, _ = stores[0].create(draft_with(0), 1)
        threads = [
            threading.Thread(target=_increment, args=(store, token, times)) for store in stores
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        loaded = stores[0].load(token)
        assert loaded is not None
        assert json.loads(loaded.json)["counter"] == workers * times
        assert loaded.version == workers * times + 1
    finally:
        for store in stores:
            store.close()


def _process_worker(url: str, token: str, times: int) -> None:
    with DraftStore(url) as store:
        _increment(store, token, times)


def test_two_processes_share_a_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    with DraftStore(url) as store:
        token, _ = store.create(draft_with(0), 1)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_process_worker, args=(url, token, 20)) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0, 0]
    with DraftStore(url) as store:
        loaded = store.load(token)
    assert loaded is not None
    assert json.loads(loaded.json)["counter"] == 40


# --- construction and settings ----------------------------------------------------------------


def test_create_all_is_idempotent(db_url: str) -> None:
    with DraftStore(db_url) as first:
        token, _ = first.create(DRAFT, 1)
    with DraftStore(db_url) as second:
        assert second.load(token) is not None


def test_sqlite_folder_is_created_and_wal_is_on(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "drafts.sqlite3"
    with DraftStore(f"sqlite:///{path}") as store:
        assert path.exists()
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert store.backend == "sqlite"


def test_in_memory_sqlite_works_across_threads() -> None:
    with DraftStore("sqlite://") as store:
        token, _ = store.create(DRAFT, 1)
        seen: list[StoredDraft | None] = []
        thread = threading.Thread(target=lambda: seen.append(store.load(token)))
        thread.start()
        thread.join()
        assert seen[0] is not None


def test_bare_postgresql_url_gets_psycopg() -> None:
    url = drafts._normalise_url("postgresql://u:p@localhost/db")
    assert url.drivername == "postgresql+psycopg"
    assert drafts._normalise_url("sqlite:///x.db").drivername == "sqlite"


def test_repr_hides_password() -> None:
    with DraftStore("sqlite://") as store:
        assert "sqlite" in repr(store)
    store = DraftStore.__new__(DraftStore)
    store._url = make_url("postgresql+psycopg://user:hunter2@db/x")
    assert "hunter2" not in repr(store)


def test_settings_defaults() -> None:
    settings = get_settings({})
    assert settings == Settings(
        database_url="sqlite:///data/drafts.sqlite3",
        data_dir=Path("data"),
        server_storage=True,
        draft_retention_days=90,
        max_upload_bytes=1_000_000,
    )


def test_settings_from_environment(tmp_path: Path) -> None:
    settings = get_settings(
        {
            "SELOSTE_DATA_DIR": str(tmp_path),
            "SELOSTE_SERVER_STORAGE": "Off",
            "SELOSTE_DRAFT_RETENTION_DAYS": "30",
            "SELOSTE_MAX_UPLOAD_BYTES": "2_000",
        }
    )
    assert settings.database_url == f"sqlite:///{tmp_path.as_posix()}/drafts.sqlite3"
    assert settings.server_storage is False
    assert settings.draft_retention_days == 30
    assert settings.max_upload_bytes == 2000
    assert get_settings({"SELOSTE_DATABASE_URL": "postgresql://h/db"}).database_url == (
        "postgresql://h/db"
    )


@pytest.mark.parametrize("word", ["0", "off", "FALSE", "no", " false "])
def test_server_storage_can_be_turned_off(word: str) -> None:
    assert get_settings({"SELOSTE_SERVER_STORAGE": word}).server_storage is False


@pytest.mark.parametrize("word", ["1", "on", "true", "yes", ""])
def test_server_storage_stays_on(word: str) -> None:
    assert get_settings({"SELOSTE_SERVER_STORAGE": word}).server_storage is True


@pytest.mark.parametrize("value", ["ninety", "-1", "0", "1.5"])
def test_bad_numbers_fail_loudly(value: str) -> None:
    with pytest.raises(ValueError, match="SELOSTE_DRAFT_RETENTION_DAYS"):
        get_settings({"SELOSTE_DRAFT_RETENTION_DAYS": value})


def test_settings_are_frozen() -> None:
    settings = get_settings({})
    with pytest.raises(AttributeError):
        settings.server_storage = False  # type: ignore[misc]


def test_from_settings_uses_the_configured_file(tmp_path: Path) -> None:
    settings = get_settings({"SELOSTE_DATA_DIR": str(tmp_path / "data")})
    with DraftStore.from_settings(settings) as store:
        token, _ = store.create(DRAFT, 1)
        assert store.load(token) is not None
    assert (tmp_path / "data" / "drafts.sqlite3").exists()
