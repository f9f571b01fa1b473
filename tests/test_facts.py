"""The facts layer: what the answers imply, decided once (seloste/facts.py)."""

from __future__ import annotations

from seloste.examples import load_example
from seloste.facts import notice_facts, service_needs_consent, tracking_service
from seloste.model import CookieSettings, CustomService, Notice, PurposeEntry, Register, ServiceUse
from seloste.presets import build_register
from seloste.recipients import resolve
from seloste.vocab import (
    ConsentMechanism,
    DpaState,
    Lang,
    LegalBasis,
    Purpose,
    Requirement,
    Right,
    Role,
    TransferBasis,
    TransferMechanism,
)


def _notice(*regs: Register, **kw: object) -> Notice:
    return Notice(registers=list(regs), **kw)  # type: ignore[arg-type]


def _reg(*services: str, **kw: object) -> Register:
    return Register(name="R", services=[ServiceUse(catalogue_id=s) for s in services],
                    **kw)  # type: ignore[arg-type]


def test_dpf_is_adequacy_and_scc_a_safeguard() -> None:
    us = CustomService(name="X", country="US", transfer_basis=TransferBasis.dpf)
    scc = CustomService(name="Y", country="IN", transfer_basis=TransferBasis.scc)
    facts = notice_facts(_notice(Register(name="R", services=[
        ServiceUse(custom=us), ServiceUse(custom=scc)])))
    by_name = {t.service: t for t in facts.transfers}
    assert by_name["X"].mechanisms == (TransferMechanism.adequacy,)
    assert by_name["Y"].mechanisms == (TransferMechanism.safeguard,)


def test_consent_rule_pixel_and_analytics_yes_shop_platform_not_tracking() -> None:
    for sid in ("meta_pixel", "google_analytics"):
        rs = resolve(ServiceUse(catalogue_id=sid), Lang.fi)
        assert service_needs_consent(rs) and tracking_service(rs)
    shopify = resolve(ServiceUse(catalogue_id="shopify"), Lang.fi)
    assert not tracking_service(shopify)  # its cookies need the banner, not a register basis
    assert not service_needs_consent(resolve(ServiceUse(catalogue_id="paytrail"), Lang.fi))


def test_agreement_in_place_only_when_answered() -> None:
    reg = _reg("activecampaign", "thinkific")
    f = notice_facts(_notice(reg)).registers[0]
    assert [s.dpa_applies for s in f.services] == [True, True]
    assert not f.all_agreements_in_place
    assert f.services[1].dpa_proposal is DpaState.in_terms  # catalogue: part of the terms
    assert f.services[0].dpa_proposal is None  # must be accepted in the account
    done = reg.model_copy(update={"services": [
        s.model_copy(update={"dpa": DpaState.confirmed}) for s in reg.services]})
    assert notice_facts(_notice(done)).registers[0].all_agreements_in_place
    not_yet = done.model_copy(update={"services": [
        done.services[0].model_copy(update={"dpa": DpaState.not_yet}), done.services[1]]})
    assert not notice_facts(_notice(not_yet)).registers[0].all_agreements_in_place


def test_controller_only_services_need_no_agreement() -> None:
    f = notice_facts(_notice(_reg("klarna", "facebook_page"))).registers[0]
    assert [s.dpa_applies for s in f.services] == [False, False]
    assert [s.key for s in f.joint_controllers] == ["facebook_page"]


def test_klarna_decides_automatically_as_independent_controller() -> None:
    f = notice_facts(_notice(_reg("klarna"))).registers[0]
    assert [d.by for d in f.decisions] == ["Klarna"]
    assert "automaattisesti" in f.decisions[0].logic  # the catalogue's automated_logic
    assert Right.automated in f.rights()
    ours = notice_facts(_notice(Register(name="R", automated_decisions=True,
                                         automated_logic="L"))).registers[0]
    assert [(d.by, d.logic) for d in ours.decisions] == [("", "L")]


def test_rights_follow_the_bases() -> None:
    obligation = Register(name="A", purposes=[PurposeEntry(
        purpose=Purpose.invoicing_accounting, basis=LegalBasis.legal_obligation)])
    consent = Register(name="B", purposes=[PurposeEntry(
        purpose=Purpose.newsletter, basis=LegalBasis.consent)])
    f = notice_facts(_notice(obligation, consent))
    a, b = f.registers
    assert Right.portability not in a.rights() and Right.withdraw not in a.rights()
    assert {Right.portability, Right.withdraw, Right.objection_marketing} <= b.rights()
    assert Right.objection not in b.rights()
    assert [r.name for r in f.registers_with_right(Right.withdraw)] == ["B"]


def test_preset_values_are_proposals_not_answers() -> None:
    reg = build_register("customers")
    assert reg.preset == "customers" and not reg.name
    assert not (reg.data_subjects or reg.data_categories or reg.retention)
    assert not (reg.security_manual or reg.security_electronic)
    f = notice_facts(_notice(reg), "sv").registers[0]
    assert f.name == "Kundregister"
    assert set(f.proposals) == {"data_subjects", "data_categories", "sources", "retention"}
    li = next(p for p in f.purposes if p.entry.basis is LegalBasis.legitimate_interest)
    assert li.interest and not li.entry.legitimate_interest
    reqs = {p.entry.purpose: p.requirement_proposal for p in f.purposes}
    assert reqs[Purpose.service_delivery] is Requirement.contractual
    assert reqs[Purpose.invoicing_accounting] is Requirement.statutory
    assert reqs[Purpose.customer_relationship] is Requirement.voluntary
    accepted = reg.model_copy(update={"data_subjects": f.proposals["data_subjects"]})
    assert "data_subjects" not in notice_facts(_notice(accepted)).registers[0].proposals


def test_banner_cookie_row_only_when_a_banner_is_needed() -> None:
    ga = _reg("google_analytics")
    with_banner = notice_facts(_notice(ga, cookies=CookieSettings(
        uses_cookies=True, mechanism=ConsentMechanism.banner)))
    assert with_banner.site_needs_consent
    assert [r.origin for r in with_banner.cookie_rows].count("banner") == 1
    plain = notice_facts(_notice(_reg("paytrail")))
    assert not any(r.origin == "banner" for r in plain.cookie_rows)


def test_examples_facts() -> None:
    k = notice_facts(load_example("keinuma"))
    assert k.site_register is not None and k.site_register.index == 2
    assert "Google Analytics 4" in k.consent_names
    assert any(Role.joint_controller in s.roles for s in k.site_register.services)


def test_cached_per_revision() -> None:
    n = load_example("meunier")
    assert notice_facts(n) is notice_facts(n.model_copy(deep=True))
    assert notice_facts(n, "en") is not notice_facts(n, "fi")
