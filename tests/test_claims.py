"""The claim table (seloste/claims.py): each sentence stating a fact about the company appears
exactly when the answer that supports it is given, in every notice language (issue #11)."""

from __future__ import annotations

import re

import pytest

from seloste.claims import CLAIMS, holds
from seloste.facts import notice_facts
from seloste.i18n import Texts
from seloste.model import (
    Controller,
    CookieSettings,
    CustomCookie,
    Notice,
    PurposeEntry,
    Register,
    ServiceUse,
)
from seloste.render.document import build_document
from seloste.vocab import (
    Art9Condition,
    ConsentMechanism,
    CookiePurpose,
    DpaState,
    LegalBasis,
    Purpose,
    Requirement,
    Source,
    SpecialCategory,
    WithdrawMethod,
)

LANGS = ("fi", "sv", "en")


def _notice(*, cookies: CookieSettings | None = None, children: bool = False,
            **reg: object) -> Notice:
    base: dict[str, object] = {
        "name": "Asiakkaat",
        "purposes": [PurposeEntry(purpose=Purpose.service_delivery, basis=LegalBasis.contract,
                                  requirement=Requirement.contractual)],
        "sources": [Source.data_subject],
        "other_recipients": "Tilitoimisto Esimerkki Oy",
    }
    base.update(reg)
    return Notice(controller=Controller(name="Testi Oy", email="info@testi.fi"),
                  registers=[Register.model_validate(base)],
                  cookies=cookies or CookieSettings(), targets_children=children)


def _uses(*pairs: tuple[str, DpaState | None]) -> list[ServiceUse]:
    return [ServiceUse(catalogue_id=sid, dpa=dpa) for sid, dpa in pairs]


GA = _uses(("google_analytics", DpaState.in_terms))
SITE: dict[str, object] = {
    "purposes": [PurposeEntry(purpose=Purpose.web_analytics, basis=LegalBasis.consent,
                              requirement=Requirement.voluntary)],
    "services": GA, "sources": [Source.website_automatic], "kind": "site"}


def _ck(mechanism: ConsentMechanism | None = ConsentMechanism.banner,
        withdraw: WithdrawMethod | None = WithdrawMethod.footer_link) -> CookieSettings:
    return CookieSettings(uses_cookies=True, mechanism=mechanism, withdraw=withdraw)


#: claim clause -> (a notice that gives its answer, one that does not)
FIXTURES: dict[str, tuple[Notice, Notice]] = {
    "register.processors_dpa": (
        _notice(services=_uses(("activecampaign", DpaState.confirmed))),
        _notice(services=_uses(("activecampaign", None))),
    ),
    "register.processors_dpa_some": (
        _notice(services=_uses(("activecampaign", DpaState.confirmed),
                               ("mailchimp", DpaState.not_yet))),
        _notice(services=_uses(("activecampaign", None), ("mailchimp", None))),
    ),
    "register.no_recipients": (
        _notice(other_recipients="", no_recipients_confirmed=True),
        _notice(other_recipients=""),
    ),
    "register.automated_none": (
        _notice(),
        _notice(automated_decisions=True, automated_logic="Hinta lasketaan tilauksista."),
    ),
    "register.automated_by": (_notice(services=_uses(("klarna", None))), _notice()),
    "register.special_none": (
        _notice(),
        _notice(special_categories=[SpecialCategory.health],
                art9_condition=Art9Condition.explicit_consent),
    ),
    "source.website_automatic_consent": (
        _notice(cookies=_ck(), **SITE), _notice(cookies=_ck(mechanism=None), **SITE)),
    "transfers.none": (
        _notice(services=_uses(("procountor", DpaState.confirmed))),
        _notice(other_recipients=""),
    ),
    "transfers.copy": (
        _notice(services=_uses(("mailchimp", DpaState.in_terms))),
        # Canada: an adequacy decision (Art. 45), nothing to copy
        _notice(services=_uses(("thinkific", DpaState.in_terms))),
    ),
    "cookies.none": (_notice(), _notice(cookies=CookieSettings(uses_cookies=True))),
    "cookies.consent.banner": (_notice(cookies=_ck(), **SITE),
                               _notice(cookies=_ck(mechanism=None), **SITE)),
    "cookies.consent.cmp_service": (
        _notice(cookies=_ck(mechanism=ConsentMechanism.cmp_service), **SITE),
        _notice(cookies=_ck(), **SITE)),
    "cookies.consent.none": (
        _notice(cookies=CookieSettings(uses_cookies=True, custom_cookies=[
            CustomCookie(name="session", purpose=CookiePurpose.necessary)])),
        _notice(cookies=CookieSettings(uses_cookies=True, custom_cookies=[
            CustomCookie(name="stats", purpose=CookiePurpose.analytics)])),
    ),
    "cookies.withdraw.footer_link": (_notice(cookies=_ck(), **SITE),
                                     _notice(cookies=_ck(withdraw=None), **SITE)),
    "cookies.withdraw.banner_icon": (
        _notice(cookies=_ck(withdraw=WithdrawMethod.banner_icon), **SITE),
        _notice(cookies=_ck(withdraw=None), **SITE)),
    "rights.objection_public_task": (
        _notice(purposes=[PurposeEntry(description="Tehtävä", basis=LegalBasis.public_task,
                                       requirement=Requirement.statutory)]),
        _notice(purposes=[PurposeEntry(
            purpose=Purpose.customer_relationship, basis=LegalBasis.legitimate_interest,
            legitimate_interest="Yhteydenpito", requirement=Requirement.voluntary)]),
    ),
    "children.text": (_notice(children=True), _notice()),
}


def test_every_claim_has_fixtures() -> None:
    assert set(FIXTURES) == set(CLAIMS)


def _fixed_part(text: str) -> str:
    """The clause's words before its first placeholder (else its longest fixed piece): what
    must be found in the notice; the opening is what tells similar clauses apart."""
    pieces = [p.strip(" .:,") for p in re.split(r"\{[a-z_]+\}", text)]
    return pieces[0] if len(pieces[0]) > 20 else max(pieces, key=len)


@pytest.mark.parametrize("clause", sorted(CLAIMS))
@pytest.mark.parametrize("lang", LANGS)
def test_sentence_appears_iff_its_answer_is_given(clause: str, lang: str) -> None:
    given, not_given = FIXTURES[clause]
    piece = _fixed_part(Texts("seloste.clauses", lang)(clause))
    assert piece
    for notice, expected in ((given, True), (not_given, False)):
        facts = notice_facts(notice, lang)
        register = facts.registers[0] if CLAIMS[clause].per_register else None
        assert holds(clause, facts, register) is expected, (clause, expected)
        text = " ".join(build_document(notice, lang).plain_text().split())
        assert (piece.casefold() in text.casefold()) is expected, (clause, lang, expected, piece)


def test_the_issue_cases_are_gone() -> None:
    """Issue #11 items 1, 2, 5: no unconditional agreement, "nothing disclosed" or examples."""
    meunier_like = _notice(services=_uses(("meta_pixel", None), ("google_workspace", None)))
    fi = build_document(meunier_like, "fi").plain_text()
    assert "tietojenkäsittelysopimuksen" not in fi
    salon = _notice(other_recipients="")
    assert "Emme luovuta" not in build_document(salon, "fi").plain_text()
    text = build_document(_notice(sources=[Source.service_providers]), "fi").plain_text()
    assert "analytiikka- ja markkinointipalveluista" not in text
    en = build_document(_notice(sources=[Source.public_sources]), "en").plain_text()
    assert "company websites" not in en and "forms" not in en
