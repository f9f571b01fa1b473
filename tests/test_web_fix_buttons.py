"""Fix buttons land on the field that clears the finding (issue #11).

For every finding of the examples, and for the finding each check fixture exists for (one per
rule case, to keep the run short on a 2-core machine), the review page's "fix" button is pressed
in AppTest and the page it opens must draw the widget (or the list) at the finding's
path: a finding about a processor agreement must open the page with the agreement's question,
not a page where nothing clears it.
"""

from __future__ import annotations

import itertools

import pytest
from streamlit.testing.v1 import AppTest
from test_checks import CASES, notice
from test_web_support import new_app, ok

from seloste.checks import run_checks
from seloste.examples import NAMES, load_example
from seloste.model import Notice
from seloste.web.findings import SEVERITIES
from seloste.web.steps import STEP_KEYS, page_path
from seloste.web.widgets import CURRENT, DRAWN

_REVISION = itertools.count(10_000)


def _drafts() -> dict[str, Notice]:
    out = {f"example:{name}": load_example(name) for name in NAMES}
    for case, (fire, _) in sorted(CASES.items()):
        out[f"case:{case}"] = notice(*fire)
    return out


DRAFTS = _drafts()


def _load(at: AppTest, draft: Notice) -> None:
    at.session_state["_draft"] = draft
    at.session_state["_revision"] = next(_REVISION)  # a new revision: findings recomputed


@pytest.fixture(scope="module")
def app() -> AppTest:
    return new_app()


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_every_fix_button_opens_the_field(app: AppTest, name: str) -> None:
    draft = DRAFTS[name]
    found = run_checks(draft)
    rule = name.removeprefix("case:").split("/")[0]
    groups = {sev: [f for f in found if f.severity.value == sev] for sev in SEVERITIES}
    pressed = 0
    for sev, group in groups.items():
        for n, finding in enumerate(group):
            if finding.step not in STEP_KEYS:
                continue
            if name.startswith("case:") and finding.rule_id != rule:
                continue
            pressed += 1
            _load(app, draft)
            app.switch_page(page_path("review"))
            ok(app.run())
            app.button(key=f"fix.{sev}.{n}").click()
            ok(app.run())
            assert app.session_state[CURRENT] == finding.step, finding.rule_id
            drawn = app.session_state[DRAWN]
            assert finding.path in drawn or finding.step == "review", (
                finding.rule_id, finding.path, finding.step)
    assert pressed, f"no fix button for {name}"
