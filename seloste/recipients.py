"""One view of a service, whether it came from the catalogue or was described by the user.

The notice groups recipients by role, lists transfers and cookies; all of that reads the same
`ResolvedService`, so a custom service is never second-class in the notice or in the checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from seloste.catalogue import load_catalogue
from seloste.geo import in_eea
from seloste.localized import LANGS, text_for
from seloste.model import ServiceUse
from seloste.vocab import CookiePurpose, DurationUnit, Lang, Role, TransferBasis


@dataclass(frozen=True)
class ServiceCookie:
    name: str
    provider: str
    purpose: CookiePurpose
    amount: int | None
    unit: DurationUnit | None
    """None when the vendor states no lifetime (the catalogue marks it to verify)."""

    @property
    def needs_consent(self) -> bool:
        return self.purpose is not CookiePurpose.necessary


@dataclass
class ResolvedService:
    name: str
    entity: str
    country: str
    flows: list[tuple[Role, str]]
    transfer_countries: list[str]
    transfer_bases: list[TransferBasis]
    cookies: list[ServiceCookie] = field(default_factory=list)
    privacy_policy: str = ""
    joint_essence: str = ""
    catalogue_id: str | None = None
    processing_countries: list[str] = field(default_factory=list)
    automated_logic: str = ""
    """Non-empty when the vendor makes automated decisions (Art. 22) in a flow used here."""
    description: str = ""
    """What the service does for the company, in one short phrase (the recipients table)."""
    extra: str = ""
    """The user's note (and a custom service's purpose) when it is not written in the notice's
    language: kept out of `flows` so the renderer can mark it with `extra_lang`."""
    extra_lang: Lang | None = None

    def roles(self) -> set[Role]:
        return {role for role, _ in self.flows}


def resolve(use: ServiceUse, lang: Lang | str,
            fallbacks: Sequence[Lang | str] = LANGS) -> ResolvedService:
    lang = Lang(lang)
    note, note_lang = text_for(use.note, lang, fallbacks)
    extra, extra_lang = "", None
    if note_lang is not None:
        extra, extra_lang, note = note, note_lang, ""
    if use.custom is not None:
        c = use.custom
        purpose, purpose_lang = text_for(c.purpose, lang, fallbacks)
        if purpose_lang is not None:
            extra, extra_lang = " ".join(x for x in (purpose, extra) if x), purpose_lang
            purpose = ""
        text = " ".join(t for t in (purpose, note) if t)
        outside = [] if in_eea(c.country) else [c.country]
        return ResolvedService(
            extra=extra, extra_lang=extra_lang,
            name=c.name,
            entity=c.entity,
            country=c.country,
            flows=[(c.role, text)],
            transfer_countries=outside,
            transfer_bases=[c.transfer_basis] if outside and c.transfer_basis else [],
            privacy_policy=c.privacy_policy,
            description=purpose,
        )
    assert use.catalogue_id is not None
    catalogue = load_catalogue()
    entry = catalogue.get(use.catalogue_id)
    texts = catalogue.text(entry.id, lang.value)
    processing, transfer, dropped = entry.processing_countries, entry.transfer, set[str]()
    for key, answer in use.options.items():
        option = entry.option(key)
        chosen = option.values.get(answer) if option else None
        if chosen is None:
            continue  # an answer the entry no longer offers: its own facts apply
        processing = chosen.processing_countries or processing
        transfer = chosen.transfer or transfer
        dropped |= set(chosen.drop_flows)
    used = [f for f in entry.roles if f.flow not in dropped]
    flows = [(Role(f.role), texts.flows[f.flow]) for f in used]
    if note and flows:
        role, text = flows[0]
        flows[0] = (role, f"{text} {note}")
    cookies = [
        ServiceCookie(
            name=texts.cookie_names.get(c.name, c.name),  # a description, in the notice's language
            provider=texts.name or entry.name,  # the name the notice uses for it
            purpose=CookiePurpose(c.purpose),
            amount=c.duration.amount if c.duration else None,
            unit=DurationUnit(c.duration.unit) if c.duration else None,
        )
        for c in entry.cookies
    ]
    return ResolvedService(
        name=texts.name or entry.name,
        entity=entry.vendor.entity if entry.vendor else "",
        country=entry.vendor.country if entry.vendor else "",
        flows=flows,
        transfer_countries=list(transfer.countries),
        transfer_bases=[TransferBasis(b) for b in transfer.bases],
        cookies=cookies,
        privacy_policy=entry.privacy_url(lang.value) if entry.vendor else "",
        joint_essence=texts.joint_essence or "",
        catalogue_id=entry.id,
        processing_countries=list(processing),
        automated_logic=(texts.automated_logic or "")
        if any(f.automated_decisions for f in used) else "",
        description=texts.description,
        extra=extra,
        extra_lang=extra_lang,
    )
