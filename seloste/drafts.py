"""Draft store: keeps a wizard's answers on the server so that a user can come back next year.

Why it looks like this:

* **The link is the key.** A user gets a random token (``secrets.token_urlsafe(32)``, 256 bits)
  in a link; there are no accounts. Whoever holds the link can read and change the draft,
  and nobody else can, including whoever reads the database or its backups.
* **The token is never stored.** The row's primary key is a SHA-256 hash of the token with a
  domain-separation prefix, and the draft JSON is encrypted with AES-256-GCM under a key
  derived from the token with HKDF. The two derivations differ, so knowing a row key tells
  nothing about the encryption key. A leaked database therefore holds no company's answers in
  readable form, and no links that would open them.
* **The row key is the associated data** of the encryption: a ciphertext copied into another
  row does not decrypt, so rows cannot be swapped behind the users' backs.
* **Optimistic concurrency.** Two browser tabs (or two server processes) may save the same
  draft. Each save names the version it started from and the store does an atomic
  compare-and-set (``UPDATE ... WHERE key = ? AND version = ?``); the loser gets
  :class:`VersionConflict` instead of silently overwriting the other tab's work.
* **No oracle.** A malformed token, an unknown token and a ciphertext that fails to decrypt
  all look the same to the caller: "not found". Malformed tokens never reach the database.
* **SQLite by default, PostgreSQL by URL.** SQLite runs in WAL mode with a busy timeout so that
  several server processes can share one file; PostgreSQL is for hosts that already have one.
* **Nobody waits forever.** PostgreSQL gets a connect timeout, a statement and lock timeout and
  a small bounded pool; every call on it also has a deadline in this process
  (:class:`StoreTimeout`), because a frozen server with an open connection never enforces its
  own statement timeout. A user sees "could not save right now" instead of a spinner.
* **Deleted means gone.** SQLite runs with ``secure_delete`` (freed pages are zeroed) and the
  WAL is checkpointed and truncated after a delete or purge, so a deleted draft's ciphertext is
  not left in the database files either. ``updated_at`` is the last *use*: a save, or opening
  the draft by its link (`load(touch=True)`), so the purge deletes what nobody opened.

This module never imports Streamlit: the web layer and the command line both use it.
"""

from __future__ import annotations

import base64
import binascii
import concurrent.futures
import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from seloste.settings import Settings, get_settings

__all__ = [
    "DraftNotFound",
    "DraftStore",
    "DraftStoreError",
    "StoreTimeout",
    "StoredDraft",
    "VersionConflict",
    "drafts_table",
    "is_valid_token",
    "lookup_key",
    "new_token",
]

TOKEN_BYTES: Final = 32
"""Random bytes in a token: 256 bits, far beyond guessing, and the AES-256 key size."""

_TOKEN_RE: Final = re.compile(r"[A-Za-z0-9_-]{43}")  # unpadded urlsafe base64 of 32 bytes
_DOMAIN: Final = b"seloste-draft-v1"
_LOOKUP_PREFIX: Final = _DOMAIN + b"/lookup\x00"
_ENCRYPTION_INFO: Final = _DOMAIN + b"/encryption"
_NONCE_BYTES: Final = 12
_SQLITE_BUSY_TIMEOUT_MS: Final = 15_000
#: PostgreSQL: seconds to connect; server-side statement and lock timeouts (ms).
PG_CONNECT_TIMEOUT_S: Final = 5
PG_STATEMENT_TIMEOUT_MS: Final = 10_000
PG_LOCK_TIMEOUT_MS: Final = 5_000
#: Connections per process: a page run uses one at a time, sessions share them; beyond
#: ``PG_POOL_SIZE + PG_MAX_OVERFLOW`` a call waits ``PG_POOL_TIMEOUT_S`` and then fails, so one
#: process can never take more than 10 of PostgreSQL's (default 100) connections.
PG_POOL_SIZE: Final = 5
PG_MAX_OVERFLOW: Final = 5
PG_POOL_TIMEOUT_S: Final = 10
#: Client-side deadline of one store call on PostgreSQL (connect + statement + margin).
PG_CALL_DEADLINE_S: Final = 20.0
#: A link opened within this long of the last use is not written again.
_TOUCH_AFTER: Final = timedelta(hours=1)


class DraftStoreError(Exception):
    """Base class of the store's own errors, so callers can catch them in one place."""


class DraftNotFound(DraftStoreError, LookupError):
    """No draft for this token: unknown, malformed, deleted, purged or undecryptable.

    The reasons are deliberately indistinguishable so that the store gives no oracle to
    someone probing tokens.
    """


class StoreTimeout(DraftStoreError, TimeoutError):
    """The database did not answer within the deadline (a hung or unreachable server)."""


class VersionConflict(DraftStoreError):
    """The draft was saved elsewhere (another tab or process) since this copy was loaded.

    ``current_version`` lets the caller load the newer draft and tell the user what happened.
    """

    def __init__(self, current_version: int) -> None:
        super().__init__(f"draft was changed elsewhere; its current version is {current_version}")
        self.current_version = current_version


@dataclass(frozen=True)
class StoredDraft:
    """A decrypted draft as loaded from the store.

    ``json`` is the draft exactly as it was saved; the store neither parses nor validates it,
    so the model can change without the store knowing (``schema_version`` tells the caller
    which migration to apply). ``version`` is what the next :meth:`DraftStore.save` must name.
    """

    json: str
    schema_version: int
    version: int
    created_at: datetime
    updated_at: datetime


class _UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always goes in and comes out as timezone-aware UTC.

    SQLite has no time zones and returns naive values, PostgreSQL returns values in the
    session's zone; normalising here means callers and comparisons (``purge_unused``) never
    mix naive and aware datetimes. Values are stored as naive UTC on SQLite so that its
    string comparison orders them correctly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the draft store; use UTC-aware values")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata: Final = MetaData()

drafts_table: Final = Table(
    "drafts",
    metadata,
    Column("key", String(64), primary_key=True, comment="hex SHA-256 of the token, not the token"),
    Column("ciphertext", LargeBinary, nullable=False, comment="12-byte nonce + AES-GCM output"),
    Column("schema_version", Integer, nullable=False),
    Column("created_at", _UTCDateTime, nullable=False),
    Column("updated_at", _UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_drafts_updated_at", "updated_at"),  # purge_unused scans by age
)


def new_token() -> str:
    """Return a fresh random token (43 characters, safe in a URL query without escaping)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_valid_token(token: object) -> bool:
    """Whether ``token`` has the exact shape :func:`new_token` produces.

    Checked before any database access so that junk from a URL never reaches SQL. The
    canonical re-encoding check rejects the variants that differ only in the last
    character's unused bits; otherwise two different-looking links would open one draft.
    """
    if not isinstance(token, str) or _TOKEN_RE.fullmatch(token) is None:
        return False
    try:
        raw = base64.urlsafe_b64decode(token + "=")
    except (binascii.Error, ValueError):
        return False
    return len(raw) == TOKEN_BYTES and base64.urlsafe_b64encode(raw).rstrip(b"=") == (
        token.encode("ascii")
    )


def lookup_key(token: str) -> str:
    """Row key for ``token``: hex SHA-256 over a domain-separated input.

    The prefix makes this hash unrelated to the HKDF output used for encryption, so a row
    key (which any database reader sees) reveals nothing about the encryption key.
    """
    return hashlib.sha256(_LOOKUP_PREFIX + token.encode("ascii")).hexdigest()


def _encryption_key(token: str) -> bytes:
    """AES-256 key for ``token``'s draft (HKDF-SHA256 with a fixed salt and info)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_DOMAIN, info=_ENCRYPTION_INFO)
    return hkdf.derive(token.encode("ascii"))


def _encrypt(token: str, key: str, draft_json: str) -> bytes:
    """Encrypt with a fresh random nonce; the row key is bound in as associated data."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(_encryption_key(token)).encrypt(
        nonce, draft_json.encode("utf-8"), key.encode("ascii")
    )
    return nonce + sealed


def _decrypt(token: str, key: str, blob: bytes) -> str | None:
    """Decrypt, or ``None`` on any failure (the caller reports "not found", nothing more)."""
    if len(blob) < _NONCE_BYTES + 16:  # 16 = GCM tag
        return None
    nonce, sealed = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
    try:
        plain = AESGCM(_encryption_key(token)).decrypt(nonce, sealed, key.encode("ascii"))
        return plain.decode("utf-8")
    except (InvalidTag, UnicodeDecodeError):
        return None


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _normalise_url(url: str) -> URL:
    """Parse ``url``; a bare ``postgresql://`` (as hosting platforms hand out) gets psycopg 3.

    SQLAlchemy would otherwise pick psycopg2, which is not a dependency.
    """
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_is_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or "mode=memory" in str(url)


def _make_engine(url: URL) -> Engine:
    """Create the engine with the per-backend settings that multi-process use needs."""
    if url.get_backend_name() != "sqlite":
        # pre_ping: a PostgreSQL restart should cost one reconnect, not a user's save.
        pg = create_engine(
            url, pool_pre_ping=True, pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW,
            pool_timeout=PG_POOL_TIMEOUT_S, connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S})

        @event.listens_for(pg, "connect")
        def _pg_timeouts(dbapi_connection: Any, _record: Any) -> None:
            # SET rather than the ``options`` startup parameter, which PgBouncer refuses.
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute(f"SET statement_timeout = {PG_STATEMENT_TIMEOUT_MS}")
                cursor.execute(f"SET lock_timeout = {PG_LOCK_TIMEOUT_MS}")
            finally:
                cursor.close()
            dbapi_connection.commit()

        return pg

    if _sqlite_is_memory(url):
        # One shared connection, or every pooled connection would see its own empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        database = url.database or ""
        if not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # busy_timeout first: switching to WAL needs a lock another process may hold.
        # WAL lets readers go on while one process writes; the timeout makes a second
        # writer wait for the lock instead of failing with "database is locked".
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
            # A deleted draft's bytes are overwritten with zeros, not left in free pages.
            cursor.execute("PRAGMA secure_delete = ON")
            if not _sqlite_is_memory(url):
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    return engine


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _with_deadline(
    method: Callable[Concatenate[DraftStore, _P], _R],
) -> Callable[Concatenate[DraftStore, _P], _R]:
    """Run a store call on PostgreSQL in the store's worker threads, with a deadline.

    A frozen PostgreSQL (process stopped, connection open) answers nothing, not even its own
    statement timeout; only a deadline in this process gives the user a message in time. The
    stuck call keeps its worker thread and its pooled connection until the server answers or
    the connection dies; both are bounded, so a hung database cannot take more than that.
    """

    def call(self: DraftStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        workers = self._workers
        if workers is None:
            return method(self, *args, **kwargs)
        future = workers.submit(method, self, *args, **kwargs)
        try:
            return future.result(timeout=self.call_deadline_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise StoreTimeout(
                f"the draft database did not answer in {self.call_deadline_s:g} s") from None

    functools.update_wrapper(call, method)
    return call


class DraftStore:
    """Encrypted, versioned drafts in a SQL database (SQLite file or PostgreSQL).

    One instance per process is enough (it holds a connection pool and is thread-safe);
    several processes may point at the same database.
    """

    def __init__(self, url: str) -> None:
        """Connect to ``url`` (a SQLAlchemy URL) and create the table if it is missing.

        For SQLite the file's folder is created too, so a fresh checkout just works.
        """
        self._url = _normalise_url(url)
        self._engine = _make_engine(self._url)
        self.call_deadline_s = PG_CALL_DEADLINE_S
        self._workers = (
            None if self.backend == "sqlite" else concurrent.futures.ThreadPoolExecutor(
                max_workers=PG_POOL_SIZE + PG_MAX_OVERFLOW, thread_name_prefix="draft-store"))
        self.create_all()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> DraftStore:
        """Open the store configured by the environment (see :mod:`seloste.settings`)."""
        return cls((settings or get_settings()).database_url)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for maintenance and tests; application code should not need it."""
        return self._engine

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._url.get_backend_name()

    @_with_deadline
    def create_all(self) -> None:
        """Create the table and index if missing; safe when several processes start at once.

        ``create_all`` checks then creates, so two processes starting together can both try
        to create; the loser's error is harmless if the table now exists.
        """
        try:
            metadata.create_all(self._engine)
        except DBAPIError:
            if not inspect(self._engine).has_table(drafts_table.name):
                raise

    def close(self) -> None:
        """Close pooled connections (for SQLite this also checkpoints and removes the WAL)."""
        self._engine.dispose()
        if self._workers is not None:
            self._workers.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @_with_deadline
    def create(self, draft_json: str, schema_version: int) -> tuple[str, int]:
        """Store a new draft; return its token (give it to the user) and version (1).

        The token is returned only here; the store cannot recover it later.
        """
        token = new_token()
        key = lookup_key(token)
        now = _utcnow()
        with self._engine.begin() as connection:
            connection.execute(
                insert(drafts_table).values(
                    key=key,
                    ciphertext=_encrypt(token, key, draft_json),
                    schema_version=schema_version,
                    created_at=now,
                    updated_at=now,
                    version=1,
                )
            )
        return token, 1

    @_with_deadline
    def load(self, token: str, *, touch: bool = False) -> StoredDraft | None:
        """Return the draft for ``token``, or ``None`` if there is none it can open.

        ``touch``: the user opened the draft by its link, which counts as use for the purge
        (``updated_at`` is moved to now, at most once an hour; the version stays).
        """
        if not is_valid_token(token):
            return None
        key = lookup_key(token)
        with self._engine.connect() as connection:
            row = connection.execute(
                select(
                    drafts_table.c.ciphertext,
                    drafts_table.c.schema_version,
                    drafts_table.c.version,
                    drafts_table.c.created_at,
                    drafts_table.c.updated_at,
                ).where(drafts_table.c.key == key)
            ).one_or_none()
        if row is None:
            return None
        plain = _decrypt(token, key, bytes(row.ciphertext))
        if plain is None:
            return None
        if touch and row.updated_at < _utcnow() - _TOUCH_AFTER:
            with self._engine.begin() as connection:
                connection.execute(update(drafts_table)
                                   .where(drafts_table.c.key == key,
                                          drafts_table.c.version == row.version)
                                   .values(updated_at=_utcnow()))
        return StoredDraft(
            json=plain,
            schema_version=row.schema_version,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @_with_deadline
    def save(self, token: str, draft_json: str, schema_version: int, expected_version: int) -> int:
        """Replace the draft if it is still at ``expected_version``; return the new version.

        Raises :class:`VersionConflict` (with the current version) if someone saved in
        between, and :class:`DraftNotFound` if there is no such draft. The check and the
        write are one ``UPDATE ... WHERE version = ?``, so two concurrent saves of the same
        version cannot both succeed on either backend.
        """
        if not is_valid_token(token):
            raise DraftNotFound
        key = lookup_key(token)
        ciphertext = _encrypt(token, key, draft_json)
        with self._engine.begin() as connection:
            result = connection.execute(
                update(drafts_table)
                .where(drafts_table.c.key == key, drafts_table.c.version == expected_version)
                .values(
                    ciphertext=ciphertext,
                    schema_version=schema_version,
                    updated_at=_utcnow(),
                    version=drafts_table.c.version + 1,
                )
            )
            if result.rowcount == 1:
                return expected_version + 1
            # Same transaction: on SQLite it still holds the write lock, on PostgreSQL the
            # row is re-read after any concurrent writer committed.
            current = connection.execute(
                select(drafts_table.c.version).where(drafts_table.c.key == key)
            ).scalar_one_or_none()
        if current is None:
            raise DraftNotFound
        raise VersionConflict(current)

    @_with_deadline
    def delete(self, token: str) -> bool:
        """Delete the draft (the user's "forget my answers"); ``True`` if there was one."""
        if not is_valid_token(token):
            return False
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(drafts_table).where(drafts_table.c.key == lookup_key(token))
            )
        if result.rowcount > 0:
            self._forget_deleted()
        return result.rowcount > 0

    def _forget_deleted(self) -> None:
        """SQLite: move the zeroed pages into the database file and empty the WAL, which still
        held the deleted rows' earlier page images."""
        if self.backend != "sqlite" or _sqlite_is_memory(self._url):
            return
        with self._engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    @_with_deadline
    def purge_unused(self, older_than: timedelta) -> int:
        """Delete drafts not used (saved, or opened by link) within ``older_than``.

        Returns how many went.

        This is the retention period our own privacy notice promises
        (``SELOSTE_DRAFT_RETENTION_DAYS``); run it at start-up or from a timer.
        """
        if older_than < timedelta(0):
            raise ValueError("older_than must not be negative")
        cutoff = _utcnow() - older_than
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(drafts_table).where(drafts_table.c.updated_at < cutoff)
            )
        if result.rowcount > 0:
            self._forget_deleted()
        return result.rowcount

    def __repr__(self) -> str:
        # Never show the database password in logs or tracebacks.
        return f"DraftStore({self._url.render_as_string(hide_password=True)!r})"
