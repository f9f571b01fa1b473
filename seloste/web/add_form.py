"""Add forms: fields typed into scratch state, validated by the model, added to a list.

One implementation, so every add form validates the same way and shows its problems in the
same style: through the model (``model_validate``, with the notice's language as the language
of plain free text, as every other answer is read), errors translated into the UI language and
kept here, per form, until the form is submitted again. A page names its form, its fields and
its model; it holds no session keys of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st
from pydantic import BaseModel, ValidationError

from seloste.errors import translate
from seloste.localized import TEXT_LANG
from seloste.web import state
from seloste.web import widgets as w

#: form name -> the last submission's problems, (error path, message in the UI language).
PROBLEMS = "_add_form_problems"


def submit(form: str, fields: Sequence[str], model: type[BaseModel], list_path: str, *,
           prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> bool:
    """Validate the scratch fields ``form.<field>`` as ``model``; add the item to ``list_path``.

    Empty fields are left out, so the model's defaults apply. ``prepare`` may adjust the
    values first (drop one that does not apply). On success the form is cleared; on failure
    what was typed stays and the problems are kept for `show_problems`. True if added.
    """
    data: dict[str, Any] = {f: state.scratch_get(f"{form}.{f}") for f in fields}
    if prepare is not None:
        data = prepare(data)
    data = {k: v for k, v in data.items() if v not in (None, "")}
    try:
        item = model.model_validate(data, context={TEXT_LANG: state.draft().language})
    except ValidationError as exc:
        _store()[form] = [(e.path, e.message) for e in translate(exc, state.ui_lang())]
        return False
    _store().pop(form, None)
    state.list_add(list_path, item)
    state.clear_scratch(form)
    return True


def problems(form: str) -> list[tuple[str, str]]:
    """The last submission's problems of ``form``: (error path, message); [] if none."""
    return list(_store().get(form, []))


def show_problems(form: str, labels: Mapping[str, str]) -> None:
    """Each problem under the form, named by its field's label (``labels``: field -> UI key)."""
    w.show_errors([(w.field_label(labels, path), message) for path, message in problems(form)])


def _store() -> dict[str, list[tuple[str, str]]]:
    store: dict[str, list[tuple[str, str]]] = st.session_state.setdefault(PROBLEMS, {})
    return store
