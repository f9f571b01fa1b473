"""Pure parts of the wizard: step keys and progress, field paths and list edits."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from seloste.checks import run_checks
from seloste.examples import load_example
from seloste.model import Notice, PurposeEntry, Register
from seloste.web import paths
from seloste.web.steps import (
    PAGES_DIR,
    STEP_KEYS,
    Status,
    next_step,
    page_path,
    previous_step,
    statuses,
)


def test_step_keys_have_pages() -> None:
    assert STEP_KEYS == ("start", "controller", "registers", "data", "services", "retention",
                         "cookies", "review")
    for step in STEP_KEYS:
        assert (PAGES_DIR.parent / page_path(step)).is_file()
    assert next_step("review") is None and previous_step("start") is None
    assert next_step("start") == "controller" and previous_step("review") == "cookies"


def test_progress_of_an_empty_and_a_complete_draft() -> None:
    empty = statuses(Notice(), set())
    assert set(empty.values()) == {Status.not_started}
    assert statuses(Notice(), {"controller"})["controller"] is Status.incomplete
    keinuma = load_example("keinuma")
    done = statuses(keinuma, set(STEP_KEYS), run_checks(keinuma))
    assert done["controller"] is Status.done and done["registers"] is Status.done
    assert done["start"] is Status.done
    unnamed = keinuma.model_copy(deep=True)
    unnamed.registers[0].purposes[0].basis = None
    found = run_checks(unnamed)
    assert statuses(unnamed, set(STEP_KEYS), found)["registers"] is Status.incomplete


def test_paths() -> None:
    n = load_example("keinuma")
    assert paths.get_path(n, "registers.0.purposes.1.basis") == "legitimate_interest"
    assert paths.widget_key("controller.email") == "f.controller.email"
    assert paths.parent("registers.0.name") == "registers.0"
    assert paths.child("registers.0", "purposes", 2) == "registers.0.purposes.2"
    changed = paths.set_path(n, "controller.phone", "+358 50 339 8065")
    assert changed.controller.phone == "+358 50 339 8065" and n.controller.phone == "050 3398065"
    assert changed is not n
    with pytest.raises(ValidationError):
        paths.set_path(n, "controller.email", "nobody@")
    with pytest.raises(ValidationError):
        paths.set_values(n, {"registers.0.retention.0.unit": None})
    both = paths.set_values(n, {"registers.1.retention.0.amount": 2,
                                "registers.1.retention.0.unit": "years"})
    assert both.registers[1].retention[0].amount == 2


def test_list_edits_return_new_valid_drafts() -> None:
    n = Notice(registers=[Register(name="A"), Register(name="B"), Register(name="C")])
    assert [r.name.fi for r in paths.list_move(n, "registers", 0, 1).registers] == ["B", "A", "C"]
    assert [r.name.fi for r in paths.list_move(n, "registers", 0, -1).registers] == ["A", "B", "C"]
    assert [r.name.fi for r in paths.list_move(n, "registers", 1, 5).registers] == ["A", "C", "B"]
    assert [r.name.fi for r in paths.list_remove(n, "registers", 1).registers] == ["A", "C"]
    added = paths.list_insert(n, "registers.0.purposes", PurposeEntry(description="x"))
    assert added.registers[0].purposes == [PurposeEntry(description="x")]
    with pytest.raises(ValidationError):
        paths.list_insert(n, "registers.0.purposes", {"purpose": None, "description": ""})
    assert [r.name.fi for r in n.registers] == ["A", "B", "C"]


def test_only_the_web_layer_imports_streamlit() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "seloste"
    pattern = re.compile(r"^\s*(import streamlit|from streamlit)", re.MULTILINE)
    offenders = [
        str(p.relative_to(root)) for p in root.rglob("*.py")
        if "web" not in p.relative_to(root).parts and pattern.search(p.read_text("utf-8"))
    ]
    assert offenders == []


def _one_register(**fields: object) -> Notice:
    reg = Register.model_validate({
        "name": "Asiakkaat", "data_subjects": ["customers"],
        "purposes": [{"purpose": "customer_relationship", "basis": "contract"}], **fields})
    return Notice(registers=[reg])


def test_a_step_opened_but_not_answered_is_not_done() -> None:
    """Issue #18: "Palvelut" showed "valmis" when nothing was added. Opening a step answers
    nothing; only an answer (or an explicit "none") does."""
    every = set(STEP_KEYS)
    empty = statuses(Notice(), every)
    for step in ("controller", "registers", "data", "services", "retention", "cookies"):
        assert empty[step] is Status.incomplete, step
    bare = statuses(_one_register(), every)
    assert bare["registers"] is Status.done
    assert bare["services"] is Status.incomplete and bare["cookies"] is Status.incomplete
    # The explicit "none" answers: nobody else processes this register's data; no cookies.
    none = _one_register(no_recipients_confirmed=True)
    none.cookies.no_cookies_confirmed = True
    answered = statuses(none, every)
    assert answered["services"] is Status.done and answered["cookies"] is Status.done
    # Not opened and not answered: not started (an explicit answer starts a step unopened).
    assert statuses(_one_register(), set())["services"] is Status.not_started
    assert statuses(none, set())["services"] is Status.done


def test_each_register_answers_a_per_register_step_itself() -> None:
    """One register's services do not answer another's (the first one's answer made the step
    look answered for both)."""
    one = _one_register(no_recipients_confirmed=True)
    two = one.model_copy(update={"registers": [*one.registers, _one_register().registers[0]]})
    assert statuses(one, set(STEP_KEYS))["services"] is Status.done
    result = statuses(two, set(STEP_KEYS), [])  # no findings at all: only the answers count
    assert result["services"] is Status.incomplete
    assert statuses(two, set())["services"] is Status.incomplete  # started by register 1
