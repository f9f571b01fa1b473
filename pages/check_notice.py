"""Check a current notice: paste or upload it, see outdated law, possibly missing items, services.

The page draws only; `seloste.lint` does the checking. The report is kept in one non-widget
session key so that it survives reruns and language switches (its messages are built in the UI
language each time it is drawn). Nothing is stored beyond the session.

Reading and checking run in a worker process (`seloste.isolation`): a hostile file costs its own
worker, never the server, and ends as a message in the UI language.
"""

from __future__ import annotations

import streamlit as st

from seloste.catalogue import load_catalogue
from seloste.checks import Severity
from seloste.i18n import Texts, upper_first
from seloste.isolation import WorkerFailed, prestart, run_isolated
from seloste.lint import (
    SUPPORTED_SUFFIXES,
    FileProblem,
    LintReport,
    format_lint,
    lint_bytes,
    lint_text,
    outdated_groups,
)
from seloste.vocab import Lang
from seloste.web.widgets import md, severity_box

REPORT = "_check_notice_report"
PROBLEM = "_check_notice_problem"
START_PAGE = "pages/start.py"


def _lang() -> Lang:
    try:
        from seloste.web import state
    except ImportError:  # the page also runs on its own (tests)
        return Lang.fi
    return state.ui_lang()


LANG = _lang()
prestart()  # the worker's forkserver, started before the first upload needs it
t = Texts("seloste.findings", LANG)


def _run(uploaded: object, text: str) -> None:
    st.session_state.pop(REPORT, None)
    st.session_state.pop(PROBLEM, None)
    name = getattr(uploaded, "name", "")
    shown = md(name)  # a file name is the sender's text: "![x](http://…).docx" stays text
    try:
        if uploaded is not None:
            source = t("ui.check_notice.source_file", name=shown)
            data: bytes = uploaded.getvalue()  # type: ignore[attr-defined]
            report = run_isolated(lint_bytes, data, name)
        else:
            source = t("ui.check_notice.source_text")
            report = run_isolated(lint_text, text)
        st.session_state[REPORT] = (source, report)
    except FileProblem as exc:
        if exc.kind == "no_text":
            st.session_state[PROBLEM] = t("ui.check_notice.empty")
        elif uploaded is None:
            st.session_state[PROBLEM] = exc.message(LANG)
        else:
            st.session_state[PROBLEM] = t("ui.check_notice.file_error", name=shown,
                                          error=exc.message(LANG))
    except WorkerFailed:
        if uploaded is None:
            st.session_state[PROBLEM] = t("file_error.text_timeout")
        else:
            st.session_state[PROBLEM] = t("ui.check_notice.file_error", name=shown,
                                          error=t("file_error.timeout"))


def _show(source: str, report: LintReport) -> None:
    st.caption(source)
    sev = {s: t(f"severity.{s.value}") for s in Severity}
    groups = outdated_groups(report, LANG)
    if groups:
        st.header(t("lint.outdated", count=len(groups)), anchor=False)
        for severity, where, message in groups:
            severity_box(severity, f"**{upper_first(sev[severity])} · {where}** — {message}")
    if report.missing:
        st.header(t("lint.missing_title", count=len(report.missing)), anchor=False)
        for m in report.missing:
            st.warning(f"**{m.item} · {m.title(LANG)}** — {m.message(LANG)}",
                       icon=":material/help:")
    catalogue = load_catalogue()
    if report.services:
        names = t("list_joiner").join(catalogue.get(s).name for s in report.services)
        st.markdown(t("lint.services", names=names))
    else:
        st.markdown(t("lint.no_services"))
    if report.findings:
        st.header(t("lint.catalogue", count=len(report.findings)), anchor=False)
        for f in report.findings:
            items = f" · {', '.join(f.items)}" if f.items else ""
            severity_box(f.severity,
                         f"**{upper_first(sev[f.severity])}{items}** — {f.message(LANG)}")
    if report.clean():
        st.success(t("lint.clean"))
    st.caption(t("lint.footer"))
    st.download_button(
        t("ui.check_notice.download"),
        data=format_lint(report, LANG, "text").encode("utf-8"),
        file_name="seloste-tarkistus.txt",
        mime="text/plain",
        on_click="ignore",
        key="check_notice.download",
    )


st.title(t("ui.check_notice.title"), anchor=False)
st.write(t("ui.check_notice.intro"))
st.caption(t("ui.check_notice.privacy"))

uploaded = st.file_uploader(
    t("ui.check_notice.upload"),
    type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
    key="check_notice.file",
)
pasted = st.text_area(t("ui.check_notice.paste"), height=260, key="check_notice.text")
if st.button(t("ui.check_notice.check"), type="primary", icon=":material/fact_check:",
             key="check_notice.run"):
    _run(uploaded, pasted)

if PROBLEM in st.session_state:
    st.error(st.session_state[PROBLEM])
if REPORT in st.session_state:
    _show(*st.session_state[REPORT])

st.divider()
if st.button(t("ui.check_notice.new_draft"), help=t("ui.check_notice.new_draft_help"),
             icon=":material/add_circle:", key="check_notice.new"):
    st.switch_page(START_PAGE)
