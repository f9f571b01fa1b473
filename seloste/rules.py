"""The rule registry: every rule's id, severity, Art. 13/14 items and step; the finding type.

Both the draft checks (`seloste.checks`) and the lint of an old notice (`seloste.lint`) raise
findings of these rules, so the registry is a module of its own that imports neither: the two
used to import each other. A finding's message is looked up in
``seloste/findings/{fi,sv,en}.yaml`` by rule id only when it is shown, so one set of findings
reads in any language. The patterns both of them scan free text with (outdated law, vague
retention) live here too, for the same reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from seloste.catalogue import load_catalogue
from seloste.geo import country_name
from seloste.i18n import Texts
from seloste.presets import preset_by_id
from seloste.steps import STEPS, step_for_path
from seloste.vocab import Lang

__all__ = [
    "FINDINGS_PACKAGE",
    "ITEM_IDS",
    "LINT_ONLY",
    "OUTDATED_PATTERNS",
    "RULES",
    "VAGUE_RETENTION",
    "Finding",
    "Rule",
    "Severity",
    "findings_for_step",
    "format_findings",
    "has_errors",
    "item_title",
    "make_finding",
    "scan_outdated",
    "sort_findings",
]

#: The Art. 13/14 items of docs/items.md, in the order the review page lists them.
ITEM_IDS: tuple[str, ...] = (
    "C1", "C2", "P1", "P2", "D1", "R1", "T1", "S1", "RT", "W1", "K1", "O1", "SRC", "A1", "F1",
)  # fmt: skip

FINDINGS_PACKAGE = "seloste.findings"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    tip = "tip"


_RANK = {Severity.error: 0, Severity.warning: 1, Severity.tip: 2}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    items: tuple[str, ...]
    step: str


def _rules(*rows: tuple[str, Severity, str, str]) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for rule_id, severity, items, step in rows:
        assert rule_id not in out, rule_id
        assert step in STEPS or step == "", (rule_id, step)
        out[rule_id] = Rule(rule_id, severity, tuple(items.split()), step)
    return out


E, W, T = Severity.error, Severity.warning, Severity.tip

#: Every rule of the draft checks and of the lint of an old notice, by id.
#: The step of the free-text rules (outdated_*) is the step of the field they are found in.
RULES: dict[str, Rule] = _rules(
    # controller (C1, C2)
    ("controller_name", E, "C1", "controller"),
    ("contact_email", E, "C1 RT", "controller"),
    ("controller_address", W, "C1", "controller"),
    ("business_id_missing", T, "C1", "controller"),
    ("dpo_contact", E, "C2", "controller"),
    ("dpo_required_check", T, "C2", "controller"),
    ("eu_rep_incomplete", W, "C1", "controller"),
    # registers, purposes, bases (P1, P2)
    ("no_registers", E, "P1 D1 R1 S1", "registers"),
    ("register_name_missing", W, "", "registers"),
    # free text per notice language (issue #13): the step is the field's
    ("translation_missing", W, "", "review"),
    ("register_no_purpose", E, "P1", "registers"),
    ("purpose_no_basis", E, "P1 RT", "registers"),
    ("legitimate_interest_missing", E, "P2", "registers"),
    ("basis_mismatch", W, "P1", "registers"),
    ("newsletter_consent", W, "P1", "registers"),
    ("tracking_basis_not_consent", E, "P1 W1", "registers"),
    ("tracking_outside_site", W, "P1", "services"),
    ("analytics_legitimate_interest", W, "P1 W1", "registers"),
    ("consent_employment", W, "P1", "registers"),
    ("contract_business_contact", W, "P1", "registers"),
    ("profiling_legitimate_interest", W, "P1 A1", "registers"),
    # data, sources, requirement (D1, SRC, O1)
    ("data_categories_missing", E, "D1", "data"),
    ("data_categories_empty", W, "D1", "data"),
    ("special_category_condition", E, "P1 D1", "data"),
    ("sources_missing", W, "SRC", "data"),
    ("source_details_missing", T, "SRC", "data"),
    ("requirement_missing", E, "O1", "data"),
    ("voluntary_contract", W, "O1", "data"),
    ("required_consent", E, "O1", "data"),
    ("health_with_pixel", E, "D1", "services"),
    ("proposal_pending", W, "", "registers"),
    # services and recipients (R1, T1, Art. 26, Art. 28)
    ("recipients_none", W, "R1", "services"),
    ("processors_in_free_text", W, "R1", "services"),
    ("transfer_basis_missing", E, "T1", "services"),
    ("transfer_dpf_not_us", E, "T1", "services"),
    ("joint_controller_text", E, "R1", "services"),
    ("joint_essence_missing", E, "R1", "services"),
    ("custom_in_catalogue", W, "R1", "services"),
    ("custom_service_details", T, "R1", "services"),
    ("dpa_unconfirmed", W, "R1", "services"),
    ("service_transfer_unconfirmed", W, "T1", "services"),
    # retention, automated decisions, security (S1, A1)
    ("retention_missing", E, "S1", "retention"),
    ("retention_vague", W, "S1", "retention"),
    ("retention_indefinite", W, "S1", "retention"),
    ("retention_other_register", W, "S1", "retention"),
    ("retention_after_withdrawal", W, "S1 W1", "retention"),
    ("accounting_retention_missing", W, "S1", "retention"),
    ("accounting_retention_short", E, "S1", "retention"),
    ("automated_logic_missing", E, "A1", "data"),
    ("automated_no_exception", E, "A1", "data"),
    ("profiling_description_missing", W, "A1", "data"),
    ("security_missing", T, "", "retention"),
    # cookies (Laki sähköisen viestinnän palveluista 917/2014, 205 §; Traficom)
    ("cookie_consent_missing", E, "", "cookies"),
    ("cookies_flag_off", W, "", "cookies"),
    ("cookie_withdraw_note", W, "W1", "cookies"),
    ("cookie_withdraw_missing", W, "W1", "cookies"),
    # review
    ("children_consent_age", W, "W1", "review"),
    ("children_profiling", W, "A1", "review"),
    ("date_missing", T, "", "review"),
    # outdated law in free text (the draft) or anywhere (the lint)
    ("outdated_law", E, "", "review"),
    ("outdated_ecomms_law", E, "", "review"),
    ("invalid_transfer_basis", E, "T1", "services"),
    ("outdated_authority", W, "K1", "review"),
    # lint of an existing notice only
    ("register_form", T, "", ""),
    ("lint_transfer_denied", E, "T1", ""),
    ("lint_transfer_no_safeguard", E, "T1", ""),
    ("lint_joint_controller", E, "R1", ""),
    ("lint_cookie_consent", E, "", ""),
    ("lint_processors_denied", W, "R1", ""),
    ("lint_retention_vague", W, "S1", ""),
)

#: Rules that only the lint of an old notice raises.
LINT_ONLY = frozenset(r for r in RULES if r.startswith("lint_") or r == "register_form")


# ---------------------------------------------------------------- outdated law

#: Words that mark an outdated notice (domain.md §3), as (rule id, pattern). Case-insensitive.
OUTDATED_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (rule_id, re.compile(pattern, re.IGNORECASE))
    for rule_id, pattern in (
        ("outdated_law", r"henkilötietola(?:ki|i(?!j)|e|k)\w*"),
        ("outdated_law", r"\b523\s*/\s*1999\b"),
        ("outdated_law", r"\b10\s*§\s*(?:ja|och|and|&)\s*24\s*§"),
        ("outdated_law", r"\bpersonuppgiftslag(?:en)?\b"),
        ("outdated_law", r"\bpersonal data act\b"),
        ("outdated_ecomms_law", r"\b516\s*/\s*2004\b"),
        ("outdated_ecomms_law", r"sähköisen viestinnän tietosuojala\w*"),
        ("outdated_ecomms_law", r"yksityisyyden\s+suojasta\s+televiestinnässä"),
        ("invalid_transfer_basis", r"privacy[\s-]*shield\w*"),
        ("invalid_transfer_basis", r"safe[\s-]*harbou?r\w*"),
        ("outdated_authority", r"viestintäviras\w*"),
        ("outdated_authority", r"\bkommunikationsverket\b"),
        ("outdated_authority", r"\bficora\b"),
        ("outdated_authority", r"finnish communications regulatory authority"),
        ("register_form", r"\brekisteri(?:-?\s*ja\s+tietosuoja)?seloste\w*"),
        ("register_form", r"\bregisterbeskrivning\w*"),
    )
)

def scan_outdated(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    """(rule id, match) for every outdated-law word in ``text``."""
    for rule_id, pattern in OUTDATED_PATTERNS:
        for match in pattern.finditer(text):
            yield rule_id, match


# ---------------------------------------------------------------- findings


@dataclass(frozen=True)
class Finding:
    """One problem, language-neutral: the message is built from the rule id and params."""

    rule_id: str
    severity: Severity
    items: tuple[str, ...]
    step: str
    path: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def message(self, lang: Lang | str) -> str:
        lang = Lang(lang)
        t = Texts(FINDINGS_PACKAGE, lang)
        return t(f"rule.{self.rule_id}", **_render_params(dict(self.params), lang, t))

    def param(self, key: str) -> str:
        return dict(self.params).get(key, "")

    def as_dict(self, lang: Lang | str) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "rule_id": self.rule_id,
            "items": list(self.items),
            "step": self.step,
            "path": self.path,
            "params": dict(self.params),
            "message": self.message(lang),
        }


def make_finding(rule_id: str, path: str = "", step: str | None = None,
                 **params: object) -> Finding:
    """A finding of ``rule_id`` with the rule's severity and items.

    Its step is the step that edits ``path`` (`step_for_path`), so the fix button opens the
    page with the widget that clears the finding; the rule's step is the fallback for findings
    without a path (and for the lint).
    """
    rule = RULES[rule_id]
    if step is None:
        step = step_for_path(path) if path and rule.step else rule.step
    return Finding(
        rule_id=rule_id,
        severity=rule.severity,
        items=rule.items,
        step=step,
        path=path,
        params=tuple((k, str(v)) for k, v in params.items()),
    )


def _register_word(params: dict[str, str], lang: Lang, t: Texts) -> str:
    """The register's name for a message in ``lang``: as typed, the preset's, or "Register n"."""
    own = params.get(f"register_{lang.value}") or params.get("register", "")
    if own:
        return own
    preset = preset_by_id(params.get("preset", ""))
    return (preset.notice_name(lang) if preset is not None
            else t("unnamed_register", number=params.get("register_no", "?")))


def _render_params(params: dict[str, str], lang: Lang, t: Texts) -> dict[str, str]:
    """Turn language-neutral parameters (keys, codes, ids) into words of ``lang``."""
    out = dict(params)
    for name in ("register", "purpose_text"):
        if params.get(f"{name}_{lang.value}"):
            out[name] = params[f"{name}_{lang.value}"]
    if "text_field" in params and "text_lang" in params:
        out["field"] = t(f"text_field.{params['text_field']}")
        out["language"] = t(f"in_language.{params['text_lang']}")
        out["where"] = (t("translation_where", register=_register_word(params, lang, t))
                        if "register_no" in params else "")
    if "register" in params and not params["register"]:
        out["register"] = _register_word(params, lang, t)
    if "subject" in params:
        out["subject"] = Texts("seloste.clauses", lang)(f"subject.{params['subject']}")
    if "purpose" in params:
        key = params["purpose"]
        out["purpose"] = (Texts("seloste.clauses", lang)(f"purpose.{key}") if key
                          else out.get("purpose_text", ""))
    for name in ("basis", "expected"):
        if name in params:
            out[name] = t(f"basis.{params[name]}")
    joiner = t("list_joiner")
    if "fields" in params:
        out["fields"] = joiner.join(t(f"field.{f}") for f in params["fields"].split())
    if "field" in params:
        out["field"] = t(f"field.{params['field']}")
    if "rights" in params:
        out["rights"] = joiner.join(t(f"right.{r}") for r in params["rights"].split())
    catalogue = load_catalogue()
    if "services" in params:
        out["services"] = joiner.join(catalogue.display_name(s, lang)
                                      for s in params["services"].split())
        out.setdefault("names", out["services"])
    if "transfers" in params:
        parts = []
        for sid in params["transfers"].split():
            entry = catalogue.get(sid)
            countries = joiner.join(country_name(c, lang.value) for c in entry.transfer.countries)
            parts.append(f"{catalogue.display_name(sid, lang)} ({countries})")
        out["transfers"] = joiner.join(parts)
    if "country" in params:
        out["country"] = country_name(params["country"], lang.value)
    if "catalogue" in params:
        out["catalogue"] = catalogue.display_name(params["catalogue"], lang)
    return out


def item_title(item: str, lang: Lang | str) -> str:
    """The title of an Art. 13/14 item in ``lang``: one wording for the review and the lint."""
    return Texts(FINDINGS_PACKAGE, Lang(lang))(f"item.{item}")


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.error for f in findings)


def findings_for_step(findings: list[Finding], step: str) -> list[Finding]:
    return [f for f in findings if f.step == step]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors, then warnings, then tips; otherwise in the order the notice reads."""
    return sorted(findings, key=lambda f: _RANK[f.severity])


def format_findings(findings: list[Finding], lang: Lang | str, fmt: str = "text") -> str:
    """``text``: one line per finding, ``severity rule_id items message``; ``json``: a list."""
    if fmt == "json":
        return json.dumps([f.as_dict(lang) for f in findings], ensure_ascii=False,
                          indent=2) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format: {fmt!r} (expected text or json)")
    return "".join(
        f"{f.severity.value} {f.rule_id} {','.join(f.items) or '-'} {f.message(lang)}\n"
        for f in findings
    )



#: "As long as needed" with nothing to measure it by (fi, sv, en).
VAGUE_RETENTION = re.compile(
    r"niin\s+kauan\s+kuin\s+(?:\w{1,30}\s+){0,3}?(?:tarpe|tarvi|asianmukai|tarkoituksenmukai|"
    r"välttämätön)|kuin\s+(?:on\s+)?tarpeen|tarpeen\s+mukaan|tarpeellisen\s+ajan|"
    r"asianmukaisen\s+ajan|toistaiseksi|"
    r"så\s+länge\s+(?:som\s+)?(?:det\s+)?(?:behövs|är\s+nödvändigt)|nödvändig\s+tid|"
    r"tills\s+vidare|"
    r"as\s+long\s+as\s+(?:is\s+|it\s+is\s+)?(?:necessary|needed|required|appropriate)|"
    r"no\s+longer\s+than\s+(?:is\s+)?necessary|indefinitely",
    re.IGNORECASE,
)
