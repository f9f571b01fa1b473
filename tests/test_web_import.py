"""Start from the old notice in the wizard (AppTest): paste each seed notice, read it, see what
was found and not found beside the lint's findings, tick the proposals and start the draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_support import draft, new_app, ok

from seloste.checks import Severity, run_checks
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
