"""Answers are never lost: invalid input stays visible next to its error, the UI language can
change at any time, lists keep their values when reordered, a draft file is loaded whole or not
at all, and Back/Next move between the steps."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import html_text
from streamlit.testing.v1 import AppTest
from test_web_support import (
    draft,
    errors_text,
    goto,
    new_app,
    next_sibling,
    ok,
    open_box,
    open_purpose,
    open_register,
    purpose_box_open,
    shown_step,
)

from seloste.draft_file import dump_draft
from seloste.examples import load_example
from seloste.i18n import Texts, upper_first
from seloste.model import Notice
from seloste.web.steps import STEP_KEYS
from seloste.web.widgets import md


def run(at: AppTest) -> AppTest:
    return ok(at.run())


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("controller.business_id", "1234567-8", "Y-tunnus ei kelpaa"),
        ("controller.email", "heidi@keinuma", "Sähköpostiosoite ei kelpaa"),
        ("controller.phone", "050 12", "Puhelinnumero ei kelpaa"),
        ("privacy_contact.email", "heidi at keinuma.fi", "Sähköpostiosoite ei kelpaa"),
        ("controller.website", "javascript:alert(1)", "Verkko-osoite ei kelpaa"),
    ],
)
def test_invalid_input_shows_an_error_next_to_the_field_and_keeps_the_text(
    field: str, typed: str, message: str
) -> None:
    at = new_app()
    goto(at, "controller")
    at.text_input(key=f"f.{field}").input(typed)
    run(at)
    assert at.text_input(key=f"f.{field}").value == typed
    errors = errors_text(at)
    assert any(message in e for e in errors), errors
    # The error is drawn right after its field (the next element in the same block).
    after = next_sibling(at, at.text_input(key=f"f.{field}"))
    assert after is not None and message in str(after.value)
    # The draft keeps its last valid value; the typed text survives a trip to another step.
    assert draft(at) == Notice()
    goto(at, "registers")
    goto(at, "controller")
    assert at.text_input(key=f"f.{field}").value == typed
    assert any(message in e for e in errors_text(at))


def test_a_corrected_value_replaces_the_error() -> None:
    at = new_app()
    goto(at, "controller")
    at.text_input(key="f.controller.business_id").input("3299471-5")
    run(at)
    assert errors_text(at)
    at.text_input(key="f.controller.business_id").input("3299471-6")
    at.text_input(key="f.controller.phone").input("+358  50 339 8065 ")
    run(at)
    assert not [e for e in errors_text(at) if "kelpaa" in e]
    assert draft(at).controller.business_id == "3299471-6"
    # A phone number is stored as typed (only white space normalised): the field shows that.
    assert draft(at).controller.phone == "+358 50 339 8065"
    assert at.text_input(key="f.controller.phone").value == "+358 50 339 8065"


def test_errors_follow_the_ui_language() -> None:
    at = new_app()
    goto(at, "controller")
    at.text_input(key="f.controller.email").input("nobody@")
    run(at)
    at.segmented_control(key="ui.lang").set_value("en")
    run(at)
    assert any("The email address is not valid" in e for e in errors_text(at))
    assert at.text_input(key="f.controller.email").value == "nobody@"


def test_switching_the_ui_language_midway_keeps_every_answer() -> None:
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.meunier").click()
    run(at)
    example = load_example("meunier")
    goto(at, "registers")
    # the example is published in fi, sv and en: one field per language
    at.text_input(key="f.registers.0.name.fi").input("Lista")
    run(at)
    goto(at, "data")
    open_register(at, 1)
    at.multiselect(key="f.registers.1.data_categories").set_value(["name", "email"])
    run(at)
    before = draft(at)
    for lang, title in (("sv", "Vilka uppgifter"), ("en", "What data"), ("fi", "Mitä tietoja")):
        at.segmented_control(key="ui.lang").set_value(lang)
        run(at)
        assert title in at.title[0].value
        assert draft(at) == before
        assert at.multiselect(key="f.registers.1.data_categories").value == ["name", "email"]
        for step in STEP_KEYS:
            goto(at, step)
        goto(at, "data")
        open_register(at, 1)
    assert draft(at) == before
    assert before.registers[0].name.fi == "Lista"
    assert before.registers[1:2] != example.registers[1:2]
    # The notice language is separate from the UI language.
    assert draft(at).language == example.language


def test_the_browser_locale_picks_the_ui_language() -> None:
    assert new_app(locale="sv-FI").title[0].value.startswith("En dataskydds")
    assert new_app(locale="en-GB").title[0].value.startswith("A privacy notice")
    assert new_app(locale="de-DE").title[0].value.startswith("Tietosuojaseloste")


def test_retention_period_number_and_unit_commit_together_in_any_order() -> None:
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    goto(at, "retention")
    open_register(at, 1)
    open_box(at, "registers.1.retention", 0)  # a finished rule is folded on arrival
    # Register 2's first rule is "until unsubscribe": give it a length, number first.
    at.number_input(key="f.registers.1.retention.0.amount").set_value(2)
    run(at)
    # Not an error before the user had a chance to pick the unit: a note on what comes next.
    assert not [e for e in errors_text(at) if "yksikkö" in e]
    assert any("sekä luku että yksikkö" in i.value for i in at.info)
    assert draft(at).registers[1].retention[0].amount is None  # waits, nothing half-saved
    assert at.number_input(key="f.registers.1.retention.0.amount").value == 2
    at.selectbox(key="f.registers.1.retention.0.unit").set_value("years")
    run(at)
    rule = draft(at).registers[1].retention[0]
    assert (rule.amount, rule.unit) == (2, "years")
    assert not [e for e in errors_text(at) if "yksikkö" in e]
    assert not [i for i in at.info if "sekä luku että yksikkö" in i.value]


def test_retention_until_an_event_at_most_a_period() -> None:
    """Issue #18: "until deleted by the customer, at most 3 years", in the add form and in a
    rule already there (the event first: a note asks for the maximum, no red error)."""
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    goto(at, "retention")
    count = len(draft(at).registers[0].retention)
    at.radio(key="s.rule.0.kind").set_value("own")
    run(at)
    at.selectbox(key="s.rule.0.subject").set_value("customer_data")
    at.number_input(key="s.rule.0.amount").set_value(3)
    at.selectbox(key="s.rule.0.unit").set_value("years")
    at.selectbox(key="s.rule.0.until").set_value("erasure_requested")
    run(at)
    at.button(key="b.add_rule.0").click()
    run(at)
    rules = draft(at).registers[0].retention
    assert len(rules) == count + 1
    assert (rules[-1].until, rules[-1].amount, rules[-1].unit) == ("erasure_requested", 3,
                                                                   "years")
    preview = " ".join(html_text(w_html(at)).split())
    assert "kunnes pyydät tietojesi poistamista, kuitenkin enintään 3 vuotta" in preview
    # Register 2's first rule is "until unsubscribe" with no length: give it an early end.
    open_register(at, 1)
    open_box(at, "registers.1.retention", 0)
    at.selectbox(key="f.registers.1.retention.0.until").set_value("erasure_requested")
    run(at)
    assert not errors_text(at)
    assert any("enimmäisaika" in i.value for i in at.info)
    assert draft(at).registers[1].retention[0].until is None  # waits for the maximum
    at.number_input(key="f.registers.1.retention.0.amount").set_value(2)
    run(at)
    at.selectbox(key="f.registers.1.retention.0.unit").set_value("years")
    run(at)
    rule = draft(at).registers[1].retention[0]
    assert (rule.until, rule.amount, rule.unit) == ("erasure_requested", 2, "years")
    assert not errors_text(at) and not [i for i in at.info if "enimmäisaika" in i.value]


def w_html(at: AppTest) -> str:
    """The live preview's HTML (the renderer's fragment beside the form)."""
    return next(h.proto.body for h in at.html if "tietosuojaseloste" in h.proto.body.lower())


def test_other_purpose_shows_no_error_before_the_description_is_typed() -> None:
    """Issue #18: switching a purpose to "Muu tarkoitus" showed a red error at once; the
    description typed next did not even save the choice (the two were not one group)."""
    at = new_app()
    goto(at, "registers")
    at.button(key="b.add_register").click()
    run(at)
    at.button(key="b.add_purpose.0").click()
    run(at)
    first = draft(at).registers[0].purposes[0].purpose
    assert first is not None
    at.selectbox(key="f.registers.0.purposes.0.purpose").select(None)
    run(at)
    assert errors_text(at) == []
    assert any("kuvauskenttään" in i.value for i in at.info)
    assert draft(at).registers[0].purposes[0].purpose == first  # nothing half-saved
    at.text_area(key="f.registers.0.purposes.0.description").input("Kampaamon kanta-asiakasetu")
    run(at)
    entry = draft(at).registers[0].purposes[0]
    assert entry.purpose is None and entry.description.fi == "Kampaamon kanta-asiakasetu"
    assert errors_text(at) == [] and not [i for i in at.info if "kuvauskenttään" in i.value]
    # Emptying the description again is refused (a purpose that says nothing) and the note
    # asks for it; the saved description stays.
    at.text_area(key="f.registers.0.purposes.0.description").input("")
    run(at)
    assert any("kuvauskenttään" in i.value for i in at.info)
    assert draft(at).registers[0].purposes[0].description.fi == "Kampaamon kanta-asiakasetu"
    # A real error is still red at once: a mistyped email.
    goto(at, "controller")
    at.text_input(key="f.controller.email").input("nobody@")
    run(at)
    assert any("@" in e for e in errors_text(at))


def test_add_forms_show_no_error_before_the_user_acts() -> None:
    """The add forms of every step, opened and with "Muu tarkoitus" chosen: nothing red until
    the user presses Add; pressing it empty then says what is missing."""
    at = new_app()
    goto(at, "registers")
    at.button(key="b.add_register").click()
    run(at)
    at.selectbox(key="s.purpose.0.choice").select("__other__")
    run(at)
    assert errors_text(at) == []
    for step in ("data", "services", "retention", "cookies", "controller"):
        goto(at, step)
        assert errors_text(at) == [], step
    goto(at, "registers")  # a second visit: the checks' findings may show now, not the form's
    at.button(key="b.add_purpose.0").click()
    run(at)
    assert "Kuvaa muu käyttötarkoitus omin sanoin ennen lisäämistä." in errors_text(at)


def test_reordering_and_removing_keep_values_with_their_items() -> None:
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    goto(at, "registers")
    assert not purpose_box_open(at, 0, 0)  # keinuma's purposes are finished: folded
    open_purpose(at, 0, 0)
    at.button(key="b.down.registers.0.purposes.0").click()
    run(at)
    purposes = draft(at).registers[0].purposes
    assert [p.purpose for p in purposes[:2]] == ["customer_relationship", "service_delivery"]
    # The open box moved down with its purpose; the one that came up is still folded.
    assert purpose_box_open(at, 0, 1) and not purpose_box_open(at, 0, 0)
    open_purpose(at, 0, 0)
    assert at.selectbox(key="f.registers.0.purposes.0.basis").value == "legitimate_interest"
    assert at.text_area(key="f.registers.0.purposes.0.legitimate_interest.fi").value
    at.button(key="b.rm.registers.0.purposes.0").click()
    run(at)
    # The boxes below moved up with their purposes: the open one is now the first.
    assert purpose_box_open(at, 0, 0)
    assert at.selectbox(key="f.registers.0.purposes.0.basis").value == "contract"
    # Removing a register asks first.
    open_register(at, 2)
    at.button(key="b.rm.registers.2").click()
    run(at)
    assert len(draft(at).registers) == 3
    at.button(key="b.rm_yes.2").click()
    run(at)
    assert len(draft(at).registers) == 2


def _drawn_registers(at: AppTest) -> set[int]:
    """The registers whose fields are on the page (their keys ``f.registers.N...``)."""
    widgets = (*at.text_input, *at.text_area, *at.multiselect, *at.selectbox, *at.radio,
               *at.toggle, *at.checkbox, *at.number_input)
    keys = [str(w.key) for w in widgets if w.key and str(w.key).startswith("f.registers.")]
    return {int(k.split(".")[2]) for k in keys}


def test_a_step_draws_the_open_register_only() -> None:
    """Issue #15: a closed register costs one element, not its fields; opening it (a click)
    draws it, and renaming it does not close it under the user's typing."""
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    goto(at, "registers")
    assert _drawn_registers(at) == {0}
    registers = [e.label for e in at.expander if e.label[:1].isdigit() and " · " not in e.label]
    assert registers[1].startswith("2. ")  # (a purpose's box reads "1. Markkinointi · Suostumus")
    first = draft(at).registers[0]
    at.button(key="b.down.registers.0").click()  # the open register moves; its box with it
    run(at)
    assert draft(at).registers[1] == first and _drawn_registers(at) == {1}
    at.button(key="b.up.registers.1").click()
    run(at)
    assert draft(at).registers[0] == first and _drawn_registers(at) == {0}
    open_register(at, 1)
    assert _drawn_registers(at) == {0, 1}
    at.text_input(key="f.registers.1.name.fi").input("Kirjeen tilaajat")
    run(at)
    assert draft(at).registers[1].name.fi == "Kirjeen tilaajat"
    assert _drawn_registers(at) == {0, 1}  # still open under the new name
    assert "2. Kirjeen tilaajat" in [e.label for e in at.expander]
    for step in ("data", "services", "retention"):
        goto(at, step)
        assert _drawn_registers(at) == {0}, step
        open_register(at, 2)
        assert _drawn_registers(at) == {2}, step
    goto(at, "data")
    assert _drawn_registers(at) == {0}  # a new visit opens the first register again


def test_presets_add_typical_registers() -> None:
    at = new_app()
    goto(at, "registers")
    for preset in ("customers", "newsletter", "webshop", "contacts", "applicants"):
        at.button(key=f"b.preset.{preset}").click()
        run(at)
    regs = draft(at).registers
    assert [r.preset for r in regs] == ["customers", "newsletter", "webshop", "contacts",
                                        "applicants"]
    assert all(not r.name for r in regs)  # the name renders from the preset key
    assert all(p.basis is not None for r in regs for p in r.purposes)
    # Everything else is a proposal with a one-click accept, not a filled-in answer (issue #11).
    assert not any(r.data_subjects or r.security_electronic for r in regs)
    at.button(key="b.accept.registers.0.data_subjects").click()
    run(at)
    assert draft(at).registers[0].data_subjects == ["customers", "business_contacts"]
    # A preset is a starting point: it can be changed like any answer.
    at.text_input(key="f.registers.4.name").input("Rekrytointi")
    run(at)
    assert draft(at).registers[4].name.fi == "Rekrytointi"


def test_a_purpose_without_a_basis_is_flagged_next_to_the_basis() -> None:
    at = new_app()
    goto(at, "registers")
    at.button(key="b.add_register").click()
    run(at)
    at.selectbox(key="s.purpose.0.choice").set_value("newsletter")
    run(at)
    at.button(key="b.add_purpose.0").click()
    run(at)
    after = next_sibling(at, at.selectbox(key="f.registers.0.purposes.0.basis"))
    assert after is not None and "käsittelyperuste" in str(after.value)
    at.selectbox(key="f.registers.0.purposes.0.basis").set_value("consent")
    run(at)
    # The finding is gone: what follows the field now is its standing help note.
    after = next_sibling(at, at.selectbox(key="f.registers.0.purposes.0.basis"))
    assert after is not None
    assert str(after.value) == Texts("seloste.web.ui", "fi")("registers.basis_help")


def test_next_and_back_walk_the_steps_in_order() -> None:
    at = new_app()
    for step in STEP_KEYS[1:]:
        at.button(key="nav.next").click()
        run(at)
        assert shown_step(at)[0] == step
    assert not [b for b in at.button if b.key == "nav.next"]
    for step in reversed(STEP_KEYS[:-1]):
        at.button(key="nav.back").click()
        run(at)
        assert shown_step(at)[0] == step


def test_loading_a_draft_file() -> None:
    at = new_app()
    goto(at, "start")
    meunier = load_example("meunier")
    at.file_uploader(key="start.upload").upload(
        "luonnos.json", dump_draft(meunier).encode(), "application/json")
    run(at)
    assert draft(at) == meunier
    # A second file replaces answers only after a confirmation.
    keinuma = load_example("keinuma")
    at.file_uploader(key="start.upload").set_value(
        ("k.json", dump_draft(keinuma).encode(), "application/json"))
    run(at)
    assert draft(at) == meunier
    at.button(key="start.confirm").click()
    run(at)
    assert draft(at) == keinuma


def test_a_broken_draft_file_lists_its_errors_and_changes_nothing() -> None:
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    broken = dump_draft(load_example("keinuma")).replace('"3299471-6"', '"3299471-5"')
    broken = broken.replace('"heidi@keinuma.fi"', '"heidi@"', 1)
    at.file_uploader(key="start.upload").upload("rikki.json", broken.encode(),
                                                "application/json")
    run(at)
    assert draft(at) == load_example("keinuma")
    assert any("ei voitu avata" in e for e in errors_text(at))
    listing = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "controller.business_id" in listing
    assert "controller.email" in listing
    assert "Y-tunnus ei kelpaa" in listing


def test_new_draft_after_confirmation() -> None:
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    at.button(key="start.new").click()
    run(at)
    assert draft(at) == load_example("keinuma")
    at.button(key="start.cancel").click()
    run(at)
    assert draft(at) == load_example("keinuma")
    at.button(key="start.new").click()
    run(at)
    at.button(key="start.confirm").click()
    run(at)
    assert draft(at) == Notice()


def test_dates_and_optional_people() -> None:
    at = new_app()
    goto(at, "controller")
    at.toggle(key="t.dpo").set_value(True)
    run(at)
    at.text_input(key="f.dpo.email").input("dpo@keinuma.fi")
    at.date_input(key="f.updated").set_value(dt.date(2025, 3, 4))
    run(at)
    dpo = draft(at).dpo
    assert dpo is not None and dpo.email == "dpo@keinuma.fi"
    assert draft(at).updated == dt.date(2025, 3, 4)
    at.toggle(key="t.dpo").set_value(False)
    run(at)
    assert draft(at).dpo is None


def test_user_text_is_shown_literally_not_as_markdown() -> None:
    at = new_app()
    goto(at, "controller")
    at.text_input(key="f.controller.name").input("[Oy](https://evil.example) :red[x]")
    run(at)
    goto(at, "registers")
    at.button(key="b.add_register").click()
    run(at)
    at.text_input(key="f.registers.0.name").input("**Asiakkaat**")
    run(at)
    assert at.expander[1].label == "1. \\*\\*Asiakkaat\\*\\*"
    goto(at, "start")
    info = at.info[0].value
    assert "\\[Oy\\]\\(https\\:" in info and "\\:red\\[x\\]" in info


def _purpose_boxes(at: AppTest) -> list[str]:
    return [str(e.label) for e in at.expander if " · " in str(e.label)]


def test_finished_purposes_fold_and_what_needs_an_answer_stays_open() -> None:
    """Issue #15: a purpose whose answers are complete is one folded box that says what it is
    and on which basis; a visit opens the purposes still missing an answer, and one just added
    stays open while the user fills it in (a new label does not close it)."""
    ui, clause = Texts("seloste.web.ui", "fi"), Texts("seloste.clauses", "fi")
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    goto(at, "registers")
    ex = draft(at).registers[0].purposes
    assert _purpose_boxes(at) == [
        f"{j + 1}. {md(upper_first(clause(f'purpose.{p.purpose}')))}"
        f" · {ui(f'basis.{p.basis}.short')}"
        for j, p in enumerate(ex)]
    assert not any(purpose_box_open(at, 0, j) for j in range(len(ex)))
    # A new purpose: open, its basis still to choose ...
    at.button(key="b.add_purpose.0").click()
    run(at)
    new = len(ex)
    assert purpose_box_open(at, 0, new)
    assert _purpose_boxes(at)[new].endswith(f" · {ui('registers.basis_none')}")
    # ... and still open once the basis is chosen and its label changed with it.
    at.selectbox(key=f"f.registers.0.purposes.{new}.basis").select("consent")
    run(at)
    assert purpose_box_open(at, 0, new)
    assert _purpose_boxes(at)[new].endswith(f" · {ui('basis.consent.short')}")
    # The next visit folds it: it is finished. One without a basis opens on arrival.
    goto(at, "data")
    goto(at, "registers")
    assert not purpose_box_open(at, 0, new)
    changed = draft(at).model_copy(deep=True)
    changed.registers[0].purposes[1].basis = None
    at.session_state["_draft"] = changed
    at.session_state["_revision"] = at.session_state["_revision"] + 1
    goto(at, "data")
    goto(at, "registers")
    assert purpose_box_open(at, 0, 1) and not purpose_box_open(at, 0, 0)


def test_finished_retention_rules_fold_and_a_new_one_stays_open() -> None:
    """Issue #15: the retention step folds a finished rule into one box named by what it
    keeps and for how long; the rule just added is open, its controls drawn."""
    clause = Texts("seloste.clauses", "fi")
    at = new_app()
    goto(at, "start")
    at.button(key="start.example.keinuma").click()
    run(at)
    goto(at, "retention")
    rules = draft(at).registers[0].retention
    labels = [str(e.label) for e in at.expander if str(e.label)[:1].isdigit()]
    assert len(labels) == len(rules)
    preset = next(k for k, r in enumerate(rules) if r.preset is not None)
    assert labels[preset] == (  # the label is Markdown: the clause's own punctuation escaped
        f"{preset + 1}. {md(upper_first(clause(f'retention.preset.{rules[preset].preset}')))}")
    own = rules[0]
    assert own.preset is None and own.subject is not None and own.amount and own.unit
    assert labels[0].startswith(
        f"1. {md(upper_first(clause(f'retention.subject.{own.subject}')))} {own.amount} ")
    controls = [str(b.key) for b in at.button if str(b.key).startswith("b.rm.registers.0.")]
    assert controls == []  # every rule folded: no controls drawn
    at.button(key="b.add_rule.0").click()  # the form's first choice, a preset rule
    run(at)
    controls = [str(b.key) for b in at.button if str(b.key).startswith("b.rm.registers.0.")]
    assert controls == [f"b.rm.registers.0.retention.{len(rules)}"]
