"""The checks' findings for the current draft, computed once per draft revision.

`seloste.checks` judges the draft (Art. 13/14 completeness, Finnish law); the wizard shows its
findings per step, next to the field named by a finding's path, and on the review page.
"""

from __future__ import annotations

import importlib
from typing import Any

import streamlit as st

from seloste.web import state

_CACHE = "_findings"

SEVERITIES = ("error", "warning", "tip")


def _checks() -> Any:
    try:
        return importlib.import_module("seloste.checks")
    except ImportError:
        return None


def available() -> bool:
    return _checks() is not None


def current() -> list[Any]:
    """Findings for the draft as it is now (empty when the checks are not installed)."""
    checks = _checks()
    if checks is None:
        return []
    rev = state.revision()
    cached = st.session_state.get(_CACHE)
    if cached is not None and cached[0] == rev:
        found: list[Any] = cached[1]
        return found
    found = list(checks.run_checks(state.draft()))
    st.session_state[_CACHE] = (rev, found)
    return found


def for_step(step: str) -> list[Any]:
    checks = _checks()
    if checks is None:
        return []
    return list(checks.findings_for_step(current(), step))


def at_path(path: str) -> list[Any]:
    return [f for f in current() if getattr(f, "path", "") == path]


def completeness() -> dict[str, str] | None:
    checks = _checks()
    if checks is None:
        return None
    result: dict[str, str] = checks.completeness(state.draft(), current())
    return result


def severity(finding: Any) -> str:
    return str(getattr(finding, "severity", "tip"))
