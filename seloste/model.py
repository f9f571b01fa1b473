"""The notice model: everything a small company answers, as stable keys and validated text.

Where each GDPR Art. 13/14 item (IDs from shared/domain.md §2) lives:

| ID  | Item                                   | Home in the model                                           |
|-----|----------------------------------------|-------------------------------------------------------------|
| C1  | controller identity and contact        | `Notice.controller`, `Notice.privacy_contact`, `Notice.eu_representative` |
| C2  | DPO contact details                    | `Notice.dpo`                                                |
| P1  | purposes and the basis of each         | `Register.purposes[].purpose/description/basis`             |
| P2  | legitimate interests                   | `PurposeEntry.legitimate_interest` (basis = legitimate_interest) |
| D1  | categories of data                     | `Register.data_categories`, `custom_data_categories`, `special_categories` |
| R1  | recipients                             | `Register.services` (catalogue ids or `CustomService`, `dpa` state each), `Register.other_recipients`, `Register.no_recipients_confirmed` |
| T1  | transfers outside the EEA              | derived from `Register.services` (catalogue transfer facts, `CustomService.country/transfer_basis`) |
| S1  | retention                              | `Register.retention`                                        |
| RT  | rights (15-18, 20, 21)                 | derived from the purposes' bases; `Notice.request_instructions` |
| W1  | withdrawal of consent                  | derived: any purpose with basis consent                     |
| K1  | complaint to the supervisory authority | fixed clause (Tietosuojavaltuutetun toimisto), always printed |
| O1  | statutory/contractual requirement      | `PurposeEntry.requirement`, `PurposeEntry.requirement_consequence` (per purpose: contract data may be required while consent data is voluntary, Art. 7(4)) |
| SRC | sources, public sources                | `Register.sources`, `Register.source_details`               |
| A1  | automated decisions, profiling         | `Register.automated_decisions` (we decide), `automated_logic`, `automated_exception`, `profiling`, `profiling_description`; decisions by a picked service as independent controller come from its catalogue entry (`automated_decision`) |
| F1  | further processing                     | fixed clause, always printed                                |
| -   | Art. 26(2) essence (joint controllers) | catalogue `joint_essence` of the picked services            |
| -   | Art. 32 security (customary in FI)     | `Register.security_manual/electronic/security_note`         |
| -   | cookies (Laki 917/2014 § 205)          | `Notice.cookies` + the picked services' catalogue cookies   |
| -   | record only (Art. 30), never published | `Register.record_access`, `Register.record_location`        |
| -   | published versions                     | `Notice.versions` (dated snapshots), `Notice.show_change_log` |

Free text fields are optional and meant for what no key covers. Each is a `LocalizedShort` or
`LocalizedLong` (`seloste.localized`): one text per language, none written = "not given".
Proper nouns and contact data (controller, persons, custom service and cookie names) stay `str`.

Schema version 2 (migration in `draft_file.MIGRATIONS`): per-purpose requirement, processor
agreement state per service, register kind `site`, presets kept as a key (`Register.preset`) whose
values are proposals until accepted (`seloste.facts`), the Art. 22(2) exception, and "no
recipients" as an explicit answer, free text per language and the publication languages
(`Notice.languages`).
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from seloste.fields import BusinessId, CountryCode, Email, LongText, Phone, ShortText, Url
from seloste.limits import (
    MAX_CHOICES,
    MAX_COOKIES,
    MAX_LIST_ITEMS,
    MAX_PURPOSES,
    MAX_REGISTERS,
    MAX_RETENTION_RULES,
    MAX_SERVICES,
)
from seloste.localized import LocalizedLong, LocalizedShort
from seloste.vocab import (
    Art9Condition,
    Art22Exception,
    ConsentMechanism,
    CookiePurpose,
    DataCategory,
    DataSubject,
    DpaState,
    DurationUnit,
    Lang,
    LegalBasis,
    PeriodUnit,
    Purpose,
    RegisterKind,
    Requirement,
    RetentionPreset,
    RetentionStart,
    RetentionSubject,
    Role,
    SecurityElectronic,
    SecurityManual,
    Source,
    SpecialCategory,
    TransferBasis,
    WithdrawMethod,
)

SCHEMA_VERSION = 2


@cache
def preset_ids() -> frozenset[str]:
    """The preset ids a register's `preset` must be one of: the keys of ``presets.yaml`` and of
    every trade file's ``registers:`` (seloste/trades/*.yaml), as `presets.all_presets` has them.

    Read here from the data, not through `seloste.presets`: that module builds registers out of
    this model, and importing it from here made the two import each other.
    """
    root = resources.files("seloste")
    raw = yaml.safe_load(root.joinpath("presets.yaml").read_text(encoding="utf-8"))
    ids = {str(key) for key in raw} if isinstance(raw, dict) else set()
    for file in root.joinpath("trades").iterdir():
        if file.name.endswith(".yaml"):
            trade = yaml.safe_load(file.read_text(encoding="utf-8"))
            if isinstance(trade, dict):
                ids |= {str(key) for key in trade.get("registers") or {}}
    return frozenset(ids)


class _Model(BaseModel):
    """Unknown fields are errors: a typo in a hand-edited draft must not vanish silently."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)


class Controller(_Model):
    name: ShortText = ""
    business_id: BusinessId = ""
    street: ShortText = ""
    postal_code: ShortText = ""
    city: ShortText = ""
    email: Email = ""
    phone: Phone = ""
    website: Url = ""


class Person(_Model):
    """A contact person for privacy matters, a DPO or an EU representative."""

    name: ShortText = ""
    email: Email = ""
    phone: Phone = ""
    address: ShortText = ""


class PurposeEntry(_Model):
    """One purpose with its own legal basis: Art. 13(1)(c) asks for the basis *of each*."""

    purpose: Purpose | None = None
    description: LocalizedLong = Field(default_factory=LocalizedLong)
    basis: LegalBasis | None = None
    legitimate_interest: LocalizedLong = Field(default_factory=LocalizedLong)
    requirement: Requirement | None = None
    requirement_consequence: LocalizedLong = Field(default_factory=LocalizedLong)

    @model_validator(mode="after")
    def _named(self) -> PurposeEntry:
        if self.purpose is None and not self.description.given():
            raise PydanticCustomError("purpose_missing", "choose a purpose or describe it")
        return self


class CustomService(_Model):
    """A service that is not in the catalogue, described by the user."""

    name: ShortText
    entity: ShortText = ""
    role: Role = Role.processor
    country: CountryCode = "FI"
    transfer_basis: TransferBasis | None = None
    purpose: LocalizedLong = Field(default_factory=LocalizedLong)
    privacy_policy: Url = ""

    @field_validator("name")
    @classmethod
    def _name_given(cls, value: str) -> str:
        if not value:
            raise PydanticCustomError("required", "required")
        return value


class ServiceUse(_Model):
    """A service used for a register: a catalogue id, or a custom description."""

    catalogue_id: str | None = None
    custom: CustomService | None = None
    note: LocalizedLong = Field(default_factory=LocalizedLong)
    dpa: DpaState | None = None
    """The processor agreement as the user answered it; None = not answered (the catalogue's
    `dpa` kind is only the proposal shown beside the question)."""
    options: dict[ShortText, ShortText] = Field(default_factory=dict)
    """Catalogue options the vendor offers (e.g. data region), option key -> chosen value."""
    checked_on: dt.date | None = None
    """The day the user checked the catalogue's facts against their own contract."""

    @model_validator(mode="after")
    def _exactly_one(self) -> ServiceUse:
        if (self.catalogue_id is None) == (self.custom is None):
            raise PydanticCustomError("service_kind", "pick a catalogue service or describe one")
        if self.catalogue_id is not None:
            from seloste.catalogue import load_catalogue

            if self.catalogue_id not in load_catalogue().entries:
                raise PydanticCustomError("service_unknown", "unknown service")
        return self


class RetentionRule(_Model):
    """How long one kind of data is kept, and from when (Art. 13(2)(a)).

    A preset is a rule set by law (Kirjanpitolaki) and renders whole from the clause library.
    Otherwise: what (a key or free text), a length (or none: "until <start>") and a reason.
    With `until`, the length is a maximum: "until you ask us to erase them, but no longer than
    3 years" (issue #18: an event and a cap could not be said in one rule).
    """

    preset: RetentionPreset | None = None
    subject: RetentionSubject | None = None
    what: LocalizedShort = Field(default_factory=LocalizedShort)
    amount: Annotated[int, Field(ge=1, le=100)] | None = None
    unit: PeriodUnit | None = None
    start: RetentionStart | None = None
    until: RetentionStart | None = None
    """An event that ends the keeping earlier: the length (counted from `start`) is then the
    longest it may last. None = the length alone."""
    reason: LocalizedLong = Field(default_factory=LocalizedLong)

    @model_validator(mode="after")
    def _complete(self) -> RetentionRule:
        if self.preset is not None:
            return self
        if (self.amount is None) != (self.unit is None):
            raise PydanticCustomError("period_incomplete", "give both a number and a unit")
        if self.until is not None and self.amount is None:
            raise PydanticCustomError("maximum_missing", "an event with a maximum needs a length")
        if self.amount is None and self.start is None and not self.reason.given():
            raise PydanticCustomError("retention_empty", "give a period or the criteria")
        return self


class Register(_Model):
    """One register (a set of personal data kept for related purposes).

    `preset` names the preset it was created from: while `name` is empty the notice prints the
    preset's name, and an empty legitimate-interest text of a preset purpose prints the preset's
    text, both from the clause library in the notice language. The preset's other values are
    proposals (`seloste.facts`) that reach the notice only once accepted into these fields.
    """

    name: LocalizedShort = Field(default_factory=LocalizedShort)
    preset: ShortText | None = None
    kind: RegisterKind = RegisterKind.general
    data_subjects: list[DataSubject] = Field(default_factory=list, max_length=MAX_CHOICES)
    custom_data_subjects: list[LocalizedShort] = Field(default_factory=list,
                                                  max_length=MAX_LIST_ITEMS)
    purposes: list[PurposeEntry] = Field(default_factory=list, max_length=MAX_PURPOSES)
    data_categories: list[DataCategory] = Field(default_factory=list, max_length=MAX_CHOICES)
    custom_data_categories: list[LocalizedShort] = Field(default_factory=list,
                                                    max_length=MAX_LIST_ITEMS)
    special_categories: list[SpecialCategory] = Field(default_factory=list,
                                                      max_length=MAX_CHOICES)
    art9_condition: Art9Condition | None = None
    special_note: LocalizedLong = Field(default_factory=LocalizedLong)
    sources: list[Source] = Field(default_factory=list, max_length=MAX_CHOICES)
    source_details: LocalizedLong = Field(default_factory=LocalizedLong)
    services: list[ServiceUse] = Field(default_factory=list, max_length=MAX_SERVICES)
    other_recipients: LocalizedLong = Field(default_factory=LocalizedLong)
    no_recipients_confirmed: bool = False
    """The user confirmed that nobody else (not even a host or an accountant) gets the data."""
    retention: list[RetentionRule] = Field(default_factory=list,
                                           max_length=MAX_RETENTION_RULES)
    automated_decisions: bool = False
    automated_logic: LocalizedLong = Field(default_factory=LocalizedLong)
    automated_exception: Art22Exception | None = None
    profiling: bool = False
    profiling_description: LocalizedLong = Field(default_factory=LocalizedLong)
    security_manual: list[SecurityManual] = Field(default_factory=list, max_length=MAX_CHOICES)
    security_electronic: list[SecurityElectronic] = Field(default_factory=list,
                                                          max_length=MAX_CHOICES)
    security_note: LocalizedLong = Field(default_factory=LocalizedLong)
    # Record of processing activities only (Art. 30): asked in the wizard as "for the record
    # only, not published"; no renderer of the notice reads them.
    record_access: LongText = ""
    """Who inside the company can see this register's data (people or roles)."""
    record_location: LongText = ""
    """Where the data physically is (premises, folders, systems)."""

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None) -> str | None:
        if value is not None and value not in preset_ids():
            raise PydanticCustomError("preset_unknown", "unknown preset")
        return value

    def bases(self) -> set[LegalBasis]:
        return {p.basis for p in self.purposes if p.basis is not None}


class CustomCookie(_Model):
    name: ShortText
    provider: ShortText = ""
    purpose: CookiePurpose = CookiePurpose.necessary
    duration_amount: Annotated[int, Field(ge=1, le=1000)] | None = None
    duration_unit: DurationUnit = DurationUnit.session
    description: LocalizedLong = Field(default_factory=LocalizedLong)


class CookieSettings(_Model):
    uses_cookies: bool = False
    mechanism: ConsentMechanism | None = None
    """How consent is asked; None = not answered (v1 preselected "banner": a claim nobody made)."""
    withdraw: WithdrawMethod | None = None
    """Where consent is withdrawn; None = not answered (v1 preselected "footer link")."""
    withdraw_note: LocalizedLong = Field(default_factory=LocalizedLong)
    custom_cookies: list[CustomCookie] = Field(default_factory=list, max_length=MAX_COOKIES)
    note: LocalizedLong = Field(default_factory=LocalizedLong)
    no_cookies_confirmed: bool = False
    """The user confirmed that the site stores nothing on visitors' devices (or that there is
    no site): the cookies step's explicit "none", so an untouched step is not done."""


class PublishedVersion(_Model):
    """A published version: the answers as they were when the user pressed "Publish".

    The answers are kept as the draft file's JSON object, not as a nested `Notice`, so a snapshot
    written under an older schema is read back through the same migrations as a draft file
    (`seloste.versions.snapshot_notice`) instead of failing the whole draft when the schema moves.
    A snapshot never holds versions of its own.
    """

    published: dt.date
    label: ShortText = ""
    answers: dict[str, Any]

    @field_validator("answers")
    @classmethod
    def _flat(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value.get("versions"):
            raise PydanticCustomError("version_nested", "a version cannot hold versions")
        return value


class Notice(_Model):
    schema_version: int = SCHEMA_VERSION
    language: Lang = Lang.fi
    languages: list[Lang] = Field(default_factory=list)
    """The languages the notice is published in (`language`, the main one, is always among
    them: `published_languages`).

    Every free-text answer is asked in each of them; one missing is a `translation_missing`
    finding and, in that language's notice, a passage marked with the language it is written in.
    """
    controller: Controller = Field(default_factory=Controller)
    privacy_contact: Person = Field(default_factory=Person)
    dpo: Person | None = None
    eu_representative: Person | None = None
    created: dt.date | None = None
    updated: dt.date | None = None
    version_label: ShortText = ""
    registers: list[Register] = Field(default_factory=list, max_length=MAX_REGISTERS)
    cookies: CookieSettings = Field(default_factory=CookieSettings)
    targets_children: bool = False
    request_instructions: LocalizedLong = Field(default_factory=LocalizedLong)
    versions: list[PublishedVersion] = Field(default_factory=list)
    """Published versions, oldest first; the last one is what the website shows."""
    show_change_log: bool = False
    """Print a short "what changed" list per published version at the end of the notice."""

    @model_validator(mode="before")
    @classmethod
    def _plain_text_in_notice_language(cls, data: Any) -> Any:
        """A plain string where free text is kept per language is text in ``language``.

        The notice names its own language, so this is not a guess (unlike a bare
        `LocalizedShort` given a string, which is refused): it is how a hand-written or
        programmatic draft (``set_path(notice, "registers.0.name", "Asiakkaat")``) says
        "this text, in my language". Per-language paths (``registers.0.name.sv``) are the way
        to write any other language.
        """
        if isinstance(data, dict):
            from seloste.localized import LOCALIZED_V1_PATHS, wrap_plain

            language = data.get("language", Lang.fi)
            try:
                language = Lang(language)
            except ValueError:
                return data  # the field's own validation reports the bad language
            data = wrap_plain(copy.deepcopy(data), LOCALIZED_V1_PATHS, language)
        return data

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version", "unsupported schema version {version}", {"version": value}
            )
        return value

    @field_validator("languages")
    @classmethod
    def _distinct_languages(cls, value: list[Lang]) -> list[Lang]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("language_twice", "a language is chosen twice")
        return value

    def published_languages(self) -> list[Lang]:
        """The publication languages, the notice's main `language` first, then `languages`."""
        return [self.language, *(lang for lang in self.languages if lang is not self.language)]

    def all_services(self) -> list[ServiceUse]:
        return [s for r in self.registers for s in r.services]

    def all_bases(self) -> set[LegalBasis]:
        return {b for r in self.registers for b in r.bases()}


def notice_json_schema() -> dict[str, Any]:
    return Notice.model_json_schema()
