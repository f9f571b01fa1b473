"""Shared fixtures. The PostgreSQL fixture lives in conftest_postgres (enabled by the URL)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seloste.localized import PLAIN_TEXT_LANG

# Fixtures build models with plain strings (`Register(name="Asiakkaat")`): in the tests they
# are Finnish text. The application itself never sets this (a plain string without a language
# is refused there; seloste/localized.py).
PLAIN_TEXT_LANG.set("fi")

sys.path.insert(0, str(Path(__file__).resolve().parent))

pytest_plugins = ["conftest_postgres", "conftest_hypothesis"]


@pytest.fixture(scope="session")
def shared_chromium() -> Iterator[Any]:
    """One Chromium for the whole run: Playwright's sync API allows one live instance per
    thread, so modules that each started their own failed once the e2e browser was up."""
    import clients
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = clients.launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True, scope="session")
def _drafts_outside_the_checkout() -> Iterator[None]:
    """The wizard saves drafts as it runs; AppTest runs must never write into ./data.

    Every test session gets its own throwaway SQLite file (tests that need another database
    set ``SELOSTE_DATABASE_URL`` themselves with monkeypatch).
    """
    with tempfile.TemporaryDirectory(prefix="seloste-test-drafts-") as folder:
        saved = {name: os.environ.get(name) for name in ("SELOSTE_DATABASE_URL",
                                                         "SELOSTE_DATA_DIR")}
        os.environ["SELOSTE_DATA_DIR"] = folder
        os.environ["SELOSTE_DATABASE_URL"] = f"sqlite:///{folder}/drafts.sqlite3"
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
