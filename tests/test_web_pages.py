"""Every wizard page runs without an exception: on an empty draft, on each example, in every UI
language; the sidebar lists every step with its state."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_web_support import draft, goto, new_app, ok

from seloste.examples import NAMES, load_example
from seloste.web.steps import STEP_KEYS

PAGES = [s for s in STEP_KEYS]


def open_example(at: AppTest, name: str) -> None:
    goto(at, "start")
    at.button(key=f"start.example.{name}").click()
    ok(at.run())
    if at.session_state.get("_pending"):
        at.button(key="start.confirm").click()
        ok(at.run())
    assert draft(at) == load_example(name)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_page_on_an_empty_draft(lang: str) -> None:
    at = new_app()
    at.session_state["_ui_lang"] = lang
    for step in PAGES:
        goto(at, step)
        assert at.title, step


@pytest.mark.parametrize("name", NAMES)
def test_every_page_on_each_example(name: str) -> None:
    at = new_app()
    open_example(at, name)
    for lang in ("fi", "sv", "en"):
        at.session_state["_ui_lang"] = lang
        for step in PAGES:
            goto(at, step)
    assert draft(at) == load_example(name)


def test_every_page_without_the_preview() -> None:
    at = new_app()
    open_example(at, "meunier")
    at.toggle(key="s.pref.preview").set_value(False)
    ok(at.run())
    for step in PAGES:
        goto(at, step)
        assert not [h for h in at.html if "tietosuojaseloste" in h.value] or step == "review"


def test_sidebar_lists_every_step_with_its_state() -> None:
    at = new_app()
    links = at.sidebar.get("page_link")
    assert len(links) >= len(STEP_KEYS)
    labels = [link.proto.label for link in links]
    assert "aloittamatta" in labels[1]
    open_example(at, "keinuma")
    goto(at, "controller")
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    assert "valmis" in labels[1], labels


def test_a_visited_step_is_done_only_once_answered() -> None:
    """Issue #18: a step the user only looked at is not "valmis"; the explicit "none" answers
    (no cookies; nobody else processes the register's data) are stored and make it done."""
    at = new_app()
    goto(at, "registers")
    at.button(key="b.add_register").click()
    ok(at.run())
    at.text_input(key="f.registers.0.name").input("Asiakkaat")
    ok(at.run())
    for step in ("services", "cookies"):
        goto(at, step)

    def label(step: str) -> str:
        return str(at.sidebar.get("page_link")[STEP_KEYS.index(step)].proto.label)

    assert "valmis" not in label("services") and "valmis" not in label("cookies")
    at.toggle(key="f.cookies.no_cookies_confirmed").set_value(True)
    ok(at.run())
    assert draft(at).cookies.no_cookies_confirmed is True
    assert "valmis" in label("cookies"), label("cookies")
    goto(at, "services")
    at.toggle(key="f.registers.0.no_recipients_confirmed").set_value(True)
    ok(at.run())
    assert draft(at).registers[0].no_recipients_confirmed is True
    assert "valmis" in label("services"), label("services")


def test_preview_beside_each_step_is_the_renderers_fragment() -> None:
    from seloste.render import render_fragment

    at = new_app()
    open_example(at, "keinuma")
    goto(at, "registers")
    expected = render_fragment(load_example("keinuma"), "fi")
    assert [h.value for h in at.html] == [expected.strip()], [h.value[:80] for h in at.html]
