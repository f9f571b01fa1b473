"""Start: a new draft, one of the two examples, or a saved draft file; the draft's link.

Starting anew, opening an example or a file starts a new stored draft (a new link, created at
the first real answer); the previous draft stays in the store under its own link until it is
deleted here or purged for being unused.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from seloste.draft_file import DraftResult, parse_draft
from seloste.errors import FieldError, error_message
from seloste.examples import load_example
from seloste.isolation import WorkerFailed, prestart, run_isolated
from seloste.model import Notice
from seloste.vocab import Lang
from seloste.web import autosave, import_start, state, trade_start, widgets
from seloste.web.state import t

UPLOAD_ERRORS = "_upload_errors"
prestart()  # the worker's forkserver, started before the first upload needs it
PENDING_DELETE = "_pending_delete"


def _apply(kind: str, value: Any) -> None:
    if kind == "new":
        autosave.detach()
        state.replace_draft(Notice(language=state.draft().language))
        state.flash(t("start.started_new"))
    elif kind == "example":
        example = load_example(str(value))
        autosave.detach(pristine=example)
        state.replace_draft(example)
        state.flash(t("start.opened_example", name=t(f"start.example.{value}")))
    elif kind == "file":
        assert isinstance(value, Notice)
        autosave.detach()
        state.replace_draft(value)
        state.flash(t("start.opened_file", name=widgets.md(value.controller.name) or "–"))


def _request(kind: str, value: Any = None) -> None:
    """Replace the draft, after a confirmation when there are answers to lose."""
    if state.is_blank(state.draft()):
        _apply(kind, value)
    else:
        state.set_flag(state.PENDING, (kind, value))


def _confirm() -> None:
    pending = state.pop_flag(state.PENDING)
    if pending is not None:
        _apply(*pending)


def _cancel() -> None:
    state.pop_flag(state.PENDING)


def _uploaded() -> None:
    state.pop_flag(UPLOAD_ERRORS)
    file = state.widget_value("start.upload")
    if file is None:
        return
    # Parsed safely in a worker (bounded, `seloste.isolation`), then handed over whole.
    try:
        result: DraftResult = run_isolated(parse_draft, file.getvalue(), state.ui_lang(),
                                           autosave.settings().max_upload_bytes)
    except WorkerFailed:
        message = error_message("timeout", None, state.ui_lang())
        result = DraftResult(None, [FieldError("-", message)])
    if result.notice is None:
        state.set_flag(UPLOAD_ERRORS, [(e.path, e.message) for e in result.errors])
        return
    _request("file", result.notice)


def _ask_delete() -> None:
    state.set_flag(PENDING_DELETE, True)


def _delete() -> None:
    state.pop_flag(PENDING_DELETE)
    if autosave.delete_current():
        state.flash(t("drafts.deleted"))
    else:
        state.flash(t("drafts.problem_delete"), "error")


def _keep() -> None:
    state.pop_flag(PENDING_DELETE)


def _draft_box() -> None:
    """Where the answers are kept: the link (the key to the draft), export, delete."""
    link = autosave.link_url()
    stem = "tietosuojaseloste-luonnos"
    with st.container(border=True, key="draft_box"):
        st.header(t("drafts.title"), anchor=False)
        if not autosave.enabled():
            st.markdown(t("drafts.storage_off"))
        elif link is None:
            st.markdown(t("drafts.not_yet_saved"))
        else:
            st.markdown(t("drafts.link_is_key"))
            st.code(link, language=None, wrap_lines=True)
            st.caption(t("drafts.retention", days=autosave.settings().draft_retention_days))
        if state.is_blank(state.draft()):
            return
        export, remove = st.columns(2)
        autosave.draft_download(export, state.draft(), label=t("drafts.export"),
                                key="draft.export", file_name=f"{stem}.json",
                                icon=":material/download:")
        if link is None:
            return
        remove.button(t("drafts.delete"), key="draft.delete", icon=":material/delete_forever:",
                      on_click=_ask_delete)
        if state.flag(PENDING_DELETE):
            st.warning(t("drafts.delete_confirm"), icon=":material/warning:")
            yes, no = st.columns(2)
            yes.button(t("drafts.delete_yes"), key="draft.delete_yes", type="primary",
                       on_click=_delete)
            no.button(t("common.cancel"), key="draft.delete_no", on_click=_keep)


with widgets.step("start", side_preview=False):
    pending = state.flag(state.PENDING)
    if pending is not None:
        with st.container(border=True):
            st.warning(t("start.confirm_replace"), icon=":material/warning:")
            if autosave.token() is not None:
                st.markdown(t("start.confirm_keeps_link"))
            yes, no = st.columns(2)
            yes.button(t("start.confirm_yes"), key="start.confirm", on_click=_confirm,
                       type="primary")
            no.button(t("start.confirm_no"), key="start.cancel", on_click=_cancel)

    if not state.is_blank(state.draft()):
        name = widgets.md(state.draft().controller.name) or t("start.unnamed")
        st.info(t("start.current", name=name), icon=":material/edit_note:")
    _draft_box()

    trade_start.trade_box()
    import_start.import_box(_request)

    new_col, example_col = st.columns(2, gap="large")
    with new_col, st.container(border=True):
        st.header(t("start.new_title"), anchor=False)
        st.markdown(t("start.new_text"))
        st.button(t("start.new_button"), key="start.new", type="primary",
                  icon=":material/add:", on_click=_request, args=("new",))
        st.markdown(t("start.you_need"))
    with example_col, st.container(border=True):
        st.header(t("start.examples_title"), anchor=False)
        st.markdown(t("start.examples_text"))
        for name in ("keinuma", "meunier"):
            st.button(t(f"start.example.{name}"), key=f"start.example.{name}",
                      icon=":material/description:", on_click=_request, args=("example", name))
            st.caption(t(f"start.example.{name}_about"))

    with st.container(border=True):
        st.header(t("start.load_title"), anchor=False)
        st.file_uploader(t("start.load_label"), type=["json"], key="start.upload",
                         on_change=_uploaded)
        widgets.help_note(t("start.load_help"))
        upload_errors = state.flag(UPLOAD_ERRORS)
        if upload_errors:
            st.error(t("start.load_failed"), icon=":material/error:")
            st.markdown("\n".join(f"- {widgets.md(path)}: {widgets.md(message)}"
                                   for path, message in upload_errors))

    with st.container(border=True):
        st.header(t("start.language_title"), anchor=False)
        widgets.select("language", [lang.value for lang in Lang],
                       lambda v: t(f"lang.{v}"), t("start.language_label"), radio=True,
                       horizontal=True, help=t("start.language_help"))
        widgets.publication_languages(t("l10n.publish_label"), t("l10n.publish_help"))
