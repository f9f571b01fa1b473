"""The start page's "start from your old notice" box: upload or paste, confirm what was found.

Reading runs in a worker process (`seloste.isolation`, as on the check page): a hostile file
costs only its worker. What the text proposes (seloste.import_notice) is listed with a tick box
each, unticked: only ticked items reach the new draft. What was not found is listed too, and the
lint's findings on the old text stay beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from seloste.catalogue import load_catalogue
from seloste.i18n import Texts, upper_first
from seloste.import_notice import FIELDS, ImportedNotice, draft_from, read_file, read_pasted
from seloste.isolation import WorkerFailed, run_isolated
from seloste.lint import SUPPORTED_SUFFIXES, FileProblem, LintReport, outdated_groups
from seloste.web import state
from seloste.web.state import t
from seloste.web.widgets import md, severity_box

RESULT = "_import_result"
PROBLEM = "_import_problem"


def _read() -> None:
    st.session_state.pop(RESULT, None)
    st.session_state.pop(PROBLEM, None)
    for key in [k for k in st.session_state if str(k).startswith("start.import.")]:
        del st.session_state[key]
    uploaded = st.session_state.get("start.import_file")
    text = st.session_state.get("start.import_paste", "") or ""
    try:
        if uploaded is not None:
            result = run_isolated(read_file, uploaded.getvalue(), uploaded.name)
        elif text.strip():
            result = run_isolated(read_pasted, text)
        else:
            st.session_state[PROBLEM] = t("start.import_nothing")
            return
    except FileProblem as exc:
        st.session_state[PROBLEM] = exc.message(state.ui_lang())
        return
    except WorkerFailed:
        st.session_state[PROBLEM] = Texts("seloste.findings", state.ui_lang())(
            "file_error.timeout")
        return
    st.session_state[RESULT] = result


def _keys(found: ImportedNotice) -> list[str]:
    return ([f"f.{p}" for p in found.found] + [f"r.{n}" for n in found.registers]
            + [f"s.{s}" for s in found.services])


def _tick_all(found: ImportedNotice) -> None:
    for key in _keys(found):
        st.session_state[f"start.import.{key}"] = True


def _ticked(prefix: str, values: list[str]) -> set[str]:
    return {v for v in values if st.session_state.get(f"start.import.{prefix}.{v}")}


def _apply(found: ImportedNotice, request: Callable[[str, Any], None]) -> None:
    notice = draft_from(found, _ticked("f", list(found.found)),
                        _ticked("r", found.registers), _ticked("s", found.services),
                        state.draft().language)
    request("file", notice)


def _lint(report: LintReport) -> None:
    f = Texts("seloste.findings", state.ui_lang())
    st.markdown(f"**{t('start.import_lint')}**")
    for severity, where, message in outdated_groups(report, state.ui_lang()):
        severity_box(severity, f"**{upper_first(f(f'severity.{severity.value}'))} · {where}**"
                               f" — {message}")
    for m in report.missing:
        st.warning(f"**{m.item} · {m.title(state.ui_lang())}**", icon=":material/help:")


def _proposals(found: ImportedNotice, report: LintReport,
               request: Callable[[str, Any], None]) -> None:
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**{t('start.import_found')}**")
        for path in FIELDS:
            if path in found.found:
                st.checkbox(f"{t(f'start.import_field.{path}')}: {md(found.found[path])}",
                            key=f"start.import.f.{path}")
        if found.missing:
            st.caption(t("start.import_missing", fields=", ".join(
                t(f"start.import_field.{p}") for p in found.missing)))
        st.markdown(f"**{t('start.import_registers')}**")
        if not found.registers:
            st.caption(t("start.import_no_registers"))
        for name in found.registers:
            st.checkbox(md(name), key=f"start.import.r.{name}")
        st.markdown(f"**{t('start.import_services')}**")
        catalogue = load_catalogue()
        for sid in found.services:
            st.checkbox(catalogue.get(sid).name, key=f"start.import.s.{sid}")
        st.caption(t("start.import_confirm"))
        a, b = st.columns(2)
        a.button(t("start.import_all"), key="start.import_all", icon=":material/done_all:",
                 on_click=_tick_all, args=(found,))
        b.button(t("start.import_apply"), key="start.import_apply", type="primary",
                 icon=":material/east:", on_click=_apply, args=(found, request))
    with right:
        _lint(report)


def import_box(request: Callable[[str, Any], None]) -> None:
    """Upload or paste the old notice; confirm what the new draft takes from it."""
    with st.container(border=True, key="import_box"):
        st.header(t("start.import_title"), anchor=False)
        st.markdown(t("start.import_text"))
        st.file_uploader(t("start.import_upload"),
                         type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
                         key="start.import_file")
        st.text_area(t("start.import_paste"), key="start.import_paste", height=120)
        st.button(t("start.import_read"), key="start.import_read",
                  icon=":material/document_scanner:", on_click=_read)
        problem = st.session_state.get(PROBLEM)
        if problem:
            st.error(problem, icon=":material/error:")
        result = st.session_state.get(RESULT)
        if result is not None:
            found, report = result
            _proposals(found, report, request)
