"""The keinuma example typed in through the wizard's widgets, step by step, with detours.

Nothing is loaded from the example file: every answer goes through a widget, the way a user
gives it (including a register added in the wrong order and moved, and visits back to earlier
steps). At the end the draft must equal the example, and the review step's downloads must be
byte-identical to `seloste render` of it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from test_web_support import (
    download_bytes,
    downloads,
    draft,
    goto,
    new_app,
    ok,
    open_purpose,
    open_register,
)

from seloste.cli import main as cli_main
from seloste.draft_file import dump_draft
from seloste.examples import load_example
from seloste.localized import iter_localized
from seloste.model import Notice
from seloste.web import paths
from seloste.web.state import NOT_ANSWERED

__all__ = ["downloads"]

def _finnish_only(notice: Notice) -> Notice:
    """The example as a user who publishes in Finnish only types it (the translations and
    their fields are tested in tests/test_l10n.py)."""
    changes: dict[str, Any] = {"languages": []}
    for path, value in iter_localized(notice):
        changes[path] = {"fi": value.fi} if value.fi else {}
    return paths.set_values(notice, changes)


def _typed(notice: Notice) -> dict[str, Any]:
    """The draft as JSON with each free-text answer as the Finnish string the user types."""
    data: dict[str, Any] = json.loads(dump_draft(notice))
    for path, value in iter_localized(notice):
        parts = paths.split(path)
        node: Any = data
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value.fi
    return data


EXAMPLE = _finnish_only(load_example("keinuma"))
EX = _typed(EXAMPLE)


def run(at: AppTest) -> AppTest:
    return ok(at.run())


def fill_controller(at: AppTest) -> None:
    goto(at, "controller")
    c = EX["controller"]
    for field in ("name", "business_id", "street", "postal_code", "city", "email", "website"):
        at.text_input(key=f"f.controller.{field}").input(c[field])
    at.text_input(key="f.controller.phone").input("050 3398065")
    p = EX["privacy_contact"]
    for field in ("name", "email", "phone"):
        at.text_input(key=f"f.privacy_contact.{field}").input(p[field])
    at.date_input(key="f.created").set_value(dt.date(2022, 8, 18))
    at.date_input(key="f.updated").set_value(dt.date(2023, 6, 24))
    run(at)
    assert at.text_input(key="f.controller.phone").value == EXAMPLE.controller.phone


def add_purpose(at: AppTest, reg: int, purpose: str, basis: str, interest: str) -> None:
    at.selectbox(key=f"s.purpose.{reg}.choice").set_value(purpose)
    run(at)
    at.button(key=f"b.add_purpose.{reg}").click()
    run(at)
    j = len(draft(at).registers[reg].purposes) - 1
    at.selectbox(key=f"f.registers.{reg}.purposes.{j}.basis").set_value(basis)
    run(at)
    if interest:
        at.text_area(key=f"f.registers.{reg}.purposes.{j}.legitimate_interest").input(interest)
        run(at)


def fill_register_basics(at: AppTest, reg: int, ex: dict[str, Any]) -> None:
    at.text_input(key=f"f.registers.{reg}.name").input(ex["name"])
    at.radio(key=f"f.registers.{reg}.kind").set_value(ex["kind"])
    at.multiselect(key=f"f.registers.{reg}.data_subjects").set_value(ex["data_subjects"])
    run(at)
    for p in ex["purposes"]:
        add_purpose(at, reg, p["purpose"], p["basis"], p["legitimate_interest"])


def fill_registers(at: AppTest) -> None:
    goto(at, "registers")
    # The newsletter register first, by mistake: moved down after the customer register is in.
    at.button(key="b.add_register").click()
    run(at)
    fill_register_basics(at, 0, EX["registers"][1])
    at.button(key="b.add_register").click()
    run(at)
    fill_register_basics(at, 1, EX["registers"][0])
    at.button(key="b.down.registers.0").click()
    run(at)
    assert [r.name.fi for r in draft(at).registers] == [r["name"] for r in EX["registers"][:2]]
    # The moved widgets show the moved values.
    assert at.text_input(key="f.registers.0.name").value == EX["registers"][0]["name"]
    at.button(key="b.add_register").click()
    run(at)
    fill_register_basics(at, 2, EX["registers"][2])


def fill_data(at: AppTest) -> None:
    goto(at, "data")
    for i, ex in enumerate(EX["registers"]):
        if i:
            open_register(at, i)  # the step draws the register whose tab is open
        at.multiselect(key=f"f.registers.{i}.data_categories").set_value(ex["data_categories"])
        at.multiselect(key=f"f.registers.{i}.sources").set_value(ex["sources"])
        at.text_area(key=f"f.registers.{i}.source_details").input(ex["source_details"])
        at.toggle(key=f"f.registers.{i}.profiling").set_value(ex["profiling"])
        run(at)
        for j, p in enumerate(ex["purposes"]):
            if p["requirement"]:
                at.radio(key=f"f.registers.{i}.purposes.{j}.requirement").set_value(
                    p["requirement"])
        run(at)
        if ex["profiling"]:
            at.text_area(key=f"f.registers.{i}.profiling_description").input(
                ex["profiling_description"])
            run(at)


def fill_services(at: AppTest) -> None:
    goto(at, "services")
    for i, ex in enumerate(EX["registers"]):
        if i:
            open_register(at, i)
        for use in ex["services"]:
            at.text_input(key=f"s.pick.{i}.query").input(use["catalogue_id"].split("_")[0])
            run(at)
            at.button(key=f"b.svc.{i}.{use['catalogue_id']}").click()
            run(at)
        for k, use in enumerate(ex["services"]):
            if use["dpa"]:
                at.radio(key=f"f.registers.{i}.services.{k}.dpa").set_value(use["dpa"])
        run(at)


def add_rule(at: AppTest, reg: int, rule: dict[str, Any]) -> None:
    kind = rule["preset"] or "own"
    at.radio(key=f"s.rule.{reg}.kind").set_value(kind)
    run(at)
    if kind == "own":
        if rule["subject"]:
            at.selectbox(key=f"s.rule.{reg}.subject").set_value(rule["subject"])
        if rule["what"]:
            at.text_input(key=f"s.rule.{reg}.what").input(rule["what"])
        if rule["amount"]:
            at.number_input(key=f"s.rule.{reg}.amount").set_value(rule["amount"])
        if rule["unit"]:
            at.selectbox(key=f"s.rule.{reg}.unit").set_value(rule["unit"])
        if rule["start"]:
            at.selectbox(key=f"s.rule.{reg}.start").set_value(rule["start"])
        if rule["reason"]:
            at.text_area(key=f"s.rule.{reg}.reason").input(rule["reason"])
        run(at)
    at.button(key=f"b.add_rule.{reg}").click()
    run(at)


def fill_retention(at: AppTest) -> None:
    goto(at, "retention")
    for i, ex in enumerate(EX["registers"]):
        if i:
            open_register(at, i)
        for rule in ex["retention"]:
            add_rule(at, i, rule)
        at.multiselect(key=f"f.registers.{i}.security_manual").set_value(ex["security_manual"])
        at.multiselect(key=f"f.registers.{i}.security_electronic").set_value(
            ex["security_electronic"])
        run(at)


def fill_cookies(at: AppTest) -> None:
    goto(at, "cookies")
    at.toggle(key="f.cookies.uses_cookies").set_value(True)
    run(at)
    # Nothing presumed (issue #11): "not answered" is the option shown as chosen.
    assert at.radio(key="f.cookies.mechanism").value == NOT_ANSWERED
    at.radio(key="f.cookies.mechanism").set_value(EX["cookies"]["mechanism"])
    at.radio(key="f.cookies.withdraw").set_value(EX["cookies"]["withdraw"])
    run(at)


def render_cli(notice: Notice, fmt: str, tmp_path: Path) -> bytes:
    src = tmp_path / "draft.json"
    src.write_text(dump_draft(notice), encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    assert cli_main(["render", str(src), "--format", fmt, "--output", str(out)]) == 0
    return out.read_bytes()


@pytest.mark.slow
def test_keinuma_through_the_widgets(downloads: dict[str, bytes], tmp_path: Path) -> None:
    at = new_app()
    fill_controller(at)
    fill_registers(at)
    # Back to the company step and forward again: nothing is lost.
    goto(at, "controller")
    assert at.text_input(key="f.controller.business_id").value == "3299471-6"
    assert at.date_input(key="f.created").value == dt.date(2022, 8, 18)
    goto(at, "registers")
    open_purpose(at, 0, 1)  # finished purposes are folded on arrival
    assert at.text_area(key="f.registers.0.purposes.1.legitimate_interest").value == (
        EX["registers"][0]["purposes"][1]["legitimate_interest"])
    fill_data(at)
    at.button(key="nav.back").click()
    run(at)
    assert at.session_state["_current_step"] == "registers"
    goto(at, "registers")  # AppTest's own page, so that the next run stays here
    open_register(at, 2)
    assert at.multiselect(key="f.registers.2.data_subjects").value == (
        EX["registers"][2]["data_subjects"])
    fill_services(at)
    fill_retention(at)
    goto(at, "data")
    open_register(at, 1)
    assert at.text_area(key="f.registers.1.profiling_description").value == (
        EX["registers"][1]["profiling_description"])
    fill_cookies(at)
    goto(at, "review")

    assert dump_draft(draft(at)) == dump_draft(EXAMPLE)
    assert draft(at) == EXAMPLE
    assert download_bytes(at, "dl.docx") == render_cli(EXAMPLE, "docx", tmp_path)
    assert download_bytes(at, "dl.page") == render_cli(EXAMPLE, "page", tmp_path)
    assert download_bytes(at, "dl.md") == render_cli(EXAMPLE, "md", tmp_path)
    assert download_bytes(at, "dl.draft") == dump_draft(EXAMPLE).encode("utf-8")
    fragment = render_cli(EXAMPLE, "html", tmp_path).decode("utf-8")
    assert at.code[0].value == fragment.rstrip("\n")
