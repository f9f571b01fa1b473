"""axe-core in Chromium on every wizard step and on the notice page (issue #7).

The keinuma example is loaded from the start page, so every step shows real answers (three
registers, services, retention rules, cookies); then each step is opened from the sidebar and
checked as drawn, with the live preview beside the form. The notice page is the HTML page that
the review step downloads, opened on its own as a visitor would see it.

Each page's violated rules are printed by impact (and listed in the run's summary); a serious
or critical one fails the test. The whole page is checked, Streamlit's own chrome included:
where a violation comes from Streamlit itself and cannot be fixed from our side, it is excluded
below by rule and element, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_helper import assert_no_serious, describe, impact_counts, run_axe
from e2e_support import AXE_COUNTS, Server, open_tab
from stapp import App

from seloste.web.steps import STEP_KEYS, extra_pages

pytestmark = [pytest.mark.e2e, pytest.mark.axe]

#: Parts of the page axe-core does not check, each with the reason. Empty: every violation
#: found so far comes from our own content or theme and can be fixed on our side.
EXCLUDE: list[list[str]] = []

#: Sidebar position (1-based) and URL path of every page checked.
PAGES = [(n, step, "/" if step == "start" else f"/{step}")
         for n, step in enumerate(STEP_KEYS, start=1)]
PAGES += [(len(STEP_KEYS) + n, name, "/" + name.replace("_", "-"))
          for n, name in enumerate(extra_pages(), start=1)]


@pytest.fixture(scope="module")
def keinuma(e2e_browser: Any, e2e_server: Server) -> Iterator[App]:
    """One tab with the keinuma example loaded, shared by the steps (they only look)."""
    with open_tab(e2e_browser, e2e_server, "axe-keinuma") as app:
        app.open()
        app.click("start.example.keinuma")
        yield app


def check(app: App, name: str) -> None:
    results = run_axe(app.page, {"exclude": EXCLUDE} if EXCLUDE else None)
    counts = impact_counts(results)
    AXE_COUNTS[name] = counts
    print(f"axe {name}: {counts}")
    if results.get("violations"):
        print(describe(results["violations"]))
    assert_no_serious(results)


@pytest.mark.parametrize(("number", "step", "path"), PAGES, ids=[p[1] for p in PAGES])
def test_wizard_step_has_no_serious_axe_violations(keinuma: App, number: int, step: str,
                                                   path: str) -> None:
    keinuma.sidebar_step(number)
    assert keinuma.path() == path
    keinuma.check()
    check(keinuma, step)


@pytest.mark.parametrize("tab", ["review.tab_answers", "review.tab_preview"])
def test_review_tabs_have_no_serious_axe_violations(keinuma: App, tab: str) -> None:
    """The review's other tabs (issue #18): axe checks only what is shown, so each is opened."""
    from seloste.i18n import load_texts

    keinuma.sidebar_step(STEP_KEYS.index("review") + 1)
    keinuma.tab(load_texts("seloste.web.ui", "fi")[tab])
    check(keinuma, tab.replace("review.tab_", "review "))


def test_notice_page_has_no_serious_axe_violations(keinuma: App) -> None:
    keinuma.sidebar_step(STEP_KEYS.index("review") + 1)
    with keinuma.page.expect_download() as info:
        keinuma.el("dl.page").locator("button").click()
    path = info.value.path()
    assert path is not None
    html = path.read_text(encoding="utf-8")
    page = keinuma.page.context.new_page()
    try:
        page.set_content(html, wait_until="load")
        notice = App(page, keinuma.base_url)
        check(notice, "notice page")
    finally:
        page.close()
