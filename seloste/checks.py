"""Art. 13/14 completeness and Finnish-law checks: a notice in, findings out.

Each rule has a stable id (a saved finding, a test and a translation all refer to it), a
severity, the Art. 13/14 item ids it concerns (docs/items.md: C1 ... F1) and the wizard
step that fixes it; `seloste.rules.RULES` holds them all (the lint raises them too). A finding
adds the model path of the offending value (``registers.0.purposes.1.basis``) and
language-neutral parameters; its message is looked up in ``seloste/findings/{fi,sv,en}.yaml``
by rule id only when it is shown, so one set of findings reads in any language.

Severities: *error* — the notice is not compliant as it stands (an Art. 13/14 item that applies is
missing, or the notice would state something unlawful); *warning* — likely wrong, or a legal to-do
outside the notice (accept a processor agreement); *tip* — worth a look.

Items the renderer always prints (K1, the complaint right; F1, further processing) have no rule:
they cannot be missing from a notice this tool writes. W1 and RT are derived from the bases, so
they fail only through the rules that leave a purpose without a basis or the reader without a way
to contact the company.

The checks read the catalogue (cached) and nothing else: no I/O per call, well under 5 ms for
an example draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from seloste.catalogue import Category as ServiceCategory
from seloste.catalogue import load_catalogue, recognise_services
from seloste.facts import DIRECT_SOURCES, TRACKING_PURPOSES, NoticeFacts, notice_facts
from seloste.geo import in_eea
from seloste.localized import LocalizedLong, LocalizedShort, iter_localized
from seloste.model import Notice, Register
from seloste.recipients import ResolvedService
from seloste.register_mixup import retention_mixups
from seloste.rules import (
    ITEM_IDS,
    LINT_ONLY,
    OUTDATED_PATTERNS,
    RULES,
    VAGUE_RETENTION,
    Finding,
    Rule,
    Severity,
    findings_for_step,
    format_findings,
    has_errors,
    make_finding,
    scan_outdated,
    sort_findings,
)
from seloste.steps import STEPS, step_for_path
from seloste.vocab import (
    INDIRECT_SOURCES,
    MARKETING_PURPOSES,
    ConsentMechanism,
    DataSubject,
    Lang,
    LegalBasis,
    PeriodUnit,
    Purpose,
    Requirement,
    RetentionPreset,
    RetentionStart,
    RetentionSubject,
    Role,
    Source,
    SpecialCategory,
    TransferBasis,
    WithdrawMethod,
)

# The registry names stay importable from here (cli, web and tests used them from here).
__all__ = [
    "ITEM_IDS",
    "LINT_ONLY",
    "OUTDATED_PATTERNS",
    "RULES",
    "STEPS",
    "VAGUE_RETENTION",
    "Finding",
    "Rule",
    "Severity",
    "completeness",
    "findings_for_step",
    "format_findings",
    "has_errors",
    "make_finding",
    "run_checks",
    "scan_outdated",
    "sort_findings",
    "step_for_path",
]


_LANG_CODES = frozenset(lang.value for lang in Lang)


def _get(model: BaseModel, path: str) -> object:
    value: object = model
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else getattr(value, part, None)
    return value


def _strings(model: BaseModel, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, value) of every non-empty plain string in the model (free text and keys)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        sub = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            yield from _strings(value, sub)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _strings(item, f"{sub}.{i}")
                elif type(item) is str and item:
                    yield f"{sub}.{i}", item
        elif type(value) is str and value:
            yield sub, value


# ---------------------------------------------------------------- the rules

_DIRECT_SOURCES = DIRECT_SOURCES
#: Email marketing (917/2014 200 §): consumers need prior consent.
_EMAIL_MARKETING = frozenset({Purpose.newsletter, Purpose.direct_marketing})
#: Retention "until further notice" or longer than any small company's need (20 years).
#: The outdated-law rules a draft's free text can raise (register_form is the lint's).
_FREE_TEXT_RULES = frozenset({"outdated_law", "outdated_ecomms_law", "invalid_transfer_basis",
                              "outdated_authority"})


_INDEFINITE = re.compile(r"toistaiseksi|tills\s+vidare|indefinitely|until further notice|"
                         r"pysyvästi|permanently|för\s+alltid", re.IGNORECASE)
_MAX_MONTHS = 20 * 12
#: A period counted from the withdrawal of consent keeps data after consent is gone.
_WITHDRAWAL_STARTS = frozenset({RetentionStart.unsubscribe, RetentionStart.consent_withdrawn})
#: Purposes whose natural basis is not consent: consent could be withdrawn at any time.
_NOT_CONSENT = {
    Purpose.invoicing_accounting: LegalBasis.legal_obligation,
    Purpose.service_delivery: LegalBasis.contract,
    Purpose.order_handling: LegalBasis.contract,
    Purpose.course_delivery: LegalBasis.contract,
    Purpose.bookings: LegalBasis.contract,
}
_ACCOUNTING_MIN_MONTHS = 6 * 12



@dataclass
class _Context:
    notice: Notice
    facts: NoticeFacts
    services: list[list[ResolvedService]] = field(default_factory=list)
    out: list[Finding] = field(default_factory=list)

    def add(self, rule_id: str, path: str = "", step: str | None = None,
            **params: object) -> None:
        self.out.append(make_finding(rule_id, path, step, **params))


def _register_params(i: int, reg: Register) -> dict[str, Any]:
    return {**_localized_param("register", reg.name), "register_no": i + 1,
            "preset": reg.preset or ""}


def _localized_param(name: str, value: LocalizedShort | LocalizedLong) -> dict[str, str]:
    """A free-text answer as finding parameters: one per language it is written in, and
    ``name`` itself (any language) for a message language it lacks (`_render_params`)."""
    out = {f"{name}_{lang.value}": value.get(lang) for lang in value.languages()}
    out[name] = value.pick(Lang.fi)
    return out


def _translations(ctx: _Context, languages: Sequence[Lang]) -> None:
    """`translation_missing`: one finding per free-text answer and language it lacks.

    The path names the language's own field (``registers.0.name.sv``), so the wizard shows the
    finding under the Swedish field and the fix button opens its step.
    """
    for path, value in iter_localized(ctx.notice):
        if path.startswith("versions."):
            continue
        for lang in value.missing_in(languages):
            parts = path.split(".")
            field_name = next(p for p in reversed(parts) if not p.isdigit())
            extra: dict[str, Any] = {}
            if parts[0] == "registers":
                extra = _register_params(int(parts[1]), ctx.notice.registers[int(parts[1])])
            ctx.add("translation_missing", f"{path}.{lang.value}", text_field=field_name,
                    text_lang=lang.value, **extra)


def _controller(ctx: _Context) -> None:
    n = ctx.notice
    c = n.controller
    if not c.name:
        ctx.add("controller_name", "controller.name")
    if not (c.email or n.privacy_contact.email):
        ctx.add("contact_email", "controller.email")
    if c.name and not (c.street and c.postal_code and c.city):
        missing = "street" if not c.street else "postal_code" if not c.postal_code else "city"
        ctx.add("controller_address", f"controller.{missing}")
    if c.name and not c.business_id:
        ctx.add("business_id_missing", "controller.business_id")
    if n.dpo is not None and not (n.dpo.email or n.dpo.phone or n.dpo.address):
        ctx.add("dpo_contact", "dpo.email")
    if n.dpo is None and any(r.special_categories for r in n.registers):
        ctx.add("dpo_required_check", "dpo")
    rep = n.eu_representative
    if rep is not None and not (rep.name and (rep.email or rep.phone or rep.address)):
        ctx.add("eu_rep_incomplete", "eu_representative.name" if not rep.name
                else "eu_representative.email")


def _purposes(ctx: _Context, i: int, reg: Register) -> None:
    base = f"registers.{i}"
    rp = _register_params(i, reg)
    rf = ctx.facts.registers[i]
    if not reg.purposes:
        ctx.add("register_no_purpose", f"{base}.purposes", **rp)
        return
    tracking = rf.tracking_services
    names = ", ".join(s.name for s in tracking)
    applicants = DataSubject.job_applicants in reg.data_subjects or any(
        pe.purpose is Purpose.recruitment for pe in reg.purposes)
    references = bool(set(reg.sources) & {Source.third_parties, Source.employer, Source.referees})
    for j, pe in enumerate(reg.purposes):
        path = f"{base}.purposes.{j}"
        pp: dict[str, Any] = {**rp, "purpose": pe.purpose.value if pe.purpose else "",
                              **_localized_param("purpose_text", pe.description)}
        if pe.basis is None:
            ctx.add("purpose_no_basis", f"{path}.basis", **pp)
            continue
        if pe.basis is LegalBasis.legitimate_interest and not rf.purposes[j].interest:
            ctx.add("legitimate_interest_missing", f"{path}.legitimate_interest", **pp)
        expected = _NOT_CONSENT.get(pe.purpose) if pe.purpose else None
        if expected is not None and pe.basis is LegalBasis.consent:
            ctx.add("basis_mismatch", f"{path}.basis", expected=expected.value, **pp)
        if (pe.purpose in _EMAIL_MARKETING and pe.basis is not LegalBasis.consent
                and not (rf.business_only and pe.basis is LegalBasis.legitimate_interest)):
            # 917/2014: consumers need prior consent (or the customer exception); business
            # addresses may rest on legitimate interest with an opt-out.
            ctx.add("newsletter_consent", f"{path}.basis", basis=pe.basis.value, **pp)
        if tracking and pe.purpose in TRACKING_PURPOSES and pe.basis is not LegalBasis.consent:
            ctx.add("tracking_basis_not_consent", f"{path}.basis", names=names, **rp)
        elif (pe.purpose is Purpose.web_analytics
              and pe.basis is LegalBasis.legitimate_interest):
            ctx.add("analytics_legitimate_interest", f"{path}.basis", **pp)
        if (applicants and pe.basis is LegalBasis.consent
                and not (pe.purpose is None and references)):
            # 759/2004: consent is rarely free for applicants and employees; references
            # (a custom purpose with data from third parties) are the 4 § exception.
            ctx.add("consent_employment", f"{path}.basis", **pp)
        if rf.business_only and pe.basis is LegalBasis.contract:
            ctx.add("contract_business_contact", f"{path}.basis", **pp)
        if (reg.profiling and pe.purpose in MARKETING_PURPOSES
                and pe.basis is LegalBasis.legitimate_interest):
            ctx.add("profiling_legitimate_interest", f"{path}.basis", **pp)
    if tracking and not rf.tracking_purposes:
        if rf.site:
            ctx.add("tracking_basis_not_consent", f"{base}.purposes", names=names, **rp)
        else:
            for s in tracking:
                ctx.add("tracking_outside_site", s.path, names=s.name, **rp)
    if rf.proposals:
        for name in rf.proposals:
            ctx.add("proposal_pending", f"{base}.{name}", field=name, **rp)


def _data(ctx: _Context, i: int, reg: Register) -> None:
    base = f"registers.{i}"
    rp = _register_params(i, reg)
    indirect = bool(set(reg.sources) & INDIRECT_SOURCES)
    if reg.special_categories and reg.art9_condition is None:
        ctx.add("special_category_condition", f"{base}.art9_condition", **rp)
    if not (reg.data_categories or reg.custom_data_categories or reg.special_categories):
        rule = "data_categories_missing" if indirect else "data_categories_empty"
        ctx.add(rule, f"{base}.data_categories", **rp)
    if not reg.sources and not reg.source_details:
        ctx.add("sources_missing", f"{base}.sources", **rp)
    elif indirect and not reg.source_details:
        ctx.add("source_details_missing", f"{base}.source_details", **rp)
    direct = not reg.sources or bool(set(reg.sources) & _DIRECT_SOURCES)
    for j, pe in enumerate(reg.purposes):
        pp = {**rp, "purpose": pe.purpose.value if pe.purpose else "",
              **_localized_param("purpose_text", pe.description)}
        path = f"{base}.purposes.{j}.requirement"
        if direct and pe.requirement is None:
            ctx.add("requirement_missing", path, **pp)
        if pe.basis is LegalBasis.contract and pe.requirement is Requirement.voluntary:
            ctx.add("voluntary_contract", path, **pp)
        if pe.basis is LegalBasis.consent and pe.requirement in (Requirement.contractual,
                                                                 Requirement.statutory):
            ctx.add("required_consent", path, **pp)  # Art. 7(4): consent cannot be required
    if SpecialCategory.health in reg.special_categories:
        for sf in ctx.facts.registers[i].services:
            if sf.category is ServiceCategory.ADVERTISING:
                ctx.add("health_with_pixel", sf.path, names=sf.name, **rp)


def _services(ctx: _Context, i: int, reg: Register, checked: dict[str, bool]) -> None:

    base = f"registers.{i}"
    rp = _register_params(i, reg)
    catalogue = load_catalogue()
    rf = ctx.facts.registers[i]
    if not rf.recipients_answered:
        ctx.add("recipients_none", f"{base}.no_recipients_confirmed", **rp)
    if reg.other_recipients:
        picked = {s.resolved.catalogue_id for s in rf.services}
        typed = " ".join(reg.other_recipients.all_texts())
        named = [sid for sid in recognise_services(typed) if sid not in picked]
        if named:
            ctx.add("processors_in_free_text", f"{base}.other_recipients",
                    services=" ".join(named), **rp)
    for use, sf in zip(reg.services, rf.services, strict=True):
        path = sf.path
        if sf.dpa_applies and not sf.dpa_in_place:
            if use.catalogue_id is not None:  # named in the message's language, not the draft's
                ctx.add("dpa_unconfirmed", f"{path}.dpa", services=use.catalogue_id, **rp)
            else:
                ctx.add("dpa_unconfirmed", f"{path}.dpa", names=sf.name, **rp)
        if use.custom is not None:
            c = use.custom
            if not in_eea(c.country):
                if c.transfer_basis is None:
                    ctx.add("transfer_basis_missing", f"{path}.custom.transfer_basis",
                            names=c.name, country=c.country, **rp)
                elif c.transfer_basis is TransferBasis.dpf and c.country.upper() != "US":
                    ctx.add("transfer_dpf_not_us", f"{path}.custom.transfer_basis",
                            names=c.name, country=c.country, **rp)
            known = recognise_services(c.name)
            if known:
                entry = catalogue.get(known[0])
                if entry.has_role(Role.joint_controller.value):
                    ctx.add("joint_controller_text", f"{path}.custom.name", names=c.name,
                            catalogue=entry.id, **rp)
                else:
                    ctx.add("custom_in_catalogue", f"{path}.custom.name", names=c.name,
                            catalogue=entry.id, **rp)
            if c.role is Role.joint_controller and not use.note:
                ctx.add("joint_essence_missing", f"{path}.note", names=c.name, **rp)
            if not c.entity:
                ctx.add("custom_service_details", f"{path}.custom.entity", names=c.name, **rp)
            continue
        entry = catalogue.get(sf.resolved.catalogue_id or "")
        # Only an unconfirmed fact that changes the notice is worth a finding: the safeguard
        # it names for a transfer (the service card shows every other fact's status).
        if (sf.resolved.transfer_countries and not sf.checked
                and not checked.get(entry.id, False)
                and not entry.transfer_confirmed(use.options)):
            checked[entry.id] = True  # once per service, however many registers use it
            ctx.add("service_transfer_unconfirmed", f"{path}.checked_on", services=entry.id,
                    **rp)


def _accounting_months(amount: int, unit: PeriodUnit) -> float:
    return {PeriodUnit.years: amount * 12.0, PeriodUnit.months: float(amount),
            PeriodUnit.days: amount / 30.4}[unit]


def _retention(ctx: _Context, i: int, reg: Register) -> None:
    base = f"registers.{i}"
    rp = _register_params(i, reg)
    if not reg.retention:
        ctx.add("retention_missing", f"{base}.retention", **rp)
    accounting_ok = False
    for k, rule in enumerate(reg.retention):
        path = f"{base}.retention.{k}"
        if rule.preset in (RetentionPreset.accounting_vouchers,
                           RetentionPreset.accounting_books):
            accounting_ok = True
            continue
        reason, what = " ".join(rule.reason.all_texts()), " ".join(rule.what.all_texts())
        if _INDEFINITE.search(reason) or _INDEFINITE.search(what) or (
                rule.amount is not None and rule.unit is not None
                and _accounting_months(rule.amount, rule.unit) > _MAX_MONTHS):
            ctx.add("retention_indefinite", f"{path}.amount" if rule.amount else
                    f"{path}.reason", **rp)
        if rule.amount is not None and rule.start in _WITHDRAWAL_STARTS:
            ctx.add("retention_after_withdrawal", f"{path}.amount", **rp)
        if rule.amount is None:
            vague_reason = bool(VAGUE_RETENTION.search(reason))
            if (rule.start is None and (vague_reason or not rule.reason)) or (
                rule.start is RetentionStart.collection and (vague_reason or not rule.reason)
            ):
                ctx.add("retention_vague", f"{path}.reason", **rp)
        if rule.subject is RetentionSubject.accounting_records and rule.amount is not None:
            assert rule.unit is not None
            if _accounting_months(rule.amount, rule.unit) < _ACCOUNTING_MIN_MONTHS:
                ctx.add("accounting_retention_short", f"{path}.amount", **rp)
            else:
                accounting_ok = True
    for mixup in retention_mixups(ctx.notice):
        if mixup.register == i:
            field = "subject" if reg.retention[mixup.rule].subject is not None else "what"
            ctx.add("retention_other_register", f"{base}.retention.{mixup.rule}.{field}",
                    subject=mixup.subject.value, **rp)
    needs_accounting = any(pe.purpose is Purpose.invoicing_accounting for pe in reg.purposes)
    if reg.retention and needs_accounting and not accounting_ok:
        ctx.add("accounting_retention_missing", f"{base}.retention", **rp)
    if reg.automated_decisions and not reg.automated_logic:
        ctx.add("automated_logic_missing", f"{base}.automated_logic", **rp)
    if reg.automated_decisions and reg.automated_exception is None:
        ctx.add("automated_no_exception", f"{base}.automated_exception", **rp)
    if reg.profiling and not reg.profiling_description:
        ctx.add("profiling_description_missing", f"{base}.profiling_description", **rp)
    if not (reg.security_manual or reg.security_electronic or reg.security_note):
        ctx.add("security_missing", f"{base}.security_electronic", **rp)


def _cookies(ctx: _Context) -> bool:
    """Cookie rules; returns whether anything on the site needs cookie consent."""
    ck = ctx.notice.cookies
    f = ctx.facts
    names = ", ".join(f.consent_names)
    if f.consent_names and ck.mechanism in (None, ConsentMechanism.none):
        ctx.add("cookie_consent_missing", "cookies.mechanism", names=names)
    if f.sets_cookies and not ck.uses_cookies:
        ctx.add("cookies_flag_off", "cookies.uses_cookies")
    if f.consent_names and ck.withdraw is None:
        ctx.add("cookie_withdraw_missing", "cookies.withdraw")
    if f.consent_names and ck.withdraw is WithdrawMethod.other and not ck.withdraw_note:
        ctx.add("cookie_withdraw_note", "cookies.withdraw_note")
    return f.site_needs_consent


def _review(ctx: _Context, cookie_consent: bool) -> None:
    n = ctx.notice
    if n.targets_children:
        if LegalBasis.consent in n.all_bases() or cookie_consent:
            ctx.add("children_consent_age", "targets_children")
        if any(r.profiling or any(pe.purpose is Purpose.targeted_advertising
                                  for pe in r.purposes) for r in n.registers):
            ctx.add("children_profiling", "targets_children")
    if n.created is None and n.updated is None:
        ctx.add("date_missing", "updated")


def _free_text(ctx: _Context) -> None:
    for path, value in _strings(ctx.notice):
        # A localized answer's finding sits at the answer (its widget shows every language).
        parent, _, last = path.rpartition(".")
        if last in _LANG_CODES and isinstance(_get(ctx.notice, parent),
                                              LocalizedShort | LocalizedLong):
            path = parent
        found: set[tuple[str, str]] = set()
        for rule_id, match in scan_outdated(value):
            if rule_id not in _FREE_TEXT_RULES:
                continue
            key = (rule_id, match.group(0).casefold())
            if key in found:
                continue
            found.add(key)
            ctx.add(rule_id, path, step=step_for_path(path), matched=match.group(0))


def run_checks(notice: Notice, languages: Sequence[Lang | str] = ()) -> list[Finding]:
    """Every finding for ``notice``: errors first, then warnings, then tips.

    ``languages``: notice languages to render besides the publication languages (a Finnish-only
    draft rendered in Swedish gets a `translation_missing` finding per untranslated answer).
    """
    ctx = _Context(notice, notice_facts(notice, Lang.fi))
    ctx.services = [[s.resolved for s in r.services] for r in ctx.facts.registers]
    _controller(ctx)
    if not notice.registers:
        ctx.add("no_registers", "registers")
    # A service checked against the contract in one register is checked everywhere.
    checked = {s.key: True for s in ctx.facts.services if s.checked}
    for i, reg in enumerate(notice.registers):
        if not reg.name and not reg.preset:
            ctx.add("register_name_missing", f"registers.{i}.name", **_register_params(i, reg))
        _purposes(ctx, i, reg)
        _data(ctx, i, reg)
        _services(ctx, i, reg, checked)
        _retention(ctx, i, reg)
    consent_cookies = _cookies(ctx)
    _review(ctx, consent_cookies)
    _free_text(ctx)
    wanted = notice.published_languages()
    wanted += [Lang(x) for x in languages if Lang(x) not in wanted]
    if len(wanted) > 1:
        _translations(ctx, wanted)
    return sort_findings(ctx.out)


# ---------------------------------------------------------------- completeness


def applicable_items(notice: Notice) -> dict[str, bool]:
    """Which Art. 13/14 items the notice must contain, given its answers."""
    regs = notice.registers
    bases = notice.all_bases()
    facts = notice_facts(notice, Lang.fi)
    indirect = any(r.indirect for r in facts.registers)
    cookie_consent = facts.site_needs_consent
    return {
        "C1": True,
        "C2": notice.dpo is not None,
        "P1": True,
        "P2": LegalBasis.legitimate_interest in bases,
        "D1": indirect,
        "R1": True,
        "T1": bool(facts.transfers),
        "S1": True,
        "RT": True,
        "W1": LegalBasis.consent in bases or cookie_consent,
        "K1": True,
        "O1": not regs or any(not r.sources or set(r.sources) & _DIRECT_SOURCES for r in regs),
        "SRC": indirect,
        "A1": True,
        "F1": True,
    }


def completeness(notice: Notice, findings: list[Finding]) -> dict[str, str]:
    """Every item id C1..F1 -> "ok" | "missing" | "n/a".

    An item is "missing" when an *error* names it (warnings and tips do not make an item
    missing; an error makes even an otherwise inapplicable item relevant), "n/a" when it does
    not apply to this notice (C2 without a DPO, T1 without a transfer, D1 and SRC without data
    from elsewhere, P2 without legitimate interest, W1 without consent, O1 when no data comes
    from the person).
    """
    applies = applicable_items(notice)
    failing = {i for f in findings if f.severity is Severity.error for i in f.items}
    return {
        item: "missing" if item in failing else "ok" if applies[item] else "n/a"
        for item in ITEM_IDS
    }
