"""The wizard's steps: their stable keys, their pages, and whether each is done.

The keys are an interface: the checks engine (`seloste.checks`) names the step that fixes a
finding with one of them, and the review page turns that into a button. Keep them stable.
Nothing here imports Streamlit, so the progress rules are tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from seloste.checks import run_checks
from seloste.model import Notice, Register
from seloste.rules import Finding, Severity
from seloste.steps import STEP_KEYS, step_for_path

#: Material icons per step for the sidebar.
ICONS = {
    "start": ":material/home:",
    "controller": ":material/business:",
    "registers": ":material/folder_shared:",
    "data": ":material/list_alt:",
    "services": ":material/hub:",
    "retention": ":material/schedule:",
    "cookies": ":material/cookie:",
    "review": ":material/task_alt:",
}

#: An extra page after review, written by a colleague; shown when its file exists.
EXTRA_PAGES = ("check_notice",)

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"


def page_path(step: str) -> str:
    """The page file of ``step``, relative to app.py (what st.switch_page and AppTest take)."""
    return f"pages/{step}.py"


def next_step(step: str) -> str | None:
    i = STEP_KEYS.index(step)
    return STEP_KEYS[i + 1] if i + 1 < len(STEP_KEYS) else None


def previous_step(step: str) -> str | None:
    i = STEP_KEYS.index(step)
    return STEP_KEYS[i - 1] if i > 0 else None


def extra_pages() -> list[str]:
    return [name for name in EXTRA_PAGES if (PAGES_DIR / f"{name}.py").is_file()]


class Status(StrEnum):
    not_started = "not_started"
    incomplete = "incomplete"
    done = "done"


STATUS_ICONS = {
    Status.not_started: ":material/radio_button_unchecked:",
    Status.incomplete: ":material/pending:",
    Status.done: ":material/check_circle:",
}


#: Findings that keep a step from being done: an error, or a warning (a likely mistake, an
#: unchecked catalogue fact, a proposal not yet accepted). Tips never block.
BLOCKING = frozenset({Severity.error, Severity.warning})


def answered_steps(notice: Notice) -> set[str]:
    """Steps in which at least one answer differs from a blank draft.

    Which step owns a field is `seloste.checks.step_for_path`, the same map the findings use,
    so "started" cannot disagree with where a finding sends the user.
    """
    out: set[str] = set()
    blank = Notice()
    for name in Notice.model_fields:
        if name == "registers":
            continue
        if getattr(notice, name) != getattr(blank, name):
            out.add(step_for_path(name))
    if notice.registers:
        out.add("registers")
    empty = Register()
    for i, reg in enumerate(notice.registers):
        for name in Register.model_fields:
            if name != "purposes" and getattr(reg, name) != getattr(empty, name):
                out.add(step_for_path(f"registers.{i}.{name}"))
        for j, pe in enumerate(reg.purposes):
            for name in ("requirement", "requirement_consequence"):
                if getattr(pe, name):
                    out.add(step_for_path(f"registers.{i}.purposes.{j}.{name}"))
    return out


def statuses(notice: Notice, visited: Iterable[str],
             findings: Iterable[Finding] | None = None) -> dict[str, Status]:
    """Each step's state for the sidebar, derived from the checks alone.

    A step is *not started* until it has an answer or was opened; *done* when the checks
    report nothing blocking for it (`BLOCKING`); *incomplete* otherwise. There is no second
    definition of "complete" here: a step is complete exactly when its findings say so.
    """
    seen = set(visited)
    found = run_checks(notice) if findings is None else list(findings)
    blocking = {f.step for f in found if f.severity in BLOCKING}
    errors = {f.step for f in found if f.severity is Severity.error}
    answered = answered_steps(notice)
    result: dict[str, Status] = {}
    for step in STEP_KEYS:
        if step == "start":
            started = "start" in seen or notice != Notice()
            result[step] = Status.done if started else Status.not_started
            continue
        if step == "review":
            if step not in seen:
                result[step] = Status.not_started
            else:
                result[step] = Status.incomplete if errors else Status.done
            continue
        if step not in answered and step not in seen:
            result[step] = Status.not_started
        elif step in blocking:
            result[step] = Status.incomplete
        else:
            result[step] = Status.done
    return result
