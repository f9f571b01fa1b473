"""What the record and the change list read from a notice: services, transfers, cookies.

A view of the facts layer (`seloste.facts.notice_facts`), the one home of these derived facts,
in the shape the record and the change list were written for: the record of processing and
the published notice must name the same services, transfers and cookies for one revision, so
neither may derive them on its own. The record lists the services' and the company's own
cookies, not the consent banner's, which the notice adds for the visitor.
"""

from __future__ import annotations

from dataclasses import dataclass

from seloste.facts import TransferFacts, notice_facts
from seloste.model import Notice, Register
from seloste.recipients import ResolvedService, ServiceCookie
from seloste.vocab import Lang

#: A transfer outside the EEA, as the facts layer states it.
SourceTransfer = TransferFacts


@dataclass(frozen=True)
class SourceService:
    key: str
    """Stable identity across versions: the catalogue id, or ``custom:<name>``."""
    resolved: ResolvedService


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


def facts_for(notice: Notice, lang: Lang | str | None = None) -> SourceFacts:
    """The derived facts the record and the change list need, in `lang` (default: the notice's)."""
    f = notice_facts(notice, lang)
    registers = [SourceRegister(rf.index, rf.register,
                                [SourceService(s.key, s.resolved) for s in rf.services])
                 for rf in f.registers]
    rows = [ServiceCookie(r.name, r.provider, r.purpose, r.amount, r.unit)
            for r in f.cookie_rows if r.origin != "banner"]
    return SourceFacts(notice, f.lang, registers, list(f.transfers), rows)
