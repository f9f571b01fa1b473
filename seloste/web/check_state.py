"""The check-notice page's result, kept in session state so that it survives reruns.

One non-widget key each for the report (with the line naming its source) and for a problem
message; the page reads and writes them only through these functions, so it holds no
session keys of its own. Nothing is stored beyond the session.
"""

from __future__ import annotations

import streamlit as st

from seloste.lint import LintReport

REPORT = "_check_notice_report"
PROBLEM = "_check_notice_problem"


def clear() -> None:
    st.session_state.pop(REPORT, None)
    st.session_state.pop(PROBLEM, None)


def keep_report(source: str, report: LintReport) -> None:
    st.session_state[REPORT] = (source, report)


def keep_problem(message: str) -> None:
    st.session_state[PROBLEM] = message


def report() -> tuple[str, LintReport] | None:
    """(source line, report) of the last check, or None."""
    kept: tuple[str, LintReport] | None = st.session_state.get(REPORT)
    return kept


def problem() -> str | None:
    kept: str | None = st.session_state.get(PROBLEM)
    return kept
