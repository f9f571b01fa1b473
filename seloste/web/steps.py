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


#: Steps answered once per register: each register must have its own answer there.
PER_REGISTER_STEPS = ("data", "services", "retention")


def _register_steps(notice: Notice, i: int) -> set[str]:
    """The steps in which register ``i`` has at least one answer."""
    out: set[str] = set()
    empty = Register()
    reg = notice.registers[i]
    for name in Register.model_fields:
        if name != "purposes" and getattr(reg, name) != getattr(empty, name):
            out.add(step_for_path(f"registers.{i}.{name}"))
    for j, pe in enumerate(reg.purposes):
        for name in ("requirement", "requirement_consequence"):
            if getattr(pe, name):
                out.add(step_for_path(f"registers.{i}.purposes.{j}.{name}"))
    return out


def answered_steps(notice: Notice, *, every_register: bool = False) -> set[str]:
    """Steps in which at least one answer differs from a blank draft.

    Which step owns a field is `seloste.steps.step_for_path`, the same map the findings use,
    so "started" cannot disagree with where a finding sends the user. With
    ``every_register``, a per-register step (`PER_REGISTER_STEPS`) counts only when *each*
    register has an answer there: one register's services do not answer another's.

    A "none" is an answer only when the user gave it: "nobody else gets this register's data"
    (`Register.no_recipients_confirmed`) answers the services step, "our site stores nothing on
    visitors' devices" (`CookieSettings.no_cookies_confirmed`) the cookies step. An untouched
    step has no answer, however long it was looked at (issue #18: "Palvelut" was "valmis" with
    nothing added).
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
    per_register = [_register_steps(notice, i) for i in range(len(notice.registers))]
    for steps in per_register:
        out |= steps
    if every_register:
        for step in PER_REGISTER_STEPS:
            if not per_register or not all(step in steps for steps in per_register):
                out.discard(step)
    return out


def statuses(notice: Notice, visited: Iterable[str],
             findings: Iterable[Finding] | None = None) -> dict[str, Status]:
    """Each step's state for the sidebar, derived from the checks alone.

    A step is *not started* until it has an answer or was opened; *done* when it was answered
    (`answered_steps` with every register) and the checks report nothing blocking for it
    (`BLOCKING`); *incomplete* otherwise. Opening a step answers nothing: an untouched step is
    never done. What is wrong with an answer is the findings' to say, not a second rule here.
    """
    seen = set(visited)
    found = run_checks(notice) if findings is None else list(findings)
    blocking = {f.step for f in found if f.severity in BLOCKING}
    errors = {f.step for f in found if f.severity is Severity.error}
    answered = answered_steps(notice)
    complete = answered_steps(notice, every_register=True)
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
        elif step in blocking or step not in complete:
            result[step] = Status.incomplete
        else:
            result[step] = Status.done
    return result
