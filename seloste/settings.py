"""Deployment settings, read once from the environment.

Why environment variables: the same code runs on a laptop (no configuration at all, a SQLite
file under ``./data``), in a container (a mounted volume) and on a host with PostgreSQL, and
every one of those can set variables without editing files. Every setting has a default that
works for a single-user local run, so ``streamlit run app.py`` needs nothing.

Variables (all optional):

``SELOSTE_DATA_DIR``
    Folder for local data (default ``./data``). Only used to build the default database URL.
``SELOSTE_DATABASE_URL``
    SQLAlchemy URL of the draft store (default ``sqlite:///<SELOSTE_DATA_DIR>/drafts.sqlite3``).
    PostgreSQL: ``postgresql+psycopg://user:password@host:5432/dbname``.
``SELOSTE_SERVER_STORAGE``
    Whether drafts may be stored on the server at all (default on). ``0``, ``off``, ``false``
    or ``no`` turn it off, e.g. for a public demo that should never keep anyone's answers;
    users then keep their answers by downloading them.
``SELOSTE_DRAFT_RETENTION_DAYS``
    Drafts not saved for this many days are purged (default 90). The notice we help write
    has to state a retention period; so do we.
``SELOSTE_MAX_UPLOAD_BYTES``
    Largest draft file accepted on upload (default 1 000 000 bytes): a draft is a few kB of
    JSON, anything much larger is a mistake or an attack.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_FALSE_WORDS = frozenset({"0", "off", "false", "no"})

DEFAULT_DATA_DIR = "./data"
DEFAULT_RETENTION_DAYS = 90
DEFAULT_MAX_UPLOAD_BYTES = 1_000_000


@dataclass(frozen=True)
class Settings:
    """The deployment's settings; frozen so that nothing changes them behind a page's back."""

    database_url: str
    data_dir: Path
    server_storage: bool = True
    draft_retention_days: int = DEFAULT_RETENTION_DAYS
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES


def _int_setting(env: Mapping[str, str], name: str, default: int) -> int:
    """Read a positive integer; a typo should stop the server loudly, not fall back silently."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _bool_setting(env: Mapping[str, str], name: str, default: bool) -> bool:
    """Anything but an explicit "off" word keeps the default-on behaviour."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    return raw not in _FALSE_WORDS


def get_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from ``env`` (default: ``os.environ``).

    Taking a mapping lets tests pass their own environment instead of patching the process.
    """
    source: Mapping[str, str] = os.environ if env is None else env
    data_dir = Path(source.get("SELOSTE_DATA_DIR", "").strip() or DEFAULT_DATA_DIR)
    database_url = source.get("SELOSTE_DATABASE_URL", "").strip()
    if not database_url:
        database_url = "sqlite:///" + (data_dir / "drafts.sqlite3").as_posix()
    return Settings(
        database_url=database_url,
        data_dir=data_dir,
        server_storage=_bool_setting(source, "SELOSTE_SERVER_STORAGE", True),
        draft_retention_days=_int_setting(
            source, "SELOSTE_DRAFT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS
        ),
        max_upload_bytes=_int_setting(source, "SELOSTE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
    )
