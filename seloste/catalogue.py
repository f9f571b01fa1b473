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
from typing import Annotated, Any, Final, Literal, get_args
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
from seloste.vocab import CookiePurpose, DurationUnit, Role, TransferBasis

__all__ = [
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
    "Role",
    "RoleFlow",
    "ServiceEntry",
    "ServiceText",
    "Source",
    "Transfer",
    "TransferBasis",
    "Vendor",
    "load_catalogue",
    "parse_catalogue",
]

Lang = Literal["fi", "sv", "en"]
"""A language the notice can be written in."""

LANGUAGES: Final[tuple[Lang, ...]] = get_args(Lang)


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
    """Where a fact was read and when, so it can be checked again."""

    url: HttpsUrl
    checked: date


class Vendor(_Frozen):
    """The legal entity that contracts with an EU/Finnish business customer."""

    entity: NonBlank
    address: NonBlank | None
    """``None`` when not known; the entry then lists ``vendor.address`` in ``verify``."""
    country: str

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        return _country(value, allow_eu=False)


class RoleFlow(_Frozen):
    """One data flow to the vendor and the vendor's role in it."""

    role: Role
    flow: FlowKey
    optional: bool = False
    """A feature the company turns on (a connected site, site tracking): the flow reaches the
    notice only when the service use says so (`ServiceUse.options[flow] == "on"`)."""


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
        "privacy_policy", "dpa_url",
    }
)  # fmt: skip
_VERIFY_CHILDREN: Final[Mapping[str, frozenset[str]]] = {
    "vendor": frozenset(Vendor.model_fields),
    "transfer": frozenset(Transfer.model_fields),
}


class ServiceEntry(_Frozen):
    """The language-neutral facts about one service."""

    id: Annotated[str, Field(pattern=_ID_RE.pattern)]
    name: NonBlank
    category: Category
    vendor: Vendor | None
    """``None`` only for self-hosted software, where no vendor receives any data."""
    roles: list[RoleFlow] = Field(min_length=1)
    processing_countries: list[str] = Field(min_length=1)
    transfer: Transfer
    dpa: DpaKind
    cookies: list[Cookie] = Field(default_factory=list)
    privacy_policy: HttpsUrl
    """The vendor's privacy policy; for self-hosted entries (no vendor) a privacy guide."""
    dpa_url: HttpsUrl | None = None
    """The processor agreement, or for ``dpa: none`` an optional agreement for a side feature."""
    sources: list[Source] = Field(min_length=1)
    verify: list[str] = Field(default_factory=list)
    """Field paths (``vendor.address``, ``cookies``) not confirmed from a primary source."""
    automated_decision: FlowKey | None = None
    """The flow in which the vendor, as independent controller, makes a decision based solely
    on automated processing (Art. 22), e.g. Klarna's credit decision; its flow text describes
    the logic for the notice (seloste/facts.py)."""

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
            if child and child not in _VERIFY_CHILDREN.get(root, frozenset()):
                raise ValueError(f"verify path {path!r} names no field")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ServiceEntry:
        flows = [rf.flow for rf in self.roles]
        if len(set(flows)) != len(flows):
            raise ValueError(f"{self.id}: duplicate flow key")
        if self.vendor is None and self.dpa is not DpaKind.HOST:
            raise ValueError(f"{self.id}: only self-hosted entries (dpa: host) may omit vendor")
        address_unknown = self.vendor is not None and self.vendor.address is None
        if address_unknown and not self.needs_verification("vendor.address"):
            raise ValueError(f"{self.id}: unknown vendor address must be in verify")
        if self.automated_decision is not None and self.automated_decision not in flows:
            raise ValueError(f"{self.id}: automated_decision names no flow")
        if any(c.duration is None for c in self.cookies) and "cookies" not in self.verify:
            raise ValueError(f"{self.id}: unknown cookie duration: list cookies in verify")
        return self

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

    def flows_with_role(self, role: Role | str) -> list[str]:
        """Flow keys in which the vendor has ``role``."""
        wanted = Role(role)
        return [rf.flow for rf in self.roles if rf.role is wanted]

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
                joint = entry.has_role(Role.joint_controller)
                if joint and text.joint_essence is None:
                    problems.append(f"{lang}/{sid}: joint controller without joint_essence")
                if not joint and text.joint_essence is not None:
                    problems.append(f"{lang}/{sid}: joint_essence but no joint controller flow")
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
            or needle in sid.casefold()
            or needle in texts[sid].description.casefold()
        ]


def _lang(lang: str) -> Lang:
    for known in LANGUAGES:
        if lang == known:
            return known
    raise ValueError(f"unsupported language: {lang!r} (expected one of {LANGUAGES})")


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
