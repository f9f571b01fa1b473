"""The checks' findings for the current draft, computed once per draft revision.

`seloste.checks` judges the draft (Art. 13/14 completeness, Finnish law); the wizard shows its
findings per step, next to the field named by a finding's path, and on the review page.
"""

from __future__ import annotations

from seloste import checks
from seloste.rules import Finding, Severity, findings_for_step, item_title
from seloste.web import derived, state

SEVERITIES: tuple[str, ...] = tuple(s.value for s in (Severity.error, Severity.warning,
                                                      Severity.tip))


def current() -> list[Finding]:
    """Findings for the draft as it is now."""
    return derived.per_revision("findings", lambda: checks.run_checks(state.draft()))


def for_step(step: str) -> list[Finding]:
    return findings_for_step(current(), step)


def at_path(path: str) -> list[Finding]:
    return [f for f in current() if f.path == path]


def completeness() -> dict[str, str]:
    return checks.completeness(state.draft(), current())


def severity(finding: Finding) -> str:
    return str(finding.severity)


def title(item: str) -> str:
    """An Art. 13/14 item's title in the UI language (the same words the lint's report uses)."""
    return item_title(item, state.ui_lang())


def for_register_step(step: str, register: int | None) -> list[Finding]:
    """Findings of ``step`` about register ``register`` (None: those of the step as a whole)."""
    prefix = f"registers.{register}."
    return [f for f in for_step(step)
            if register is None or f.path.startswith(prefix) or f.path == prefix[:-1]]


def tags(finding: Finding) -> str:
    """The Art. 13/14 items a finding concerns as small Markdown badges ("R1 · Vastaanottajat"),
    instead of a sentence repeated under every finding (issue #18)."""
    return " ".join(
        f":gray-badge[{item} · {title(item).replace('[', '(').replace(']', ')')}]"
        for item in finding.items)
