"""axe-core finds no serious or critical accessibility problem in the notice page (issue #7).

Each example's standalone page in each language, opened in Debian's Chromium through Playwright,
plus the page of a draft full of hostile text. Every violation is printed by impact (run with
-s to see the counts of passing pages too); serious and critical ones fail.
"""

from __future__ import annotations

from typing import Any

import clients
import pytest

clients.require("playwright", "chromium", "axe")

from axe_helper import assert_no_serious, describe, impact_counts, run_axe  # noqa: E402
from user_text import hostile_notice  # noqa: E402

from seloste.examples import NAMES, load_example  # noqa: E402
from seloste.render import Format, render  # noqa: E402
from seloste.vocab import Lang  # noqa: E402

pytestmark = pytest.mark.slow

CASES = [(name, lang) for name in (*NAMES, "hostile") for lang in Lang]


@pytest.fixture(scope="module")
def chromium_browser(shared_chromium: Any) -> Any:
    return shared_chromium


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang.value}" for n, lang in CASES])
def test_notice_page_has_no_serious_axe_violations(
    chromium_browser: Any, name: str, lang: Lang, record_property: Any
) -> None:
    notice = hostile_notice() if name == "hostile" else load_example(name)
    html = render(notice, Format.page, lang).decode()
    page = chromium_browser.new_page()
    try:
        page.set_content(html, wait_until="load")
        results = run_axe(page)
    finally:
        page.close()
    counts = impact_counts(results)
    record_property("axe_violations", counts)
    print(f"axe {name}-{lang.value}: {counts}, {len(results.get('passes', []))} rules passed")
    if results.get("violations"):
        print(describe(results["violations"]))
    assert_no_serious(results)
