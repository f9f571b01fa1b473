"""The wizard's steps: their stable keys, their pages, and whether each is done.

The keys are an interface: the checks engine (`seloste.checks`) names the step that fixes a
finding with one of them, and the review page turns that into a button. Keep them stable.
Nothing here imports Streamlit, so the progress rules are tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from seloste.checks import Finding, Severity
from seloste.model import Controller, CookieSettings, Notice

STEP_KEYS: tuple[str, ...] = (
    "start", "controller", "registers", "data", "services", "retention", "cookies", "review",
)  # fmt: skip

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


@dataclass(frozen=True)
class _Rule:
    started: bool
    complete: bool


def _controller(n: Notice) -> _Rule:
    c = n.controller
    started = c != Controller() or bool(n.privacy_contact.name or n.privacy_contact.email)
    complete = bool(c.name and (c.email or c.phone) and (c.street or c.city))
    return _Rule(started, complete)


def _registers(n: Notice) -> _Rule:
    regs = n.registers
    complete = bool(regs) and all(
        r.name and r.purposes and all(
            p.basis is not None
            and (p.basis != "legitimate_interest" or bool(p.legitimate_interest))
            for p in r.purposes
        )
        for r in regs
    )
    return _Rule(bool(regs), complete)


def _data(n: Notice) -> _Rule:
    regs = n.registers
    started = any(r.data_categories or r.custom_data_categories or r.sources for r in regs)
    complete = bool(regs) and all(
        (r.data_categories or r.custom_data_categories) and r.sources and r.requirement
        for r in regs
    )
    return _Rule(started, complete)


def _services(n: Notice) -> _Rule:
    started = any(r.services or r.other_recipients for r in n.registers)
    return _Rule(started, bool(n.registers))


def _retention(n: Notice) -> _Rule:
    regs = n.registers
    started = any(r.retention or r.security_manual or r.security_electronic for r in regs)
    complete = bool(regs) and all(
        r.retention and (r.security_manual or r.security_electronic) for r in regs
    )
    return _Rule(started, complete)


def _cookies(n: Notice) -> _Rule:
    return _Rule(n.cookies != CookieSettings(), True)


_RULES = {
    "controller": _controller,
    "registers": _registers,
    "data": _data,
    "services": _services,
    "retention": _retention,
    "cookies": _cookies,
}


def statuses(notice: Notice, visited: Iterable[str], findings: Iterable[Finding] = ()) -> dict[
    str, Status
]:
    """Each step's state for the sidebar.

    A step is *not started* until it has an answer (or, for steps that may rightly stay empty,
    until it was opened); *done* when its answers are complete and the checks report no error
    for it; *incomplete* otherwise.
    """
    seen = set(visited)
    errors = {f.step for f in findings if f.severity is Severity.error}
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
        rule = _RULES[step](notice)
        if not rule.started and step not in seen:
            result[step] = Status.not_started
        elif rule.complete and step not in errors:
            result[step] = Status.done
        else:
            result[step] = Status.incomplete
    return result
