"""Proposals in the wizard: a preset's or the catalogue's suggestion, shown with one-click accept.

A proposal (seloste.facts) is never an answer: the notice prints nothing of it and the step
stays unfinished until the user accepts it (this button) or answers otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from pydantic import BaseModel

from seloste.web import derived, state
from seloste.web.state import t


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", round_trip=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _accept(path: str, value: Any) -> None:
    state.set_value(path, _plain(value))


def accept_button(path: str, value: Any, shown: str) -> None:
    """"Proposal: <shown> [Accept]" for the empty field at ``path``."""
    with st.container(border=True):
        st.caption(t("proposal.text", value=shown))
        st.button(t("proposal.accept"), key=f"b.accept.{path}", icon=":material/done:",
                  on_click=_accept, args=(path, value))


def register_field(index: int, field: str, label: Callable[[Any], str]) -> None:
    """The preset's proposal for register ``index``'s empty ``field``, if it has one."""

    rf = derived.facts(state.ui_lang()).registers[index]
    if field not in rf.proposals:
        return
    value = rf.proposals[field]
    shown = ", ".join(label(v) for v in value) if isinstance(value, list) else label(value)
    accept_button(f"registers.{index}.{field}", value, shown)
