"""What the answers imply, computed once per notice revision and read by everyone.

The notice, the checks, the wizard's step status and the cookie page used to derive the same
facts each in their own way (the consent rule was written five times), so they could disagree:
the notice claimed a processor agreement the review said was missing. This module is the one
home of every derived fact (DESIGN.md "Layers": widgets -> model -> facts -> checks/renderers):

- services per register, resolved, with the vendor's role per flow and the state of each
  processor agreement (answered, proposed by the catalogue, in place or not);
- joint controllers and their Art. 26(2) essence; decisions made by a service as independent
  controller (Klarna's credit decision);
- transfers outside the EEA with their mechanism: an adequacy decision (Art. 45 — the EU-US
  Data Privacy Framework is one) or a safeguard (Art. 46 — SCCs);
- the cookie rows: the services' catalogue cookies, the company's own and the consent banner's
  own necessary cookie;
- the consent rule (`service_needs_consent`, `tracking_service`), per service and for the site;
- which rights apply to which registers (portability only for consent and contract, objection
  for legitimate interest and public task and always against direct marketing, withdrawal only
  for consent);
- what is an answer and what is only a proposal (a preset's values, the catalogue's default
  agreement state, the requirement a basis implies): proposals never reach the notice.

Pure and cached: `notice_facts(notice, lang)` is keyed on the model's JSON, so a revision is
computed once however many readers ask. Nothing here imports Streamlit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from seloste.catalogue import Category, DpaKind, ServiceEntry, load_catalogue
from seloste.i18n import Texts
from seloste.localized import LocalizedLong, LocalizedShort, fallback_order, text_for
from seloste.model import Notice, PurposeEntry, Register, ServiceUse
from seloste.presets import REQUIREMENT_FOR_BASIS, Preset, preset_by_id
from seloste.recipients import ResolvedService, ServiceCookie, resolve
from seloste.vocab import (
    DPA_IN_PLACE,
    INDIRECT_SOURCES,
    MARKETING_PURPOSES,
    Art22Exception,
    ConsentMechanism,
    CookiePurpose,
    DataSubject,
    DpaState,
    DurationUnit,
    Lang,
    LegalBasis,
    Purpose,
    RegisterKind,
    Requirement,
    Right,
    Role,
    Source,
    TransferBasis,
    TransferMechanism,
)

__all__ = [
    "AutomatedDecision",
    "CookieRow",
    "NoticeFacts",
    "PurposeFacts",
    "RegisterFacts",
    "ServiceFacts",
    "TransferFacts",
    "mechanism_of",
    "notice_facts",
    "service_needs_consent",
    "tracking_service",
]

CLAUSES = "seloste.clauses"

#: Purposes that track visitors (analytics, targeted advertising): only on consent (Traficom).
TRACKING_PURPOSES = frozenset({Purpose.web_analytics, Purpose.targeted_advertising})
#: Service categories whose point is to track the site's visitors; they belong to the site.
TRACKING_CATEGORIES = frozenset({Category.ANALYTICS, Category.ADVERTISING})
#: Sources that are the person themselves (Art. 13 applies, and with it O1).
DIRECT_SOURCES = frozenset({Source.data_subject, Source.website_automatic})


# ---------------------------------------------------------------- the consent rule (once)


def cookie_needs_consent(purpose: CookiePurpose) -> bool:
    """917/2014 205 §: storing or reading on a device needs consent unless strictly necessary."""
    return purpose is not CookiePurpose.necessary


def entry_needs_consent(entry: ServiceEntry) -> bool:
    """A catalogue service needs the visitor's consent before it runs: it sets a cookie that is
    not strictly necessary, or it is an advertising tracker (a pixel needs consent even where
    the catalogue lists no cookie: Traficom's guide 13.9.2021 covers pixels). The lint of an
    old notice asks the same question of the services it recognises."""
    return (any(cookie_needs_consent(c.purpose) for c in entry.cookies)
            or entry.category is Category.ADVERTISING)


def service_needs_consent(resolved: ResolvedService) -> bool:
    """`entry_needs_consent` for a picked service (a custom one: by its own cookies only)."""
    if resolved.catalogue_id is None:
        return any(cookie_needs_consent(c.purpose) for c in resolved.cookies)
    return entry_needs_consent(load_catalogue().get(resolved.catalogue_id))


def tracking_service(resolved: ResolvedService) -> bool:
    """A service whose purpose is tracking the site's visitors (analytics, advertising).

    Such a service makes the *register* it is in need a tracking purpose on consent. A shop
    platform or a booking widget that merely sets cookies is not one: its cookies need the
    site's banner (`service_needs_consent`), not a consent basis in the customer register.
    """
    if resolved.catalogue_id is None:
        return False
    entry = load_catalogue().get(resolved.catalogue_id)
    return entry.category in TRACKING_CATEGORIES and service_needs_consent(resolved)


def mechanism_of(basis: TransferBasis) -> TransferMechanism:
    """An adequacy decision (Art. 45: the DPF, Canada, the UK...) or a safeguard (Art. 46)."""
    if basis in (TransferBasis.adequacy, TransferBasis.dpf):
        return TransferMechanism.adequacy
    return TransferMechanism.safeguard


# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class ServiceFacts:
    """One service use in one register."""

    register: int
    index: int
    use: ServiceUse
    resolved: ResolvedService
    category: Category | None
    dpa_kind: DpaKind | None
    """The catalogue's kind of agreement (None for a custom service)."""
    dpa_applies: bool
    """An Art. 28 agreement (or the Art. 26 arrangement) with this vendor is the company's to-do."""
    dpa_proposal: DpaState | None
    """What the wizard proposes when the user has not answered (catalogue `in_terms`)."""
    needs_consent: bool
    tracking: bool

    @property
    def path(self) -> str:
        return f"registers.{self.register}.services.{self.index}"

    @property
    def name(self) -> str:
        return self.resolved.name

    @property
    def key(self) -> str:
        return self.resolved.catalogue_id or f"custom:{self.resolved.name}"

    @property
    def roles(self) -> set[Role]:
        return self.resolved.roles()

    @property
    def dpa_state(self) -> DpaState | None:
        """The answer, or None when the user has not answered."""
        return self.use.dpa

    @property
    def dpa_in_place(self) -> bool:
        """The user confirmed the agreement (signed, or part of the accepted terms)."""
        return self.use.dpa in DPA_IN_PLACE

    @property
    def checked(self) -> bool:
        """The user checked the catalogue's unconfirmed facts against their own contract."""
        return self.use.checked_on is not None


@dataclass(frozen=True)
class TransferFacts:
    service: str
    key: str
    countries: tuple[str, ...]
    bases: tuple[TransferBasis, ...]

    @property
    def mechanisms(self) -> tuple[TransferMechanism, ...]:
        out: list[TransferMechanism] = []
        for b in self.bases:
            m = mechanism_of(b)
            if m not in out:
                out.append(m)
        return tuple(out)


@dataclass(frozen=True)
class CookieRow:
    """One row of the notice's cookie table (and of the wizard's cookie step)."""

    name: str
    provider: str
    purpose: CookiePurpose
    amount: int | None
    unit: DurationUnit | None
    origin: str
    """``catalogue`` (a picked service), ``own`` (the company's) or ``banner`` (the consent
    banner's own necessary cookie, which stores the visitor's choice)."""

    @property
    def needs_consent(self) -> bool:
        return cookie_needs_consent(self.purpose)


@dataclass(frozen=True)
class AutomatedDecision:
    """A decision based solely on automated processing (Art. 22) and who makes it."""

    register: int
    by: str
    """"" when the company decides; otherwise the service (an independent controller)."""
    logic: str
    exception: Art22Exception | None
    logic_lang: Lang | None = None
    """The language `logic` is written in when it is not the notice's (a missing translation)."""


@dataclass(frozen=True)
class PurposeFacts:
    index: int
    entry: PurposeEntry
    name: str
    interest: str
    """The legitimate interest as the notice prints it (the user's, else the preset's text)."""
    requirement_proposal: Requirement | None
    """What the wizard proposes while `entry.requirement` is unanswered."""
    interest_lang: Lang | None = None
    """The language `interest` is written in when it is not the notice's (a fallback)."""
    description: str = ""
    """The user's description of the purpose as printed (part of `name`)."""
    description_lang: Lang | None = None


@dataclass
class RegisterFacts:
    index: int
    register: Register
    name: str
    """The register's name in the notice language (the user's, the preset's, or "Register n")."""
    preset: Preset | None
    purposes: list[PurposeFacts]
    services: list[ServiceFacts]
    decisions: list[AutomatedDecision]
    proposals: dict[str, Any]
    """Register field -> the preset's proposed value, for fields still empty (never printed)."""
    consent_services: list[ServiceFacts] = field(default_factory=list)
    tracking_services: list[ServiceFacts] = field(default_factory=list)
    name_lang: Lang | None = None
    """The language `name` is written in when it is a fallback (no text in the notice's)."""

    @property
    def bases(self) -> set[LegalBasis]:
        return self.register.bases()

    @property
    def site(self) -> bool:
        return self.register.kind is RegisterKind.site

    def with_role(self, role: Role) -> list[ServiceFacts]:
        return [s for s in self.services if role in s.roles]

    @property
    def processors(self) -> list[ServiceFacts]:
        return self.with_role(Role.processor)

    @property
    def joint_controllers(self) -> list[ServiceFacts]:
        return self.with_role(Role.joint_controller)

    @property
    def agreements_due(self) -> list[ServiceFacts]:
        return [s for s in self.services if s.dpa_applies]

    @property
    def all_agreements_in_place(self) -> bool:
        """Every processor in this register has a confirmed agreement (and there is one)."""
        due = self.agreements_due
        return bool(due) and all(s.dpa_in_place for s in due)

    @property
    def indirect(self) -> bool:
        """Data comes from elsewhere than the person (Art. 14 applies)."""
        return bool(set(self.register.sources) & INDIRECT_SOURCES)

    @property
    def direct(self) -> bool:
        """Data comes from the person (Art. 13 applies, with the requirement item O1)."""
        r = self.register
        return not r.sources or bool(set(r.sources) & DIRECT_SOURCES)

    @property
    def recipients_answered(self) -> bool:
        """The notice can say who receives the data: services, other recipients or "nobody"."""
        r = self.register
        return bool(r.services or r.other_recipients or r.no_recipients_confirmed)

    @property
    def tracking_purposes(self) -> list[PurposeFacts]:
        return [p for p in self.purposes if p.entry.purpose in TRACKING_PURPOSES]

    @property
    def marketing(self) -> bool:
        return any(p.entry.purpose in MARKETING_PURPOSES for p in self.purposes)

    @property
    def business_only(self) -> bool:
        """Every data subject is a business contact: B2B email marketing may rest on legitimate
        interest with an opt-out (917/2014), unlike a consumer newsletter."""
        r = self.register
        return set(r.data_subjects) == {DataSubject.business_contacts} and (
            not r.custom_data_subjects)

    def rights(self) -> set[Right]:
        bases = self.bases
        out = {Right.access, Right.rectification, Right.erasure, Right.restriction}
        if bases & {LegalBasis.consent, LegalBasis.contract}:
            out.add(Right.portability)
        if bases & {LegalBasis.legitimate_interest, LegalBasis.public_task}:
            out.add(Right.objection)
        if self.marketing:
            out.add(Right.objection_marketing)
        if LegalBasis.consent in bases:
            out.add(Right.withdraw)
        if self.decisions:
            out.add(Right.automated)
        return out


@dataclass
class NoticeFacts:
    notice: Notice
    lang: Lang
    registers: list[RegisterFacts]
    transfers: list[TransferFacts]
    cookie_rows: list[CookieRow]
    consent_names: list[str]
    """What needs the visitor's consent on the site: services and own cookies, by name."""

    @property
    def services(self) -> list[ServiceFacts]:
        return [s for r in self.registers for s in r.services]

    def unique_services(self) -> list[ServiceFacts]:
        """Each service once (first use), in picking order."""
        seen: dict[str, ServiceFacts] = {}
        for s in self.services:
            seen.setdefault(s.key, s)
        return list(seen.values())

    @property
    def site_needs_consent(self) -> bool:
        return bool(self.consent_names)

    @property
    def sets_cookies(self) -> bool:
        return any(r.origin != "banner" for r in self.cookie_rows)

    @property
    def mechanism(self) -> ConsentMechanism | None:
        """How consent is asked, as the notice may state it (only when something needs it)."""
        ck = self.notice.cookies
        if not self.site_needs_consent:
            return ConsentMechanism.none
        return ck.mechanism

    @property
    def bases(self) -> set[LegalBasis]:
        return self.notice.all_bases()

    @property
    def decisions(self) -> list[AutomatedDecision]:
        return [d for r in self.registers for d in r.decisions]

    def registers_with_right(self, right: Right) -> list[RegisterFacts]:
        return [r for r in self.registers if right in r.rights()]

    @property
    def site_register(self) -> RegisterFacts | None:
        return next((r for r in self.registers if r.site), None)

    @property
    def pending_proposals(self) -> int:
        return sum(len(r.proposals) for r in self.registers) + sum(
            1 for r in self.registers for p in r.purposes
            if p.entry.requirement is None and p.requirement_proposal is not None
        ) + sum(1 for s in self.services if s.dpa_state is None and s.dpa_proposal is not None)


def _service_facts(reg_index: int, index: int, use: ServiceUse,
                   resolved: ResolvedService) -> ServiceFacts:
    if use.custom is not None:
        kind = None
        category = None
        applies = use.custom.role is Role.processor
        proposal = None
    else:
        entry = load_catalogue().get(use.catalogue_id or "")
        kind = entry.dpa
        category = entry.category
        roles = resolved.roles()
        applies = bool(roles & {Role.processor, Role.joint_controller}) and kind in (
            DpaKind.IN_ACCOUNT_SETTINGS, DpaKind.IN_TERMS)
        proposal = DpaState.in_terms if kind is DpaKind.IN_TERMS and applies else None
    return ServiceFacts(
        register=reg_index, index=index, use=use, resolved=resolved, category=category,
        dpa_kind=kind, dpa_applies=applies, dpa_proposal=proposal,
        needs_consent=service_needs_consent(resolved), tracking=tracking_service(resolved),
    )


def _empty(value: Any) -> bool:
    if isinstance(value, LocalizedShort | LocalizedLong):
        return not value.given()
    return value in (None, "", [], {})


def _register_facts(index: int, reg: Register, lang: Lang, t: Texts,
                    fallbacks: Sequence[Lang]) -> RegisterFacts:
    preset = preset_by_id(reg.preset)
    name, name_lang = text_for(reg.name, lang, fallbacks)
    name = name or (preset.notice_name(lang) if preset else "") or t(
        "doc.unnamed_register", number=index + 1)
    purposes = []
    for j, pe in enumerate(reg.purposes):
        description, description_lang = text_for(pe.description, lang, fallbacks)
        label = ", ".join(x for x in (
            t(f"purpose.{pe.purpose.value}") if pe.purpose else "", description) if x)
        interest, interest_lang = text_for(pe.legitimate_interest, lang, fallbacks)
        if not interest and preset is not None and pe.basis is LegalBasis.legitimate_interest:
            interest = preset.interest_text(pe.purpose, lang)
        proposal: Requirement | None = None
        if pe.requirement is None:
            pp = preset.purpose(pe.purpose) if preset else None
            if pp is not None and pp.basis is pe.basis:
                proposal = pp.proposed_requirement()
            elif pe.basis is not None:
                proposal = REQUIREMENT_FOR_BASIS.get(pe.basis, Requirement.voluntary)
        purposes.append(PurposeFacts(j, pe, label, interest, proposal, interest_lang,
                                     description, description_lang))
    services = [
        _service_facts(index, k, use, resolve(use, lang, fallbacks))
        for k, use in enumerate(reg.services)
    ]
    decisions: list[AutomatedDecision] = []
    if reg.automated_decisions:
        logic, logic_lang = text_for(reg.automated_logic, lang, fallbacks)
        decisions.append(AutomatedDecision(index, "", logic, reg.automated_exception,
                                           logic_lang))
    catalogue = load_catalogue()
    for s in services:
        cid = s.resolved.catalogue_id
        if cid is None:
            continue
        entry = catalogue.get(cid)
        vendor_logic = catalogue.text(cid, lang.value).automated_logic
        if any(rf.automated_decisions for rf in entry.roles) and vendor_logic:
            decisions.append(AutomatedDecision(index, s.name, vendor_logic, None))
    proposals: dict[str, Any] = {}
    if preset is not None:
        for key, value in preset.proposals().items():
            if _empty(getattr(reg, key)):
                proposals[key] = value
    rf = RegisterFacts(index, reg, name, preset, purposes, services, decisions, proposals,
                       name_lang=name_lang)
    rf.consent_services = [s for s in services if s.needs_consent]
    rf.tracking_services = [s for s in services if s.tracking]
    return rf


def _cookie_rows(notice: Notice, services: Iterable[ServiceFacts], t: Texts,
                 needs_consent: bool) -> list[CookieRow]:
    rows: list[CookieRow] = []
    seen: set[tuple[str, str]] = set()
    banner_service = False
    for s in services:
        if s.category is Category.CONSENT:
            banner_service = True
        for c in s.resolved.cookies:
            if (c.provider, c.name) not in seen:
                seen.add((c.provider, c.name))
                rows.append(CookieRow(c.name, c.provider, c.purpose, c.amount, c.unit,
                                      "catalogue"))
    for cc in notice.cookies.custom_cookies:
        rows.append(CookieRow(cc.name, cc.provider, cc.purpose, cc.duration_amount,
                              cc.duration_unit, "own"))
    ck = notice.cookies
    own_banner_cookie = any(r.origin == "own" and r.purpose is CookiePurpose.necessary
                            and "consent" in r.name.casefold() for r in rows)
    if (needs_consent and ck.mechanism is ConsentMechanism.banner and not banner_service
            and not own_banner_cookie):
        # The banner must remember the choice: a strictly necessary cookie of the site itself.
        rows.append(CookieRow(t("cookies.banner_cookie"),
                              notice.controller.name or t("cookies.banner_provider"),
                              CookiePurpose.necessary, None, None, "banner"))
    return rows


def _build(notice: Notice, lang: Lang) -> NoticeFacts:
    t = Texts(CLAUSES, lang)
    fallbacks = fallback_order(notice.published_languages())
    registers = [_register_facts(i, r, lang, t, fallbacks)
                 for i, r in enumerate(notice.registers)]
    unique: dict[str, ServiceFacts] = {}
    for r in registers:
        for s in r.services:
            unique.setdefault(s.key, s)
    transfers = [
        TransferFacts(s.name, s.key, tuple(s.resolved.transfer_countries),
                      tuple(s.resolved.transfer_bases))
        for s in unique.values() if s.resolved.transfer_countries
    ]
    consent_names = [s.name for s in unique.values() if s.needs_consent]
    consent_names += [c.name for c in notice.cookies.custom_cookies
                      if cookie_needs_consent(c.purpose)]
    rows = _cookie_rows(notice, unique.values(), t, bool(consent_names))
    return NoticeFacts(notice, lang, registers, transfers, rows, consent_names)


@functools.lru_cache(maxsize=64)
def _cached(notice_json: str, lang: Lang) -> NoticeFacts:
    return _build(Notice.model_validate_json(notice_json), lang)


def notice_facts(notice: Notice, lang: Lang | str | None = None) -> NoticeFacts:
    """The facts of ``notice`` with texts in ``lang`` (default: the notice's language).

    Cached on the notice's JSON: every reader of one revision shares one computation. The
    result is shared, so callers must treat it as read-only.
    """
    language = Lang(lang) if lang else notice.language
    return _cached(notice.model_dump_json(), language)


def service_cookie_rows(notice: Notice, lang: Lang | str) -> list[ServiceCookie]:
    """The picked services' cookies, each (provider, name) once (the wizard's cookie step)."""
    return [ServiceCookie(r.name, r.provider, r.purpose, r.amount, r.unit)
            for r in notice_facts(notice, lang).cookie_rows if r.origin == "catalogue"]
