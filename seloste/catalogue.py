"""The service catalogue: facts about the services a small company uses, and their texts.

Entrepreneurs do not know whether Mailchimp is a processor or where Thinkific keeps its data,
so the wizard lets them pick services from a catalogue instead of describing them. The facts
(vendor, role per data flow, transfers, processor agreement, cookies, sources) are language-neutral
and live in ``catalogue_data/services.yaml``; what a service is, what each flow does and what the
company must do live in one file per language (``fi.yaml``, ``sv.yaml``, ``en.yaml``). Choices are
stored as catalogue ids, so one set of answers renders in any language.

Legal facts go stale and many could not be confirmed from the vendor's own pages. Every entry
therefore names its sources and lists in ``verify`` the fields that were not confirmed, so the UI
and the notice can mark them "tarkista" instead of presenting a guess as a fact.

The loader validates the data strictly (unique ids, complete texts in every language, transfer
bases only with third countries, https URLs, Art. 26 text for joint controllers) so that a broken
data file fails in the tests, not in an entrepreneur's notice.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from importlib import resources
from typing import Annotated, Any, Final
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from seloste.geo import EEA
from seloste.vocab import LANGUAGES, CookiePurpose, DurationUnit, Lang, Role, TransferBasis

__all__ = [
    "FACT_PATHS",
    "LANGUAGES",
    "Catalogue",
    "CatalogueError",
    "Category",
    "Cookie",
    "CookieDuration",
    "CookiePurpose",
    "DpaKind",
    "DurationUnit",
    "Lang",
    "OptionValue",
    "Role",
    "RoleFlow",
    "ServiceEntry",
    "ServiceOption",
    "ServiceText",
    "Source",
    "Transfer",
    "TransferBasis",
    "Vendor",
    "load_catalogue",
    "parse_catalogue",
    "recognise_services",
    "service_patterns",
]

# The language list has one home, `seloste.vocab`; re-exported here for the catalogue's callers.


_ID_RE: Final = re.compile(r"^[a-z0-9_]+$")
_COUNTRY_RE: Final = re.compile(r"^[A-Z]{2}$")


class CatalogueError(ValueError):
    """The catalogue data is inconsistent; raised by the loader, never at render time."""


class DpaKind(StrEnum):
    """How the Art. 28 processor agreement comes about, which decides the company's to-do."""

    IN_ACCOUNT_SETTINGS = "in_account_settings"
    """The company must accept or sign it (in the account, admin console or contract)."""
    IN_TERMS = "in_terms"
    """Part of the terms of service: nothing to sign."""
    NONE = "none"
    """No processor agreement: the vendor is not a processor for these flows."""
    HOST = "host"
    """Self-hosted software: the processor is the company's web host, whose DPA applies."""


class Category(StrEnum):
    """What kind of service an entry is; the wizard groups its picker by these."""

    NEWSLETTER = "newsletter"
    ANALYTICS = "analytics"
    ADVERTISING = "advertising"
    COURSES = "courses"
    WEBSHOP = "webshop"
    HOSTING = "hosting"
    PAYMENTS = "payments"
    ACCOUNTING = "accounting"
    BOOKING = "booking"
    OFFICE = "office"
    SOCIAL = "social"
    EMBEDS = "embeds"
    DELIVERY = "delivery"
    ESIGN = "esign"
    CRM = "crm"
    CONSENT = "consent"


def _https_url(value: str) -> str:
    """Accept only absolute https URLs: a notice must not link to plain http."""
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError(f"not an https URL: {value!r}")
    return value


def _non_blank(value: str) -> str:
    """Reject empty or whitespace-only text, which would print as a hole in the notice."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]
NonBlank = Annotated[str, AfterValidator(_non_blank)]
FlowKey = Annotated[str, Field(pattern=_ID_RE.pattern)]


def _country(value: str, *, allow_eu: bool) -> str:
    if allow_eu and value == "EU":
        return value
    if not _COUNTRY_RE.match(value):
        raise ValueError(f"not an ISO 3166-1 alpha-2 code: {value!r}")
    return value


class _Frozen(BaseModel):
    """Catalogue data is shared by every session (the loader is cached): make it immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """Where a fact was read and when, so it can be checked again.

    ``covers`` names the facts (paths as in :data:`FACT_PATHS`, or a root such as ``transfer``)
    that this page states. ``None`` marks an older source recorded per entry, not per fact: it
    then counts for every fact of the entry not in ``verify`` (see ``ServiceEntry.sources_for``).
    """

    url: HttpsUrl
    checked: date
    covers: list[str] | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


class Vendor(_Frozen):
    """The legal entity that contracts with an EU/Finnish business customer."""

    entity: NonBlank
    address: NonBlank | None
    """``None`` when not known; the entry then lists ``vendor.address`` in ``verify``."""
    country: str
    business_id: str | None = None
    """The Finnish business ID (Y-tunnus) or foreign registration number, where read."""

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        return _country(value, allow_eu=False)


class RoleFlow(_Frozen):
    """One data flow to the vendor and the vendor's role in it."""

    role: Role
    flow: FlowKey
    on_site: bool = True
    """Whether the flow runs on the company's website: the vendor's script, embed, widget or
    hosting serves the visitor's browser there (a pixel, a booking widget, the web host). False
    for a flow away from the site (bookkeeping, parcel delivery, a card terminal, meetings, the
    vendor's own platform): the vendor has no code on the site, so it can set no cookie there
    and the entry's ``cookies`` fact can never reach the notice's cookie table. True is the
    default because it is the safe side: a flow not marked keeps its entry's cookies counted
    (and, where unconfirmed, in ``verify``)."""
    automated_decisions: bool = False
    """The vendor makes decisions with legal or similar effect by automated means (Art. 22),
    e.g. Klarna's credit decision: the notice must give the logic and consequences
    (Art. 13(2)(f)), which the texts carry as ``automated_logic``."""


class Transfer(_Frozen):
    """Transfers outside the EU/EEA (Art. 13(1)(f)); empty when the data stays in the EEA."""

    countries: list[str] = Field(default_factory=list)
    bases: list[TransferBasis] = Field(default_factory=list)

    @field_validator("countries")
    @classmethod
    def _third_countries(cls, value: list[str]) -> list[str]:
        for code in value:
            _country(code, allow_eu=False)
            if code in EEA:
                raise ValueError(f"{code} is in the EEA: not a transfer")
        if len(set(value)) != len(value):
            raise ValueError("duplicate country")
        return value

    @model_validator(mode="after")
    def _bases_iff_countries(self) -> Transfer:
        if bool(self.countries) != bool(self.bases):
            raise ValueError("transfer bases must be given exactly when countries are")
        return self


class CookieDuration(_Frozen):
    """How long a cookie lives; ``amount`` is absent for session cookies."""

    amount: int | None = Field(default=None, gt=0)
    unit: DurationUnit

    @model_validator(mode="after")
    def _amount_matches_unit(self) -> CookieDuration:
        if (self.unit is DurationUnit.session) != (self.amount is None):
            raise ValueError("session cookies have no amount; all others need one")
        return self


class Cookie(_Frozen):
    """A cookie (or similar identifier) the service sets on the company's site."""

    name: NonBlank
    purpose: CookiePurpose
    duration: CookieDuration | None
    """``None`` when the vendor states no lifetime; the entry then lists ``cookies`` in verify."""

    @property
    def needs_consent(self) -> bool:
        """Only strictly necessary cookies are exempt from consent (917/2014, 205 § 2 mom.)."""
        return self.purpose is not CookiePurpose.necessary


_VERIFY_ROOTS: Final = frozenset(
    {
        "name", "vendor", "roles", "processing_countries", "transfer", "dpa", "cookies",
        "privacy_policy", "dpa_url", "options",
    }
)  # fmt: skip
_VERIFY_CHILDREN: Final[Mapping[str, frozenset[str]]] = {
    "vendor": frozenset(Vendor.model_fields),
    "transfer": frozenset(Transfer.model_fields),
}


class OptionValue(_Frozen):
    """One answer to a vendor option and the facts it changes; ``None`` keeps the entry's fact."""

    processing_countries: list[str] | None = None
    transfer: Transfer | None = None
    drop_flows: list[FlowKey] = Field(default_factory=list)
    """Flows that do not happen with this answer (e.g. no Conversions API: no server events)."""


class ServiceOption(_Frozen):
    """A choice the vendor offers (data region, a feature in use) that changes the notice.

    The user's answer is stored in ``ServiceUse.options`` by key; until it is given the
    entry's own facts apply (which describe the vendor's default).
    """

    key: FlowKey
    values: dict[FlowKey, OptionValue] = Field(min_length=2)
    default: FlowKey
    """The value that matches the entry's base facts (the vendor's default)."""

    @model_validator(mode="after")
    def _default_known(self) -> ServiceOption:
        if self.default not in self.values:
            raise ValueError(f"option {self.key}: default {self.default!r} is not a value")
        return self


FACT_PATHS: Final[tuple[str, ...]] = (
    "vendor.entity", "vendor.address", "vendor.country", "roles", "processing_countries",
    "transfer.countries", "transfer.bases", "dpa", "cookies", "privacy_policy",
)  # fmt: skip
"""The facts of an entry that reach the notice (or the company's to-do list)."""

REGISTER_HOSTS: Final = frozenset(
    {"www.dataprivacyframework.gov", "dataprivacyframework.gov", "tietopalvelu.ytj.fi",
     "www.ytj.fi", "ytj.fi", "virre.prh.fi", "www.prh.fi", "eur-lex.europa.eu",
     "commission.europa.eu"}
)  # fmt: skip
"""Official registers and EU texts: a fact read there counts like the vendor's own page."""


def _site(host: str) -> str:
    """The registrable part of a host name (``support.google.com`` -> ``google.com``)."""
    labels = host.lower().removeprefix("www.").split(".")
    return ".".join(labels[-2:])


class ServiceEntry(_Frozen):
    """The language-neutral facts about one service."""

    id: Annotated[str, Field(pattern=_ID_RE.pattern)]
    name: NonBlank
    category: Category
    vendor: Vendor | None
    """``None`` only for self-hosted software (no vendor receives any data) and for generic
    entries ("our accounting firm"), whose vendor the user names in the note."""
    generic: bool = False
    roles: list[RoleFlow] = Field(min_length=1)
    processing_countries: list[str] = Field(min_length=1)
    transfer: Transfer
    dpa: DpaKind
    cookies: list[Cookie] = Field(default_factory=list)
    privacy_policy: HttpsUrl
    """The vendor's privacy policy; for self-hosted entries (no vendor) a privacy guide."""
    privacy_policy_lang: dict[Lang, HttpsUrl] = Field(default_factory=dict)
    """The same policy in a notice language, where the vendor publishes one."""
    domains: list[str] = Field(default_factory=list)
    """Further sites of the vendor (beyond the privacy policy's and DPA's) whose pages count
    as its own, e.g. ``safety.google``, or a path on a shared site for the vendor's own
    repository (``github.com/cookieyes``); a page anywhere else is a secondary copy."""
    options: list[ServiceOption] = Field(default_factory=list)
    dpa_url: HttpsUrl | None = None
    """The processor agreement, or for ``dpa: none`` an optional agreement for a side feature."""
    sources: list[Source] = Field(default_factory=list)
    verify: list[str] = Field(default_factory=list)
    """Field paths (``vendor.address``, ``cookies``) not confirmed from a primary source."""

    @field_validator("processing_countries")
    @classmethod
    def _processing_countries(cls, value: list[str]) -> list[str]:
        for code in value:
            _country(code, allow_eu=True)
        return value

    @field_validator("verify")
    @classmethod
    def _verify_paths(cls, value: list[str]) -> list[str]:
        for path in value:
            root, _, child = path.partition(".")
            if root not in _VERIFY_ROOTS:
                raise ValueError(f"verify path {path!r} names no field")
            if child and root != "options" and child not in _VERIFY_CHILDREN.get(root, frozenset()):
                raise ValueError(f"verify path {path!r} names no field")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ServiceEntry:
        flows = [rf.flow for rf in self.roles]
        if len(set(flows)) != len(flows):
            raise ValueError(f"{self.id}: duplicate flow key")
        if self.vendor is None and self.dpa is not DpaKind.HOST and not self.generic:
            raise ValueError(f"{self.id}: only self-hosted or generic entries may omit vendor")
        address_unknown = self.vendor is not None and self.vendor.address is None
        if address_unknown and not self.needs_verification("vendor.address"):
            raise ValueError(f"{self.id}: unknown vendor address must be in verify")
        if self.cookies and not self.runs_on_site:
            raise ValueError(f"{self.id}: cookies listed, but no flow runs on the site")
        if any(c.duration is None for c in self.cookies) and "cookies" not in self.verify:
            raise ValueError(f"{self.id}: unknown cookie duration: list cookies in verify")
        keys = [o.key for o in self.options]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.id}: duplicate option key")
        for option in self.options:
            for value in option.values.values():
                unknown = set(value.drop_flows) - set(flows)
                if unknown:
                    raise ValueError(f"{self.id}: option {option.key} drops unknown {unknown}")
        for source in self.sources:
            for path in source.covers or []:
                root = path.partition(".")[0]
                if path not in FACT_PATHS and root not in _VERIFY_ROOTS:
                    raise ValueError(f"{self.id}: source covers unknown fact {path!r}")
        return self

    def option(self, key: str) -> ServiceOption | None:
        """The option ``key``, or None (an old draft may name one the entry no longer has)."""
        return next((o for o in self.options if o.key == key), None)

    @property
    def fact_paths(self) -> list[str]:
        """The facts this entry states that reach the notice, as paths (see FACT_PATHS)."""
        paths = [p for p in FACT_PATHS if self.vendor is not None or not p.startswith("vendor.")]
        if self.vendor is None:
            paths.remove("privacy_policy")  # no vendor: the notice links no policy
        if not self.transfer.countries:
            paths.remove("transfer.bases")
        if not self.runs_on_site:
            paths.remove("cookies")  # no code on the site: no cookie row can come from it
        paths.extend(f"options.{o.key}" for o in self.options)
        return paths

    @property
    def runs_on_site(self) -> bool:
        """Whether any flow runs on the company's website, so the vendor can set cookies there.

        A back-office service (accounting, parcel carrier, e-signature) cannot: its ``cookies``
        fact never reaches the notice, so it is not counted as one (see :attr:`fact_paths`).
        """
        return any(rf.on_site for rf in self.roles)

    @property
    def own_sites(self) -> frozenset[str]:
        """Sites whose pages are the vendor's own (privacy policy, DPA, ``domains``)."""
        urls = [self.privacy_policy, *self.privacy_policy_lang.values()]
        if self.dpa_url:
            urls.append(self.dpa_url)
        sites = {_site(urlsplit(u).hostname or "") for u in urls}
        return frozenset(sites | {_site(d) for d in self.domains if "/" not in d})

    def is_own_source(self, source: Source) -> bool:
        """Whether ``source`` is the vendor's own page or an official register.

        A ``domains`` entry with a path (``github.com/Really-Simple-Plugins``) counts only
        pages under that path: the vendor's own repository on a site everyone publishes on,
        never the site at large."""
        if source.host in REGISTER_HOSTS or _site(source.host) in self.own_sites:
            return True
        where = f"{source.host.removeprefix('www.')}{urlsplit(source.url).path}"
        return any(where == d or where.startswith(d.rstrip("/") + "/")
                   for d in self.domains if "/" in d)

    def sources_for(self, path: str) -> list[Source]:
        """The vendor-own sources that state fact ``path``; empty when it is unconfirmed.

        A fact in ``verify`` has none, whatever the sources say: the entry's author could not
        confirm it. Sources that name the fact come first; an older source without ``covers``
        counts only for a fact that no source names.
        """
        if self.needs_verification(path):
            return []
        own = [s for s in self.sources if self.is_own_source(s)]
        named = [s for s in own if s.covers is not None
                 and any(path == c or path.startswith(c + ".") for c in s.covers)]
        return named or [s for s in own if s.covers is None]

    def transfer_confirmed(self, answers: Mapping[str, str]) -> bool:
        """Whether the transfer countries and safeguard that apply to ``answers`` are sourced.

        An answered option that sets the transfer is confirmed by the sources of that option;
        otherwise the entry's own transfer facts decide.
        """
        for key, answer in answers.items():
            option = self.option(key)
            chosen = option.values.get(answer) if option else None
            if chosen is not None and chosen.transfer is not None:
                return bool(self.sources_for(f"options.{key}"))
        paths = ["transfer.countries", "transfer.bases"] if self.transfer.countries else []
        return all(self.sources_for(p) for p in paths)

    def privacy_url(self, lang: str) -> str:
        """The privacy policy in ``lang`` where the vendor has one, else the default one."""
        for known, url in self.privacy_policy_lang.items():
            if known == lang:
                return url
        return self.privacy_policy

    @property
    def needs_consent(self) -> bool:
        """True when any cookie it sets is not strictly necessary: the banner must gate it."""
        return any(cookie.needs_consent for cookie in self.cookies)

    @property
    def outside_eea(self) -> bool:
        """True when personal data leaves the EEA, so the notice must name the safeguard."""
        return bool(self.transfer.countries)

    @property
    def flow_keys(self) -> list[str]:
        """The flow keys in file order; each has a text in every language."""
        return [rf.flow for rf in self.roles]

    def has_role(self, role: Role | str) -> bool:
        """Whether the vendor has ``role`` in any flow (e.g. joint controller: Art. 26 text)."""
        wanted = Role(role)
        return any(rf.role is wanted for rf in self.roles)

    def needs_verification(self, path: str) -> bool:
        """Whether ``path`` (or the field containing it) is unconfirmed: show it as "tarkista"."""
        return any(path == v or path.startswith(v + ".") for v in self.verify)


class ServiceText(_Frozen):
    """One service's texts in one language."""

    description: NonBlank
    """What the service is, in one short phrase."""
    flows: dict[str, NonBlank]
    """Per flow key: what data goes to the vendor and why."""
    actions: list[NonBlank] = Field(default_factory=list)
    """What the company must do, in the imperative."""
    joint_essence: NonBlank | None = None
    """Only for joint controllers: the essence of the Art. 26 arrangement for data subjects."""
    name: NonBlank | None = None
    """The service's name in this language where one is used ("Meta-pikseli"); else the
    entry's name, which is a proper noun."""
    automated_logic: NonBlank | None = None
    """Only where a flow has automated decisions: their logic and consequences (Art. 13(2)(f))."""
    options: dict[str, dict[str, NonBlank]] = Field(default_factory=dict)
    """Per option key: ``label`` (the question) and one label per value."""
    cookie_names: dict[str, NonBlank] = Field(default_factory=dict)
    """Per cookie whose catalogue name describes a group ("Calendly (session cookies)") rather
    than naming one cookie: that description in this language. A real cookie name (``_ga``) is
    the same in every language and has none."""


def _describes(cookie_name: str) -> bool:
    """A catalogue cookie "name" with a space is a description of a group of cookies (the vendor
    names none), which is text in a language; a real cookie or storage key has no spaces."""
    return " " in cookie_name.strip()


class Catalogue:
    """All services with their texts in every language; built and checked by the loader."""

    def __init__(
        self,
        entries: Iterable[ServiceEntry],
        texts: Mapping[Lang, Mapping[str, ServiceText]],
        categories: Mapping[Lang, Mapping[Category, str]],
    ) -> None:
        self._entries: dict[str, ServiceEntry] = {}
        for entry in entries:
            if entry.id in self._entries:
                raise CatalogueError(f"duplicate service id: {entry.id}")
            self._entries[entry.id] = entry
        self._texts = {lang: dict(texts[lang]) for lang in LANGUAGES}
        self._categories = {lang: dict(categories[lang]) for lang in LANGUAGES}
        self._check()

    def _check(self) -> None:
        problems: list[str] = []
        for lang in LANGUAGES:
            missing_cats = set(Category) - set(self._categories[lang])
            if missing_cats:
                problems.append(f"{lang}: category names missing: {sorted(missing_cats)}")
            texts = self._texts[lang]
            for unknown in sorted(set(texts) - set(self._entries)):
                problems.append(f"{lang}: text for unknown service {unknown}")
            for sid, entry in self._entries.items():
                text = texts.get(sid)
                if text is None:
                    problems.append(f"{lang}: no text for {sid}")
                    continue
                if set(text.flows) != set(entry.flow_keys):
                    problems.append(
                        f"{lang}/{sid}: flow texts {sorted(text.flows)} "
                        f"do not match flows {sorted(entry.flow_keys)}"
                    )
                described = {c.name for c in entry.cookies if _describes(c.name)}
                for stray in sorted(set(text.cookie_names) - described):
                    problems.append(f"{lang}/{sid}: cookie_names for no described cookie {stray!r}")
                if lang != "en":  # the catalogue writes the descriptions in English
                    for untold in sorted(described - set(text.cookie_names)):
                        problems.append(f"{lang}/{sid}: cookie {untold!r} needs cookie_names")
                joint = entry.has_role(Role.joint_controller)
                if joint and text.joint_essence is None:
                    problems.append(f"{lang}/{sid}: joint controller without joint_essence")
                if not joint and text.joint_essence is not None:
                    problems.append(f"{lang}/{sid}: joint_essence but no joint controller flow")
                automated = any(rf.automated_decisions for rf in entry.roles)
                if automated != (text.automated_logic is not None):
                    problems.append(f"{lang}/{sid}: automated_logic iff automated decisions")
                for option in entry.options:
                    labels = text.options.get(option.key, {})
                    wanted = {"label", *option.values}
                    if set(labels) != wanted:
                        problems.append(f"{lang}/{sid}: option {option.key} texts "
                                        f"{sorted(labels)} != {sorted(wanted)}")
                if set(text.options) - {o.key for o in entry.options}:
                    problems.append(f"{lang}/{sid}: texts for unknown options")
        if problems:
            raise CatalogueError("; ".join(problems))

    @property
    def entries(self) -> dict[str, ServiceEntry]:
        """Entries by id, in file order (a copy: callers cannot change the shared catalogue)."""
        return dict(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, service_id: object) -> bool:
        return service_id in self._entries

    def get(self, service_id: str) -> ServiceEntry:
        """The entry for ``service_id``; KeyError for an unknown id (e.g. from an old draft)."""
        try:
            return self._entries[service_id]
        except KeyError:
            raise KeyError(f"unknown service id: {service_id!r}") from None

    def text(self, service_id: str, lang: Lang | str) -> ServiceText:
        """The texts of ``service_id`` in ``lang`` (fi, sv or en)."""
        self.get(service_id)
        return self._texts[_lang(lang)][service_id]

    def display_name(self, service_id: str, lang: Lang | str) -> str:
        """The service's name in ``lang``: a localized name where one exists, else the brand."""
        return self.text(service_id, lang).name or self.get(service_id).name

    def category_name(self, category: Category | str, lang: Lang | str) -> str:
        """The display name of ``category`` in ``lang``."""
        return self._categories[_lang(lang)][Category(category)]

    def by_category(self) -> dict[Category, list[ServiceEntry]]:
        """Entries grouped by category, categories in enum order, entries in file order."""
        grouped: dict[Category, list[ServiceEntry]] = {}
        for category in Category:
            members = [e for e in self._entries.values() if e.category is category]
            if members:
                grouped[category] = members
        return grouped

    def search(self, query: str, lang: Lang | str) -> list[ServiceEntry]:
        """Entries whose name, id or description (in ``lang``) contains ``query``.

        Case-insensitive; a blank query returns every entry, so a search box can start empty.
        """
        texts = self._texts[_lang(lang)]
        needle = query.strip().casefold()
        if not needle:
            return list(self._entries.values())
        return [
            entry
            for sid, entry in self._entries.items()
            if needle in entry.name.casefold()
            or needle in (texts[sid].name or "").casefold()
            or needle in sid.casefold()
            or needle in texts[sid].description.casefold()
        ]


def _lang(lang: str) -> Lang:
    for known in LANGUAGES:
        if lang == known:
            return known
    raise ValueError(f"unsupported language: {lang!r} (expected one of {', '.join(LANGUAGES)})")


def _load_yaml(text: str, what: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{what}: invalid YAML: {exc}") from exc


def parse_catalogue(services_yaml: str, texts_yaml: Mapping[Lang, str]) -> Catalogue:
    """Build a catalogue from YAML text; raises CatalogueError naming every problem found.

    Separate from :func:`load_catalogue` so that tests can feed broken data to the validation.
    """
    raw_entries = _load_yaml(services_yaml, "services.yaml")
    if not isinstance(raw_entries, list):
        raise CatalogueError("services.yaml: expected a list of services")
    entries: list[ServiceEntry] = []
    problems: list[str] = []
    for index, raw in enumerate(raw_entries):
        label = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
        try:
            entries.append(ServiceEntry.model_validate(raw))
        except ValidationError as exc:
            problems.append(f"services.yaml/{label}: {exc}")

    texts: dict[Lang, dict[str, ServiceText]] = {}
    categories: dict[Lang, dict[Category, str]] = {}
    for lang in LANGUAGES:
        raw_texts = _load_yaml(texts_yaml[lang], f"{lang}.yaml")
        if not isinstance(raw_texts, dict):
            raise CatalogueError(f"{lang}.yaml: expected a mapping")
        raw_cats = raw_texts.pop("_categories", None)
        if not isinstance(raw_cats, dict):
            problems.append(f"{lang}.yaml: _categories missing")
            raw_cats = {}
        try:
            categories[lang] = {Category(k): _non_blank(str(v)) for k, v in raw_cats.items()}
        except ValueError as exc:
            problems.append(f"{lang}.yaml/_categories: {exc}")
            categories[lang] = {}
        texts[lang] = {}
        for sid, raw_text in raw_texts.items():
            try:
                texts[lang][str(sid)] = ServiceText.model_validate(raw_text)
            except ValidationError as exc:
                problems.append(f"{lang}.yaml/{sid}: {exc}")
    if problems:
        raise CatalogueError("\n".join(problems))
    return Catalogue(entries, texts, categories)


@functools.cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with the package, parsed and validated once per process."""
    data = resources.files("seloste.catalogue_data")
    services = data.joinpath("services.yaml").read_text(encoding="utf-8")
    texts: dict[Lang, str] = {
        lang: data.joinpath(f"{lang}.yaml").read_text(encoding="utf-8") for lang in LANGUAGES
    }
    return parse_catalogue(services, texts)


class FactStatus(BaseModel):
    """One fact of one entry and what vouches for it, for the freshness report and the tests."""

    model_config = ConfigDict(frozen=True)

    service: str
    path: str
    newest: date | None
    """The date of the newest vendor-own source that states the fact; None: unconfirmed."""
    per_fact: bool
    """True when a source names this fact (``covers``); False when only entry-wide sources do."""


def fact_statuses(catalogue: Catalogue) -> list[FactStatus]:
    """Every fact that reaches the notice, for every entry, with its newest source date."""
    rows = []
    for entry in catalogue.entries.values():
        for path in entry.fact_paths:
            sources = entry.sources_for(path)
            rows.append(FactStatus(
                service=entry.id, path=path,
                newest=max((s.checked for s in sources), default=None),
                per_fact=any(s.covers is not None for s in sources),
            ))
    return rows


def freshness_report(catalogue: Catalogue, today: date) -> str:
    """Entries by the age of their oldest-confirmed fact, then every fact still to verify.

    Plain text for ``seloste catalogue``: what a maintainer re-reads first is at the top.
    """
    rows = fact_statuses(catalogue)
    confirmed = [r for r in rows if r.newest is not None]
    unconfirmed = [r for r in rows if r.newest is None]
    lines = [
        f"services: {len(catalogue)}",
        f"facts reaching the notice: {len(rows)}",
        f"  with a vendor-own source and date: {len(confirmed)} "
        f"({100 * len(confirmed) / max(len(rows), 1):.1f} %), "
        f"of which per-fact sources: {sum(r.per_fact for r in confirmed)}",
        f"  in verify (unconfirmed): {len(unconfirmed)} "
        f"({100 * len(unconfirmed) / max(len(rows), 1):.1f} %)",
        "",
        "entries by age of the stalest confirmed fact (days, fact):",
    ]
    by_service: dict[str, list[FactStatus]] = {}
    for row in confirmed:
        by_service.setdefault(row.service, []).append(row)
    ages = []
    for sid, facts in by_service.items():
        stalest = min(facts, key=lambda r: r.newest or today)
        assert stalest.newest is not None
        ages.append(((today - stalest.newest).days, sid, stalest.path))
    for days, sid, path in sorted(ages, reverse=True):
        lines.append(f"  {days:5d}  {sid}  ({path})")
    lines += ["", "facts in verify (or, in error, without a vendor-own source):"]
    for sid in catalogue.entries:
        paths = [r.path for r in unconfirmed if r.service == sid]
        if paths:
            lines.append(f"  {sid}: {', '.join(paths)}")
    return "\n".join(lines) + "\n"


def unsourced_facts(catalogue: Catalogue) -> list[tuple[str, str]]:
    """Facts that would reach the notice as certain without a vendor-own source: must be empty.

    A fact is either confirmed by a page of the vendor (or an official register) with a date,
    or listed in ``verify`` so that the card and the notice can mark it; never neither.
    """
    return [
        (entry.id, path)
        for entry in catalogue.entries.values()
        for path in entry.fact_paths
        if not entry.needs_verification(path) and not entry.sources_for(path)
    ]


# ---------------------------------------------------------------- services named in free text


def service_patterns() -> dict[str, str]:
    """``catalogue_data/recognise.yaml``: catalogue id -> how notices name that service."""
    text = resources.files("seloste.catalogue_data").joinpath("recognise.yaml").read_text(
        encoding="utf-8")
    data = _load_yaml(text, "recognise.yaml")
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise CatalogueError("recognise.yaml: expected a mapping of id to pattern")
    return data


def _service_regexes() -> dict[str, re.Pattern[str]]:
    """A pattern per catalogue entry; an entry without one is matched by its plain name."""
    patterns = service_patterns()
    out: dict[str, re.Pattern[str]] = {}
    for sid, entry in load_catalogue().entries.items():
        pattern = patterns.get(sid)
        if pattern is None:
            name = entry.name.split(" (")[0]
            pattern = r"\b" + r"[\s-]*".join(re.escape(w) for w in name.split())
        out[sid] = re.compile(pattern, re.IGNORECASE)
    return out


#: The compiled patterns, filled on first use (the lint and the checks share them).
_SERVICE_RX: dict[str, re.Pattern[str]] = {}


def recognise_services(text: str) -> list[str]:
    """Catalogue ids of the services named in ``text``, in order of first mention.

    The checks use it on "other recipients" and custom services, the lint on a whole old
    notice; it lives with the catalogue so that neither imports the other.
    """
    if not _SERVICE_RX:
        _SERVICE_RX.update(_service_regexes())
    hits = []
    for sid, rx in _SERVICE_RX.items():
        m = rx.search(text)
        if m:
            hits.append((m.start(), sid))
    return [sid for _, sid in sorted(hits)]
