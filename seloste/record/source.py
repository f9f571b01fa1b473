"""What the record and the change list read from a notice: resolved services, transfers, cookies.

TEMPORARY ADAPTER. The facts layer (`seloste/facts.py`, issue of the `facts` engineer) is the one
home for these derived facts; it was not on `main` when the record was written. This module
derives the same few things from `seloste.recipients.resolve` and uses the facts layer's names
(`registers[].services[].resolved`, `transfers[].countries/bases`, `cookie_rows`), so switching
to `seloste.facts.notice_facts` is a change in this one file. It adds no rule of its own: roles,
countries and transfer bases come from `resolve`, cookie rows from `unique_cookies`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from seloste.model import Notice, Register
from seloste.recipients import ResolvedService, ServiceCookie, resolve
from seloste.vocab import Lang, TransferBasis


def unique_cookies(services: Iterable[ResolvedService]) -> list[ServiceCookie]:
    """The cookies the picked services set, each (provider, name) once, in picking order.

    The notice's cookie table comes from `facts` (which also adds own and necessary cookies);
    the record lists only the services' cookies, so this is its one home until it reads facts.
    """
    rows: list[ServiceCookie] = []
    seen: set[tuple[str, str]] = set()
    for service in services:
        for cookie in service.cookies:
            if (cookie.provider, cookie.name) not in seen:
                seen.add((cookie.provider, cookie.name))
                rows.append(cookie)
    return rows


@dataclass(frozen=True)
class SourceService:
    key: str
    """Stable identity across versions: the catalogue id, or ``custom:<name>``."""
    resolved: ResolvedService


@dataclass(frozen=True)
class SourceTransfer:
    service: str
    key: str
    countries: tuple[str, ...]
    bases: tuple[TransferBasis, ...]


@dataclass(frozen=True)
class SourceRegister:
    index: int
    register: Register
    services: list[SourceService]


@dataclass(frozen=True)
class SourceFacts:
    notice: Notice
    lang: Lang
    registers: list[SourceRegister]
    transfers: list[SourceTransfer]
    cookie_rows: list[ServiceCookie]


def service_key(resolved: ResolvedService) -> str:
    return resolved.catalogue_id or f"custom:{resolved.name}"


def facts_for(notice: Notice, lang: Lang | str | None = None) -> SourceFacts:
    """The derived facts the record and the change list need, in `lang` (default: the notice's)."""
    language = Lang(lang) if lang else notice.language
    registers: list[SourceRegister] = []
    transfers: dict[str, SourceTransfer] = {}
    for index, reg in enumerate(notice.registers):
        services = []
        for use in reg.services:
            resolved = resolve(use, language)
            key = service_key(resolved)
            services.append(SourceService(key, resolved))
            if resolved.transfer_countries and key not in transfers:
                transfers[key] = SourceTransfer(resolved.name, key,
                                                tuple(resolved.transfer_countries),
                                                tuple(resolved.transfer_bases))
        registers.append(SourceRegister(index, reg, services))
    rows = unique_cookies(s.resolved for r in registers for s in r.services)
    for cc in notice.cookies.custom_cookies:
        rows.append(ServiceCookie(cc.name, cc.provider, cc.purpose, cc.duration_amount,
                                  cc.duration_unit))
    return SourceFacts(notice, language, registers, list(transfers.values()), rows)
