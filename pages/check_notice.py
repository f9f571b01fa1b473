"""Check a current notice: paste or upload it, see outdated law, possibly missing items, services.

The page draws only; `seloste.lint` does the checking. The report is kept by
`seloste.web.check_state` so that it survives reruns and language switches (its messages are
built in the UI language each time it is drawn). Nothing is stored beyond the session.

Reading and checking run in a worker process (`seloste.isolation`): a hostile file costs its own
worker, never the server, and ends as a message in the UI language.
"""

from __future__ import annotations

import streamlit as st

from seloste.catalogue import load_catalogue
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
from seloste.rules import Severity
from seloste.vocab import Lang
from seloste.web import check_state, state
from seloste.web.state import t
from seloste.web.widgets import go_to, md, severity_box

LANG: Lang = state.ui_lang()
prestart()  # the worker's forkserver, started before the first upload needs it
#: The report's words (severities, lint headings, file errors): the lint's own text package,
#: so that the page and `seloste lint` say the same. The page's own strings come from `t`.
report_t = Texts("seloste.findings", LANG)


def _run(uploaded: object, text: str) -> None:
    check_state.clear()
    name = getattr(uploaded, "name", "")
    shown = md(name)  # a file name is the sender's text: "![x](http://…).docx" stays text
    try:
        if uploaded is not None:
            source = t("check_notice.source_file", name=shown)
            data: bytes = uploaded.getvalue()  # type: ignore[attr-defined]
            report = run_isolated(lint_bytes, data, name)
        else:
            source = t("check_notice.source_text")
            report = run_isolated(lint_text, text)
        check_state.keep_report(source, report)
    except FileProblem as exc:
        if exc.kind == "no_text":
            check_state.keep_problem(t("check_notice.empty"))
        elif uploaded is None:
            check_state.keep_problem(exc.message(LANG))
        else:
            check_state.keep_problem(t("check_notice.file_error", name=shown,
                                          error=exc.message(LANG)))
    except WorkerFailed:
        if uploaded is None:
            check_state.keep_problem(report_t("file_error.text_timeout"))
        else:
            check_state.keep_problem(t("check_notice.file_error", name=shown,
                                          error=report_t("file_error.timeout")))


def _show(source: str, report: LintReport) -> None:
    st.caption(source)
    sev = {s: report_t(f"severity.{s.value}") for s in Severity}
    groups = outdated_groups(report, LANG)
    if groups:
        st.header(report_t("lint.outdated", count=len(groups)), anchor=False)
        for severity, where, message in groups:
            severity_box(severity, f"**{upper_first(sev[severity])} · {where}** — {message}")
    if report.missing:
        st.header(report_t("lint.missing_title", count=len(report.missing)), anchor=False)
        for m in report.missing:
            st.warning(f"**{m.item} · {m.title(LANG)}** — {m.message(LANG)}",
                       icon=":material/help:")
    catalogue = load_catalogue()
    if report.services:
        names = report_t("list_joiner").join(catalogue.get(s).name for s in report.services)
        st.markdown(report_t("lint.services", names=names))
    else:
        st.markdown(report_t("lint.no_services"))
    if report.findings:
        st.header(report_t("lint.catalogue", count=len(report.findings)), anchor=False)
        for f in report.findings:
            items = f" · {', '.join(f.items)}" if f.items else ""
            severity_box(f.severity,
                         f"**{upper_first(sev[f.severity])}{items}** — {f.message(LANG)}")
    if report.clean():
        st.success(report_t("lint.clean"))
    st.caption(report_t("lint.footer"))
    st.download_button(
        t("check_notice.download"),
        data=format_lint(report, LANG, "text").encode("utf-8"),
        file_name="seloste-tarkistus.txt",
        mime="text/plain",
        on_click="ignore",
        key="check_notice.download",
    )


st.title(t("check_notice.title"), anchor=False)
st.write(t("check_notice.intro"))
st.caption(t("check_notice.privacy"))

uploaded = st.file_uploader(
    t("check_notice.upload"),
    type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
    key="check_notice.file",
)
pasted = st.text_area(t("check_notice.paste"), height=260, key="check_notice.text")
if st.button(t("check_notice.check"), type="primary", icon=":material/fact_check:",
             key="check_notice.run"):
    _run(uploaded, pasted)

problem = check_state.problem()
if problem is not None:
    st.error(problem)
kept = check_state.report()
if kept is not None:
    _show(*kept)

st.divider()
st.button(t("check_notice.new_draft"), help=t("check_notice.new_draft_help"),
          icon=":material/add_circle:", key="check_notice.new", on_click=go_to, args=("start",))
