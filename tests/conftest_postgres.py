"""Pytest plugin: a PostgreSQL database for tests that need one, or a skip that says how to get it.

Register it in ``tests/conftest.py`` with ``pytest_plugins = ["conftest_postgres"]``.

Why a plugin and a fresh schema per test: the suite must pass on a laptop without PostgreSQL
(SQLite covers the logic), yet CI should prove the PostgreSQL half for real. Setting
``SELOSTE_TEST_POSTGRES_URL`` (``source .ci/postgres.sh`` starts a throwaway server and sets it)
turns the PostgreSQL tests on. Each test then gets its own schema, selected through the
connection's ``search_path``, and the schema is dropped afterwards, so tests never see each
other's rows and a shared server is left as it was found.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

POSTGRES_URL_ENV = "SELOSTE_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = (
    f"PostgreSQL tests need {POSTGRES_URL_ENV}=postgresql+psycopg://user:pw@host:port/db; "
    "run `source .ci/postgres.sh` to start a throwaway server and set it"
)


def _libpq_url(url: str) -> str:
    """psycopg wants a plain libpq URL, without SQLAlchemy's ``+driver`` part."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The server URL from the environment; skips when unset, fails when set but unreachable.

    A set but dead URL is an error, not a skip: whoever set it expects these tests to run.
    """
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        pytest.skip(POSTGRES_SKIP_REASON)
    import psycopg

    try:
        with psycopg.connect(_libpq_url(url), connect_timeout=10) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        pytest.fail(f"{POSTGRES_URL_ENV} is set but the server does not answer: {exc}")
    return url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A SQLAlchemy URL whose connections use a fresh, empty schema, dropped after the test."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin_url = _libpq_url(postgres_server_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    url = make_url(postgres_server_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
