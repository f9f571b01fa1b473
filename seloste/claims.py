"""The claim table: every notice sentence that states a fact about the company, and the answer
that earns it.

A privacy notice is a public statement the company signs; a sentence such as "we have signed a
data processing agreement with each of them" must never be printed because a template had it
(issue #11). Each claim clause is listed here once with the predicate over the facts
(`seloste.facts`) that must hold for it to appear. `render/document.py` prints a claim clause only
through `holds`, and `tests/test_claims.py` proves, for each row, in fi/sv/en, that the sentence
appears when its answer is given and is absent when it is not.

Sentences that only restate an answer verbatim (a purpose and its basis, a retention rule) or a
catalogue fact with its source (a vendor's role and country) are not claims in this sense: the
answer *is* the sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seloste.facts import NoticeFacts, RegisterFacts
from seloste.vocab import (
    ConsentMechanism,
    LegalBasis,
    TransferMechanism,
    WithdrawMethod,
)

Predicate = Callable[[NoticeFacts, RegisterFacts | None], bool]


@dataclass(frozen=True)
class Claim:
    clause: str
    """The clause id in `seloste/clauses/{fi,sv,en}.yaml`."""
    answer: str
    """The answer that supports it, in words (for the closing note and the reviewer)."""
    holds: Predicate
    per_register: bool = False


def _reg(f: Callable[[RegisterFacts], bool]) -> Predicate:
    return lambda _n, r: r is not None and f(r)


def _cookies_in_use(n: NoticeFacts) -> bool:
    return n.notice.cookies.uses_cookies or n.sets_cookies


def _no_transfers(n: NoticeFacts) -> bool:
    """"We transfer nothing outside the EEA" needs every register's recipients answered."""
    return not n.transfers and bool(n.registers) and all(
        r.recipients_answered for r in n.registers)


def _withdraw(method: WithdrawMethod) -> Predicate:
    return lambda n, _r: n.site_needs_consent and n.notice.cookies.withdraw is method


def _mechanism(mechanism: ConsentMechanism) -> Predicate:
    return lambda n, _r: n.site_needs_consent and n.notice.cookies.mechanism is mechanism


_ROWS: tuple[Claim, ...] = (
    Claim("register.processors_dpa",
          "every processor of the register: ServiceUse.dpa confirmed or in_terms",
          _reg(lambda r: r.all_agreements_in_place), per_register=True),
    Claim("register.processors_dpa_some",
          "some (not all) processors of the register: ServiceUse.dpa confirmed or in_terms",
          _reg(lambda r: any(s.dpa_in_place for s in r.agreements_due)
               and not r.all_agreements_in_place), per_register=True),
    Claim("register.no_recipients",
          "Register.no_recipients_confirmed, and no services or other recipients",
          _reg(lambda r: r.register.no_recipients_confirmed and not (
              r.register.services or r.register.other_recipients)), per_register=True),
    Claim("register.automated_none",
          "Register.automated_decisions off and no picked service decides automatically",
          _reg(lambda r: not r.decisions), per_register=True),
    Claim("register.automated_by",
          "a picked catalogue service with automated_decision (Klarna)",
          _reg(lambda r: any(d.by for d in r.decisions)), per_register=True),
    Claim("register.special_none", "Register.special_categories empty",
          _reg(lambda r: not r.register.special_categories), per_register=True),
    Claim("source.website_automatic_consent",
          "data from the website and the site asks consent (cookies.mechanism banner/cmp)",
          lambda n, r: r is not None and n.site_needs_consent
          and n.notice.cookies.mechanism in (ConsentMechanism.banner,
                                             ConsentMechanism.cmp_service),
          per_register=True),
    Claim("transfers.none",
          "no picked service transfers outside the EEA and every register's recipients are "
          "answered (services, other recipients or no_recipients_confirmed)",
          lambda n, _r: _no_transfers(n)),
    Claim("transfers.copy", "a transfer rests on a safeguard (Art. 46: SCCs, BCRs)",
          lambda n, _r: any(TransferMechanism.safeguard in t.mechanisms for t in n.transfers)),
    Claim("cookies.none",
          "cookies.uses_cookies off and no picked service or own cookie sets any",
          lambda n, _r: not _cookies_in_use(n)),
    Claim("cookies.consent.banner",
          "cookies.mechanism banner (the user's own banner: refuse as easy, nothing before "
          "consent), and something needs consent",
          _mechanism(ConsentMechanism.banner)),
    Claim("cookies.consent.cmp_service", "cookies.mechanism cmp_service, and something needs "
          "consent", _mechanism(ConsentMechanism.cmp_service)),
    Claim("cookies.consent.none", "cookies in use, none needs consent",
          lambda n, _r: _cookies_in_use(n) and not n.site_needs_consent),
    Claim("cookies.withdraw.footer_link", "cookies.withdraw footer_link (answered)",
          _withdraw(WithdrawMethod.footer_link)),
    Claim("cookies.withdraw.banner_icon", "cookies.withdraw banner_icon (answered)",
          _withdraw(WithdrawMethod.banner_icon)),
    Claim("rights.objection_public_task", "a purpose on Art. 6(1)(e) public task",
          lambda n, _r: LegalBasis.public_task in n.bases),
    Claim("children.text", "Notice.targets_children",
          lambda n, _r: n.notice.targets_children),
)

CLAIMS: dict[str, Claim] = {c.clause: c for c in _ROWS}


def holds(clause: str, facts: NoticeFacts, register: RegisterFacts | None = None) -> bool:
    """Whether the answers support the claim clause ``clause`` (KeyError for a non-claim)."""
    return CLAIMS[clause].holds(facts, register)
