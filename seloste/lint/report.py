"""What the lint found, and how it is told: the report types and their text and JSON forms."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from seloste.catalogue import load_catalogue
from seloste.i18n import Texts
from seloste.rules import (
    RULES,
    Finding,
    Severity,
    item_title,
    make_finding,
)
from seloste.vocab import Lang


@dataclass(frozen=True)
class OutdatedHit:
    """One outdated-law word: the rule, the text exactly as written, and its line (1-based)."""

    rule_id: str
    matched: str
    line: int

    @property
    def severity(self) -> Severity:
        return RULES[self.rule_id].severity

    def finding(self) -> Finding:
        return make_finding(self.rule_id, step="", matched=self.matched, line=self.line)

    def message(self, lang: Lang | str) -> str:
        return self.finding().message(lang)


@dataclass(frozen=True)
class MissingItem:
    """An Art. 13/14 item the text may lack; ``reason`` refines it, ``rights`` lists RT's gaps."""

    item: str
    reason: str = ""
    rights: tuple[str, ...] = ()

    def message(self, lang: Lang | str) -> str:
        t = Texts("seloste.findings", lang)
        key = f"lint.missing.{self.item}" + (f"_{self.reason}" if self.reason else "")
        if self.rights:
            rights = t("list_joiner").join(t(f"right.{r}") for r in self.rights)
            return t(key, rights=rights)
        return t(key)

    def title(self, lang: Lang | str) -> str:
        return item_title(self.item, lang)


@dataclass
class LintReport:
    outdated: list[OutdatedHit] = field(default_factory=list)
    missing: list[MissingItem] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    characters: int = 0

    @property
    def missing_items(self) -> list[str]:
        return [m.item for m in self.missing]

    def rule_ids(self) -> set[str]:
        return {h.rule_id for h in self.outdated} | {f.rule_id for f in self.findings}

    def clean(self) -> bool:
        return not (self.outdated or self.missing or self.findings)

    def as_dict(self, lang: Lang | str) -> dict[str, Any]:
        catalogue = load_catalogue()
        return {
            "characters": self.characters,
            "outdated": [
                {"rule_id": h.rule_id, "severity": h.severity.value, "matched": h.matched,
                 "line": h.line, "message": h.message(lang)}
                for h in self.outdated
            ],
            "missing": [
                {"item": m.item, "reason": m.reason, "rights": list(m.rights),
                 "message": m.message(lang)}
                for m in self.missing
            ],
            "services": [{"id": s, "name": catalogue.get(s).name} for s in self.services],
            "findings": [f.as_dict(lang) for f in self.findings],
        }


def _lines(items: Iterable[str]) -> str:
    return "".join(f"  {i}\n" for i in items)


def _by_rule(hits: list[OutdatedHit]) -> list[tuple[str, list[OutdatedHit]]]:
    groups: dict[str, list[OutdatedHit]] = {}
    for hit in hits:
        groups.setdefault(hit.rule_id, []).append(hit)
    return list(groups.items())


def _where(t: Texts, hits: list[OutdatedHit]) -> str:
    lines = sorted({h.line for h in hits})
    if len(lines) == 1:
        return t("lint.line", line=lines[0])
    return t("lint.lines", lines=", ".join(str(n) for n in lines))


def _grouped_message(hits: list[OutdatedHit], lang: Lang | str) -> str:
    """One message for all the words one rule matched: ”a”, ”b” and ”c” in one sentence."""
    matched = Texts("seloste.findings", lang)("matched_joiner").join(h.matched for h in hits)
    return make_finding(hits[0].rule_id, step="", matched=matched).message(lang)


def outdated_groups(report: LintReport, lang: Lang | str) -> list[tuple[Severity, str, str]]:
    """(severity, where, message) per outdated-law rule, all its words in one message."""
    t = Texts("seloste.findings", lang)
    return [
        (RULES[rule_id].severity, _where(t, hits), _grouped_message(hits, lang))
        for rule_id, hits in _by_rule(report.outdated)
    ]


def format_lint(report: LintReport, lang: Lang | str, fmt: str = "text") -> str:
    """``text``: a report for people, in ``lang``; ``json``: the same for machines."""
    if fmt == "json":
        return json.dumps(report.as_dict(lang), ensure_ascii=False, indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format: {fmt!r} (expected text or json)")
    t = Texts("seloste.findings", lang)
    sev = {s: t(f"severity.{s.value}") for s in Severity}
    out: list[str] = [t("lint.title", characters=report.characters) + "\n"]
    if report.outdated:
        out.append("\n" + t("lint.outdated", count=len(_by_rule(report.outdated))) + "\n")
        out.append(_lines(
            f"{sev[severity]} ({where}): {message}"
            for severity, where, message in outdated_groups(report, lang)
        ))
    if report.missing:
        out.append("\n" + t("lint.missing_title", count=len(report.missing)) + "\n")
        out.append(_lines(f"{m.item} {m.title(lang)}: {m.message(lang)}" for m in report.missing))
    catalogue = load_catalogue()
    names = t("list_joiner").join(catalogue.get(s).name for s in report.services)
    out.append("\n" + (t("lint.services", names=names) if names else t("lint.no_services")) + "\n")
    if report.findings:
        out.append("\n" + t("lint.catalogue", count=len(report.findings)) + "\n")
        out.append(_lines(
            f"{sev[f.severity]}: {','.join(f.items) + ' ' if f.items else ''}{f.message(lang)}"
            for f in report.findings
        ))
    if report.clean():
        out.append("\n" + t("lint.clean") + "\n")
    out.append("\n" + t("lint.footer") + "\n")
    return "".join(out)
