"""Start from the old notice in the wizard (AppTest): paste each seed notice, read it, see what
was found and not found beside the lint's findings, tick the proposals and start the draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from test_web_support import draft, goto, new_app, ok

from seloste.checks import Finding, Severity, run_checks
from seloste.import_notice import read_notice

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("seed", ["keinuma-2023.txt", "meunier-2019.txt"])
def test_old_notice_proposes_a_draft_only_from_ticked_items(seed: str) -> None:
    text = (DATA / seed).read_text(encoding="utf-8")
    expected = read_notice(text)
    at = new_app()
    clicks, typed = 0, 0
    at.text_area(key="start.import_paste").input(text)
    typed += 1
    at.button(key="start.import_read").click()
    clicks += 1
    ok(at.run())
    shown = " ".join(str(c.label) for c in at.checkbox)
    assert expected.found["controller.name"] in shown
    # The lint's finding on the repealed act is beside the proposals.
    assert any("523/1999" in str(w.value) for w in [*at.warning, *at.error])
    assert all(not c.value for c in at.checkbox if c.key and c.key.startswith("start.import."))
    # Apply with nothing ticked: an empty draft, nothing taken unasked.
    at.button(key="start.import_apply").click()
    ok(at.run())
    assert draft(at).controller.name == ""
    at.button(key="start.import_all").click()
    clicks += 1
    ok(at.run())
    at.button(key="start.import_apply").click()
    clicks += 1
    ok(at.run())
    assert "start.confirm" not in [b.key for b in at.button]  # the draft was blank
    notice = draft(at)
    assert notice.controller.name == expected.found["controller.name"]
    assert notice.controller.business_id == expected.found["controller.business_id"]
    assert [r.name.pick("fi") for r in notice.registers] == expected.registers
    assert [u.catalogue_id for u in notice.registers[0].services] == expected.services
    controller_errors = [f.rule_id for f in run_checks(notice)
                         if f.severity is Severity.error and f.step == "controller"]
    assert controller_errors == []
    print(f"\nimport {seed}: {clicks + typed} actions ({clicks} pointer actions + {typed} typed "
          f"fields); found {len(expected.found)} fields, {len(expected.registers)} registers, "
          f"{len(expected.services)} services; not found {expected.missing}")


# ---------------------------------------------------------------- the walk to a 0-error review


class ImportWalk:
    """A user who starts from the old notice and then answers what the review asks: each
    error finding sends them to its step, where they answer the field it names (as in the
    review's fix buttons). Pointer actions and typed fields are counted."""

    def __init__(self, at: AppTest) -> None:
        self.at = at
        self.clicks = 0
        self.typed = 0
        self.answered: list[str] = []

    def click(self, key: str) -> None:
        self.at.button(key=key).click()
        self.clicks += 1
        ok(self.at.run())

    def pick(self, widget: Any, value: object) -> None:
        widget.set_value(value)
        self.clicks += 1
        ok(self.at.run())

    def errors(self) -> list[Finding]:
        return [f for f in run_checks(draft(self.at)) if f.severity is Severity.error]

    def answer(self, finding: Finding) -> None:
        """Answer ``finding`` on its step the way its message asks."""
        at, parts = self.at, finding.path.split(".")
        if parts[0] == "registers" and len(parts) > 1:
            at.session_state["_open_register"] = int(parts[1])  # as the fix button opens it
        goto(self.at, finding.step)
        self.answered.append(finding.rule_id)
        if finding.rule_id == "register_no_purpose":
            i = int(parts[1])
            newsletter = "uutiskirje" in draft(at).registers[i].name.pick("fi").lower()
            purpose, basis = (("newsletter", "consent") if newsletter
                              else ("customer_relationship", "contract"))
            self.pick(at.selectbox(key=f"s.purpose.{i}.choice"), purpose)
            self.click(f"b.add_purpose.{i}")
            j = len(draft(at).registers[i].purposes) - 1
            self.pick(at.selectbox(key=f"f.registers.{i}.purposes.{j}.basis"), basis)
        elif finding.rule_id == "retention_missing":
            i = int(parts[1])
            self.click(f"b.add_rule.{i}")  # the accounting rule, the form's first choice
        elif finding.rule_id == "cookie_consent_missing":
            if not draft(at).cookies.uses_cookies:
                self.pick(at.toggle(key="f.cookies.uses_cookies"), True)
            self.pick(at.radio(key="f.cookies.mechanism"), "banner")
            self.pick(at.radio(key="f.cookies.withdraw"), "footer_link")
        elif finding.rule_id == "requirement_missing":
            proposal = f"b.accept.{finding.path}"
            if proposal in [b.key for b in at.button]:
                self.click(proposal)  # the wizard's proposal (contractual for a contract)
            else:
                self.pick(at.radio(key=f"f.{finding.path}"), "voluntary")
        else:
            raise AssertionError(f"the walk does not know how to answer {finding.rule_id} "
                                 f"({finding.path}): {finding.message('fi')}")


@pytest.mark.parametrize("seed", ["keinuma-2023.txt", "meunier-2019.txt"])
def test_old_notice_walked_to_a_review_without_errors(seed: str) -> None:
    """Issue #18: start from the old notice, then answer what the review asks, until it shows
    no errors; everything taken from the old notice is still there at the end."""
    text = (DATA / seed).read_text(encoding="utf-8")
    expected = read_notice(text)
    walk = ImportWalk(new_app())
    at = walk.at
    at.text_area(key="start.import_paste").input(text)
    walk.typed += 1
    walk.click("start.import_read")
    walk.click("start.import_all")
    walk.click("start.import_apply")
    imported = draft(at)
    before = len(walk.errors())
    assert before > 0  # an old notice alone is not a complete new one

    for _round in range(20):
        goto(at, "review")
        left = walk.errors()
        if not left:
            break
        walk.answer(left[0])
    assert walk.errors() == []
    goto(at, "review")
    assert [str(e.value) for e in at.error] == []  # the review shows no error either
    assert at.download_button(key="dl.docx").proto.label  # and offers the notice

    notice = draft(at)
    for path, value in expected.found.items():
        group, name = path.split(".")
        assert str(getattr(getattr(notice, group), name)) == value, path
    assert [r.name.pick("fi") for r in notice.registers] == expected.registers
    assert [u.catalogue_id for u in notice.registers[0].services] == expected.services
    assert notice.controller == imported.controller
    warnings = [f for f in run_checks(notice) if f.severity is Severity.warning]
    print(f"\nimport walk {seed}: {walk.clicks + walk.typed} actions ({walk.clicks} pointer "
          f"actions + {walk.typed} typed fields) from the old notice to a review with 0 errors "
          f"(from {before}); answered {walk.answered}; {len(warnings)} warnings left")
