"""The add-form helper (seloste/web/add_form.py) as the cookies step uses it, and the optional
persons' toggles: the pages keep no session keys; what the user sees is asserted."""

from __future__ import annotations

import itertools

from streamlit.testing.v1 import AppTest
from test_web_support import draft, errors_text, goto, new_app, ok

from seloste.model import CookieSettings, Notice

_REVISION = itertools.count(20_000)


def _load(at: AppTest, notice: Notice) -> None:
    at.session_state["_draft"] = notice
    at.session_state["_revision"] = next(_REVISION)


def _swedish_with_cookies() -> Notice:
    return Notice(language="sv", languages=["sv"], cookies=CookieSettings(uses_cookies=True))


def test_an_added_cookies_description_is_text_in_the_notices_language() -> None:
    """Read like every other answer: a Swedish notice's description is Swedish text (the page
    validated without the notice's language before, so the tests' Finnish default decided)."""
    at = new_app()
    _load(at, _swedish_with_cookies())
    goto(at, "cookies")
    at.text_input(key="s.cookie.name").input("cart")
    at.text_input(key="s.cookie.description").input("Varukorgens innehåll")
    ok(at.run())
    at.button(key="b.add_cookie").click()
    ok(at.run())
    cookie = draft(at).cookies.custom_cookies[0]
    assert cookie.name == "cart"
    assert cookie.description.sv == "Varukorgens innehåll"
    assert cookie.description.fi == ""
    assert at.text_input(key="s.cookie.name").value == ""  # the form is cleared


def test_problems_stay_until_the_form_is_submitted_right_and_typing_is_kept() -> None:
    at = new_app()
    _load(at, _swedish_with_cookies())
    goto(at, "cookies")
    at.text_input(key="s.cookie.provider").input("Oma Oy")
    ok(at.run())
    at.button(key="b.add_cookie").click()
    ok(at.run())
    assert any(e.startswith("Evästeen nimi:") for e in errors_text(at)), errors_text(at)
    goto(at, "services")
    goto(at, "cookies")
    assert at.text_input(key="s.cookie.provider").value == "Oma Oy"
    assert any(e.startswith("Evästeen nimi:") for e in errors_text(at)), errors_text(at)
    at.text_input(key="s.cookie.name").input("pref")
    ok(at.run())
    at.button(key="b.add_cookie").click()
    ok(at.run())
    assert not any(e.startswith("Evästeen nimi:") for e in errors_text(at))
    assert [c.provider for c in draft(at).cookies.custom_cookies] == ["Oma Oy"]


def test_the_dpo_toggle_adds_and_removes_the_person_and_follows_a_loaded_draft() -> None:
    at = new_app()
    goto(at, "controller")
    assert at.toggle(key="t.dpo").value is False
    at.toggle(key="t.dpo").set_value(True)
    ok(at.run())
    assert draft(at).dpo is not None
    assert at.text_input(key="f.dpo.name")
    at.toggle(key="t.dpo").set_value(False)
    ok(at.run())
    assert draft(at).dpo is None
    assert not [x for x in at.text_input if x.key == "f.dpo.name"]
    _load(at, draft(at).model_copy(update={"dpo": draft(at).privacy_contact}))
    ok(at.run())
    assert at.toggle(key="t.dpo").value is True
