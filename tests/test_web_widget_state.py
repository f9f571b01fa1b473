"""`seloste.web.widget_state`: keyed widgets look up their own key instead of copying the whole
session state. The view must answer exactly what Streamlit's ``filtered_state`` answers, the
widgets must behave as unpatched, and a Streamlit whose widgets use the session state in any
other way must not be patched (and this file fails, so the upgrade is noticed)."""

from __future__ import annotations

import importlib
import inspect

import pytest
from streamlit.testing.v1 import AppTest
from test_web_support import goto, new_app, ok

from seloste.web import widget_state
from seloste.web.steps import STEP_KEYS


def test_the_installed_streamlit_is_patched() -> None:
    ok(new_app())  # app.py's first run installs the patch (state.init)
    assert widget_state.SKIPPED == []
    assert sorted(widget_state.INSTALLED) == sorted(widget_state.MODULES)
    for name in widget_state.MODULES:
        module = importlib.import_module(name)
        assert widget_state.check_module(inspect.getsource(module)) is None, name
        assert getattr(module.get_session_state, "seloste_patched", False), name


def _agrees(at: AppTest) -> int:
    """Compare `OneKeyView` with Streamlit's own copy on the session as it is now."""
    safe = at.session_state._state
    full = safe.filtered_state
    view = widget_state.OneKeyView(safe)
    for key, value in full.items():
        assert key in view, key
        assert view[key] == value or (value != value and view[key] != view[key]), key
    absent = ["f.no.such.field", "s.nothing", "$$STREAMLIT_INTERNAL_KEY_x", "$$ID-0-f.nope"]
    absent += [str(k) for k in safe._state._keys() if str(k) not in full]  # widget ids
    for key in absent:
        assert (key in view) == (key in full), key
    assert dict(view) == full and len(view) == len(full)
    return len(full)


def test_the_view_answers_as_filtered_state_on_every_step() -> None:
    at = new_app()
    at.button(key="start.example.keinuma").click()
    ok(at.run())
    sizes = {}
    for step in STEP_KEYS:
        goto(at, step)
        sizes[step] = _agrees(at)
    goto(at, "registers")  # keys of the pages left behind are gone again
    sizes["registers again"] = _agrees(at)
    assert sizes["registers"] > 50, sizes  # the keinuma registers page has many keyed widgets


def _widgets() -> None:
    import streamlit as st

    from seloste.web import widget_state

    widget_state.install()
    for key, value in (("sel", None), ("sel2", "b"), ("num", None), ("num2", 3),
                       ("rad", None), ("txt", "typed")):
        if key not in st.session_state:
            st.session_state[key] = value
    st.selectbox("sel", ["a", "b"], key="sel")
    st.selectbox("sel2", ["a", "b"], key="sel2")
    st.number_input("num", key="num", value=None)
    st.number_input("num2", key="num2", value=None)
    st.radio("rad", ["a", "b"], key="rad")
    st.text_area("txt", key="txt")
    st.text_input("plain")  # keyless


def test_patched_widgets_take_none_and_values_from_the_session_as_stock_ones() -> None:
    at = AppTest.from_function(_widgets)
    ok(at.run())
    assert at.selectbox(key="sel").value is None
    assert at.selectbox(key="sel2").value == "b"
    assert at.number_input(key="num").value is None
    assert at.number_input(key="num2").value == 3
    assert at.radio(key="rad").value is None
    assert at.text_area(key="txt").value == "typed"
    at.selectbox(key="sel").set_value("a")
    at.number_input(key="num").set_value(7)
    ok(at.run())
    assert at.selectbox(key="sel").value == "a"
    assert at.number_input(key="num").value == 7
    assert at.session_state["sel"] == "a" and at.session_state["num"] == 7


@pytest.mark.parametrize("line", [
    "x = session_state.keys()",
    "session_state[other] = 1",
    "for k in session_state: pass",
    "del session_state[key]",
])
def test_other_uses_of_the_session_state_are_refused(line: str) -> None:
    source = ("session_state = get_session_state().filtered_state\n"
              "if key in session_state and session_state[key] is None: pass\n" + line + "\n")
    reason = widget_state.check_module(source)
    assert reason is not None and "line 3" in reason


def test_a_module_that_no_longer_reads_filtered_state_is_refused() -> None:
    assert widget_state.check_module("state = get_session_state()\n") is not None
    ok_source = ("session_state = get_session_state().filtered_state\n"
                 "if key in session_state and session_state[key] is None: pass\n")
    assert widget_state.check_module(ok_source) is None
