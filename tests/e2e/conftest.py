"""Browser tests (issue #7): a real Streamlit server, Debian's Chromium through Playwright.

* `e2e_server` starts ``streamlit run app.py`` once per session on a free port, with drafts in a
  throwaway folder, waits for ``/_stcore/health`` and stops it at the end. A test fails when the
  server logged a traceback while it ran.
* `e2e_browser` launches Debian's chromium (Playwright cannot download a browser here).
* `app` is one fresh tab (its own browser context, so its own Streamlit session) on the wizard,
  in Finnish, with downloads and the clipboard allowed. Every tab fails its test on any dialog
  (an ``alert`` from injected markup), on any uncaught page error and on any error box drawn by
  Streamlit; requests to anything but the test server are blocked and listed in the summary.

Without Chromium (or the playwright package, or axe-core for the axe tests) the tests are
skipped and the run's summary says so in a banner, test by test; with
``SELOSTE_REQUIRE_CLIENTS=1`` (CI) they fail instead.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
for folder in (TESTS, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import clients  # noqa: E402
from e2e_support import AXE_COUNTS, FOREIGN_REQUESTS, Server, open_tab, run_server  # noqa: E402

#: Tests that were skipped because a client is missing: (node id, reason).
_NOT_RUN: list[tuple[str, str]] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser against a running server")
    config.addinivalue_line("markers", "axe: needs axe-core from node_modules (npm ci)")


def _missing_for(item: pytest.Item) -> list[str]:
    names = ["playwright", "chromium"]
    if item.get_closest_marker("axe"):
        names.append("axe")
    return clients.missing(*names)


def _reason(gone: list[str]) -> str:
    return "real client missing: " + "; ".join(gone)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        gone = _missing_for(item)
        if gone and not clients.required():
            _NOT_RUN.append((item.nodeid, _reason(gone)))
            item.add_marker(pytest.mark.skip(reason=_reason(gone)))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """With SELOSTE_REQUIRE_CLIENTS=1 a missing browser fails each test instead of skipping
    (a hook, not a fixture: it must come before the session fixtures that launch things)."""
    gone = _missing_for(item)
    if gone:
        pytest.fail("browser test cannot run, " + _reason(gone)
                    + " (SELOSTE_REQUIRE_CLIENTS is set)", pytrace=False)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config
                            ) -> None:
    tr = terminalreporter
    if _NOT_RUN:
        tr.write_sep("!", "BROWSER TESTS NOT RUN", red=True, bold=True)
        for reason in sorted({reason for _, reason in _NOT_RUN}):
            tr.write_line(reason, red=True, bold=True)
        tr.write_line(f"{len(_NOT_RUN)} browser test(s) could not run:", red=True, bold=True)
        for nodeid, _ in _NOT_RUN:
            tr.write_line(f"  {nodeid}", red=True)
        tr.write_sep("!", red=True, bold=True)
    if AXE_COUNTS:
        tr.write_sep("-", "axe-core: rules violated per page, by impact")
        for name, counts in AXE_COUNTS.items():
            row = "  ".join(f"{impact} {count}" for impact, count in counts.items())
            tr.write_line(f"  {name:<16} {row}")
    if FOREIGN_REQUESTS:
        tr.write_sep("-", "requests the app made to other hosts (blocked in the browser tests)")
        for url, count in sorted(FOREIGN_REQUESTS.items()):
            tr.write_line(f"  {count:>3} x {url}")


@pytest.fixture(scope="session")
def e2e_server() -> Iterator[Server]:
    """``streamlit run app.py`` on a free port (see `e2e_support.run_server`)."""
    with run_server() as server:
        yield server


@pytest.fixture(scope="session")
def e2e_browser(shared_chromium: Any) -> Any:
    """The run's one Chromium (tests/conftest.py)."""
    return shared_chromium


@pytest.fixture
def app(e2e_browser: Any, e2e_server: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh tab (a new session) on the wizard, in Finnish; see `e2e_support.open_tab`."""
    with open_tab(e2e_browser, e2e_server, request.node.name,
                  failed=lambda: _failed(request.node)) as tab:
        yield tab


def _failed(node: pytest.Item) -> bool:
    report = getattr(node, "rep_call", None)
    return bool(report is not None and report.failed)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
