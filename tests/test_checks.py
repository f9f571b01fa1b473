"""The rule engine: every rule fires on a draft that breaks it and stays quiet on one that does
not; messages exist in every language; the examples have no errors; the API the wizard uses."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from seloste.checks import (
    ITEM_IDS,
    LINT_ONLY,
    RULES,
    STEPS,
    Finding,
    Severity,
    completeness,
    findings_for_step,
    format_findings,
    has_errors,
    make_finding,
    run_checks,
    step_for_path,
)
from seloste.examples import NAMES, load_example
from seloste.i18n import LANGS, Texts, missing_ids
from seloste.model import Notice

Draft = dict[str, Any]
Mutation = Callable[[Draft], None]

BASE: Draft = {
    "controller": {
        "name": "Testi Oy", "business_id": "3299471-6", "street": "Testikatu 1",
        "postal_code": "00100", "city": "Helsinki", "email": "info@testi.fi",
    },
    "created": "2025-01-01",
    "registers": [{
        "name": "Asiakkaat",
        "data_subjects": ["customers"],
        "purposes": [{"purpose": "service_delivery", "basis": "contract",
                      "requirement": "contractual"}],
        "data_categories": ["name", "email"],
        "sources": ["data_subject"],
        "other_recipients": "Tilitoimisto Esimerkki Oy (kirjanpito)",
        "retention": [{"subject": "customer_data", "amount": 2, "unit": "years",
                       "start": "end_of_customer_relationship"}],
        "security_electronic": ["passwords"],
    }],
}  # fmt: skip


def notice(*mutations: Mutation) -> Notice:
    data = copy.deepcopy(BASE)
    for m in mutations:
        m(data)
    return Notice.model_validate(data)


def reg(data: Draft) -> Draft:
    r: Draft = data["registers"][0]
    return r


def ctrl(**values: Any) -> Mutation:
    return lambda d: d["controller"].update(values)


def top(**values: Any) -> Mutation:
    return lambda d: d.update(values)


def register(**values: Any) -> Mutation:
    return lambda d: reg(d).update(values)


_REQUIREMENT = {"contract": "contractual", "legal_obligation": "statutory"}


def purposes(*entries: Draft) -> Mutation:
    """Purposes, each with the requirement its basis implies unless the entry gives one."""
    return register(purposes=[
        {"requirement": _REQUIREMENT.get(e.get("basis") or "", "voluntary"), **e}
        for e in entries])


def service(*uses: Draft, agreements: bool = False) -> Mutation:
    """Service uses; ``agreements``: the user confirmed each processor agreement."""
    def apply(d: Draft) -> None:
        reg(d)["services"] = [{**u, "dpa": "confirmed"} if agreements else u for u in uses]
    return apply


def custom(**values: Any) -> Draft:
    return {"custom": {"name": "Oma palvelu", "entity": "Oma Oy", **values}}


def note(use: Draft, text: str) -> Draft:
    return {**use, "note": text}


def cat(service_id: str) -> Draft:
    return {"catalogue_id": service_id}


def cookies(**values: Any) -> Mutation:
    return lambda d: d.setdefault("cookies", {}).update(values)


ANALYTICS = [
    purposes({"purpose": "web_analytics", "basis": "consent"}),
    service(cat("google_analytics"), agreements=True),
    register(kind="site"),
    cookies(uses_cookies=True, mechanism="banner", withdraw="footer_link"),
]
LEGIT = {"purpose": "customer_relationship", "basis": "legitimate_interest",
         "legitimate_interest": "Pidämme yhteyttä asiakkaisiin."}

#: rule id -> (mutations that must make it fire, mutations that must not)
CASES: dict[str, tuple[list[Mutation], list[Mutation]]] = {
    "controller_name": ([ctrl(name="")], []),
    "contact_email": (
        [ctrl(email="")],
        [ctrl(email=""), top(privacy_contact={"name": "Maija", "email": "maija@testi.fi"})],
    ),
    "controller_address": ([ctrl(street="")], []),
    "business_id_missing": ([ctrl(business_id="")], []),
    "dpo_contact": ([top(dpo={"name": "Tietosuojavastaava"})],
                    [top(dpo={"name": "Tietosuojavastaava", "email": "tsv@testi.fi"})]),
    "dpo_required_check": (
        [register(special_categories=["health"], art9_condition="explicit_consent")],
        [register(special_categories=["health"], art9_condition="explicit_consent"),
         top(dpo={"name": "Tietosuojavastaava", "email": "tsv@testi.fi"})],
    ),
    "eu_rep_incomplete": (
        [top(eu_representative={"name": "Rep"})],
        [top(eu_representative={"name": "Rep", "email": "rep@example.com"})],
    ),
    "no_registers": ([top(registers=[])], []),
    "register_name_missing": ([register(name="")], []),
    # published in Finnish and Swedish: the register's name written only in Finnish
    "translation_missing": (
        [top(languages=["fi", "sv"])],
        [top(languages=["fi", "sv"]), register(
            name={"fi": "Asiakkaat", "sv": "Kunder"},
            other_recipients={"fi": "Tilitoimisto Esimerkki Oy (kirjanpito)",
                              "sv": "Bokföringsbyrån Esimerkki Oy (bokföring)"})],
    ),
    "register_no_purpose": ([register(purposes=[])], []),
    "purpose_no_basis": ([purposes({"purpose": "service_delivery"})], []),
    "legitimate_interest_missing": (
        [purposes({"purpose": "customer_relationship", "basis": "legitimate_interest"})],
        [purposes(LEGIT)],
    ),
    "basis_mismatch": ([purposes({"purpose": "service_delivery", "basis": "consent"})],
                       [purposes({"purpose": "newsletter", "basis": "consent"})]),
    "newsletter_consent": (
        [purposes({"purpose": "newsletter", "basis": "legitimate_interest",
                   "legitimate_interest": "Markkinointi"})],
        [purposes({"purpose": "newsletter", "basis": "consent"})],
    ),
    # B2B: business addresses may rest on legitimate interest with an opt-out (917/2014)
    "newsletter_consent/b2b": (
        [purposes({"purpose": "newsletter", "basis": "legal_obligation"}),
         register(data_subjects=["business_contacts"])],
        [purposes({"purpose": "newsletter", "basis": "legitimate_interest",
                   "legitimate_interest": "B2B-markkinointi, kielto joka viestissä"}),
         register(data_subjects=["business_contacts"])],
    ),
    # Shopify's analytics cookies need the banner, not a consent basis in the shop register
    "tracking_basis_not_consent/shopify": (
        [purposes({"purpose": "web_analytics", "basis": "legitimate_interest",
                   "legitimate_interest": "x"}), service(cat("google_analytics"))],
        [purposes({"purpose": "order_handling", "basis": "contract"}),
         service(cat("shopify"), agreements=True)],
    ),
    "tracking_basis_not_consent": (
        [*ANALYTICS, purposes({"purpose": "web_analytics", "basis": "legitimate_interest",
                               "legitimate_interest": "Tilastot"})],
        ANALYTICS,
    ),
    "data_categories_missing": (
        [register(data_categories=[], sources=["public_sources"], source_details="YTJ")],
        [register(sources=["public_sources"], source_details="YTJ")],
    ),
    "data_categories_empty": ([register(data_categories=[])], []),
    "special_category_condition": (
        [register(special_categories=["health"])],
        [register(special_categories=["health"], art9_condition="explicit_consent")],
    ),
    "sources_missing": ([register(sources=[])], []),
    "source_details_missing": (
        [register(sources=["public_sources"])],
        [register(sources=["public_sources"], source_details="Kaupparekisteri (YTJ)")],
    ),
    "requirement_missing": (
        [purposes({"purpose": "service_delivery", "basis": "contract", "requirement": None})],
        # Art. 14 only: no data from the person, so no O1
        [purposes({"purpose": "service_delivery", "basis": "contract", "requirement": None}),
         register(sources=["public_sources"], source_details="YTJ")],
    ),
    "recipients_none": (
        [register(other_recipients="")],
        [register(other_recipients="", no_recipients_confirmed=True)],
    ),
    "transfer_basis_missing": ([service(custom(country="US"))],
                               [service(custom(country="US", transfer_basis="scc"))]),
    "transfer_dpf_not_us": ([service(custom(country="CA", transfer_basis="dpf"))],
                            [service(custom(country="US", transfer_basis="dpf"))]),
    "joint_controller_text": ([service(custom(name="Facebook-pikseli"))],
                              [service(custom(name="Oma palvelu"))]),
    "joint_essence_missing": (
        [service(custom(role="joint_controller"))],
        [service(note(custom(role="joint_controller"), "Vastaamme keruusta; X vastaa muusta."))],
    ),
    "custom_in_catalogue": ([service(custom(name="Mailchimp"))],
                            [service(custom(name="Oma palvelu"))]),
    "custom_service_details": ([service(custom(entity=""))], [service(custom())]),
    "dpa_unconfirmed": (
        [service(cat("activecampaign"))],
        [service(cat("activecampaign"), agreements=True)],
    ),
    "service_transfer_unconfirmed": (
        [service(cat("zoom"))],
        [service({**cat("zoom"), "checked_on": "2026-12-01"}), service(cat("mailerlite"))],
    ),
    "processors_in_free_text": (
        [register(other_recipients="Mailchimp lähettää uutiskirjeet")],
        [register(other_recipients="Tilitoimisto Esimerkki Oy")],
    ),
    "tracking_outside_site": (
        # a salon's customer register with GA4 and no analytics purpose
        [service(cat("google_analytics"), agreements=True)],
        [*ANALYTICS, register(kind="site")],
    ),
    "analytics_legitimate_interest": (
        [purposes({"purpose": "web_analytics", "basis": "legitimate_interest",
                   "legitimate_interest": "Tilastot"})],
        [purposes({"purpose": "web_analytics", "basis": "consent"})],
    ),
    "consent_employment": (
        [register(data_subjects=["job_applicants"]),
         purposes({"purpose": "recruitment", "basis": "consent"})],
        [register(data_subjects=["job_applicants"], sources=["data_subject", "third_parties"],
                  source_details="Suosittelijat"),
         purposes({"purpose": "recruitment", "basis": "contract"},
                  {"description": "Suosittelijoiden haastattelu", "basis": "consent"})],
    ),
    "contract_business_contact": (
        [register(data_subjects=["business_contacts"])],
        [register(data_subjects=["business_contacts"]),
         purposes({"purpose": "customer_relationship", "basis": "legitimate_interest",
                   "legitimate_interest": "Yhteydenpito asiakasyritysten yhteyshenkilöihin"})],
    ),
    "profiling_legitimate_interest": (
        [register(data_subjects=["business_contacts"], profiling=True,
                  profiling_description="Kohdennamme avausten perusteella."),
         purposes({"purpose": "newsletter", "basis": "legitimate_interest",
                   "legitimate_interest": "B2B-markkinointi"})],
        [register(profiling=True, profiling_description="Kohdennamme avausten perusteella."),
         purposes({"purpose": "newsletter", "basis": "consent"})],
    ),
    "voluntary_contract": (
        [purposes({"purpose": "service_delivery", "basis": "contract",
                   "requirement": "voluntary"})],
        [],
    ),
    "required_consent": (
        # the salon: allergy notes given with consent marked as needed for the contract
        [purposes({"description": "Allergiatiedot", "basis": "consent",
                   "requirement": "contractual"})],
        [purposes({"description": "Allergiatiedot", "basis": "consent"})],
    ),
    "health_with_pixel": (
        [register(special_categories=["health"], art9_condition="explicit_consent"),
         service(cat("meta_pixel"))],
        [register(special_categories=["health"], art9_condition="explicit_consent"),
         service(cat("google_workspace"))],
    ),
    "proposal_pending": (
        [register(preset="customers", data_subjects=[])],
        [register(preset="customers")],
    ),
    "retention_indefinite": (
        [register(retention=[{"subject": "customer_data", "reason": "Säilytämme toistaiseksi."}]),
         ],
        [],
    ),
    "retention_other_register": (
        [lambda d: d["registers"].append({**copy.deepcopy(reg(d)),
                                          "data_subjects": ["job_applicants"]}),
         lambda d: reg(d)["retention"].append(
             {"subject": "applications", "amount": 2, "unit": "years",
              "start": "end_of_recruitment"})],
        [lambda d: d["registers"].append({**copy.deepcopy(reg(d)),
                                          "data_subjects": ["job_applicants"]})],
    ),
    "retention_after_withdrawal": (
        [lambda d: reg(d)["retention"].append(
            {"what": "Passiiviset tilaajat", "amount": 1, "unit": "years",
             "start": "unsubscribe"})],
        [lambda d: reg(d)["retention"].append(
            {"subject": "newsletter_data", "start": "unsubscribe"})],
    ),
    "automated_no_exception": (
        [register(automated_decisions=True, automated_logic="Hinta lasketaan tilauksista.")],
        [register(automated_decisions=True, automated_logic="Hinta lasketaan tilauksista.",
                  automated_exception="contract")],
    ),
    "cookie_withdraw_missing": (
        [*ANALYTICS, cookies(withdraw=None)],
        ANALYTICS,
    ),
    "retention_missing": ([register(retention=[])], []),
    "retention_vague": (
        [register(retention=[{"reason": "Säilytämme tietoja niin kauan kuin on tarpeen."}])],
        [register(retention=[{"reason": "Kunnes pyydät poistamaan tiedot."}])],
    ),
    "accounting_retention_missing": (
        [purposes({"purpose": "invoicing_accounting", "basis": "legal_obligation"})],
        [purposes({"purpose": "invoicing_accounting", "basis": "legal_obligation"}),
         lambda d: reg(d)["retention"].append({"preset": "accounting_vouchers"})],
    ),
    "accounting_retention_short": (
        [lambda d: reg(d)["retention"].append(
            {"subject": "accounting_records", "amount": 3, "unit": "years",
             "start": "end_of_financial_year"})],
        [lambda d: reg(d)["retention"].append(
            {"subject": "accounting_records", "amount": 6, "unit": "years",
             "start": "end_of_year_of_financial_year_end"})],
    ),
    "automated_logic_missing": (
        [register(automated_decisions=True)],
        [register(automated_decisions=True, automated_logic="Hinta lasketaan tilauksista.")],
    ),
    "profiling_description_missing": (
        [register(profiling=True)],
        [register(profiling=True, profiling_description="Kohdennamme viestejä.")],
    ),
    "security_missing": ([register(security_electronic=[])], []),
    "cookie_consent_missing": ([*ANALYTICS, cookies(mechanism="none")], ANALYTICS),
    "cookie_consent_missing/unanswered": ([*ANALYTICS, cookies(mechanism=None)], ANALYTICS),
    "cookies_flag_off": ([*ANALYTICS, cookies(uses_cookies=False)], ANALYTICS),
    "cookie_withdraw_note": (
        [*ANALYTICS, cookies(withdraw="other")],
        [*ANALYTICS, cookies(withdraw="other", withdraw_note="Evästeasetukset-linkistä")],
    ),
    "children_consent_age": (
        [top(targets_children=True), purposes({"purpose": "newsletter", "basis": "consent"})],
        [top(targets_children=True)],
    ),
    "children_profiling": (
        [top(targets_children=True),
         register(profiling=True, profiling_description="Kohdennamme viestejä.")],
        [top(targets_children=True)],
    ),
    "date_missing": ([top(created=None)], []),
    "outdated_law": (
        [register(special_note="Noudatamme henkilötietolakia (523/1999).")],
        [register(special_note="Noudatamme tietosuojalakia (1050/2018).")],
    ),
    "outdated_ecomms_law": (
        [register(security_note="Sähköisen viestinnän tietosuojalain mukaisesti.")],
        [register(security_note="Lain sähköisen viestinnän palveluista mukaisesti.")],
    ),
    "invalid_transfer_basis": (
        [service(custom(country="US", transfer_basis="scc", purpose="Privacy Shield -ehdot"))],
        [service(custom(country="US", transfer_basis="scc", purpose="DPF-sertifioitu"))],
    ),
    "outdated_authority": (
        [top(request_instructions="Valvontaviranomainen on Viestintävirasto.")],
        [top(request_instructions="Evästeitä valvoo Traficom.")],
    ),
}


def ids(n: Notice) -> set[str]:
    return {f.rule_id for f in run_checks(n)}


def test_base_draft_has_no_findings() -> None:
    assert run_checks(notice()) == []


def test_every_draft_rule_has_cases() -> None:
    assert {case.split("/")[0] for case in CASES} == set(RULES) - LINT_ONLY


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_fires(case: str) -> None:
    rule_id = case.split("/")[0]
    found = [f for f in run_checks(notice(*CASES[case][0])) if f.rule_id == rule_id]
    assert found, f"{rule_id} did not fire"
    rule = RULES[rule_id]
    for f in found:
        assert f.severity is rule.severity
        assert f.items == rule.items
        assert f.step in STEPS


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_passes(case: str) -> None:
    assert case.split("/")[0] not in ids(notice(*CASES[case][1]))


def _resolve_path(model: Any, path: str) -> None:
    """Walk ``path`` in the model; the last part must be a field of the model it ends in."""
    parts = path.split(".")
    for part in parts[:-1]:
        model = model[int(part)] if part.isdigit() else getattr(model, part)
        assert model is not None, path
    last = parts[-1]
    if last.isdigit():
        assert int(last) < len(model), path
    else:
        assert isinstance(model, BaseModel) and last in type(model).model_fields, path


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_paths_point_into_the_draft(rule_id: str) -> None:
    n = notice(*CASES[rule_id][0])
    for f in run_checks(n):
        assert f.path, f.rule_id
        _resolve_path(n, f.path)


@pytest.mark.parametrize("rule_id", sorted(CASES))
@pytest.mark.parametrize("lang", [lang.value for lang in LANGS])
def test_messages_render_in_every_language(rule_id: str, lang: str) -> None:
    for f in run_checks(notice(*CASES[rule_id][0])):
        text = f.message(lang)
        assert text.strip()
        assert not re.search(r"[{}]", text), text


def test_every_rule_has_a_message_in_every_language() -> None:
    assert missing_ids("seloste.findings") == {}
    for lang in LANGS:
        t = Texts("seloste.findings", lang)
        for rule_id in RULES:
            assert t.has(f"rule.{rule_id}"), (lang, rule_id)
        for item in ITEM_IDS:
            assert t.has(f"item.{item}"), (lang, item)


def test_rule_metadata() -> None:
    for rule in RULES.values():
        assert re.fullmatch(r"[a-z0-9_]+", rule.id)
        assert set(rule.items) <= set(ITEM_IDS), rule.id
        assert rule.step in (*STEPS, ""), rule.id
        assert (rule.step == "") == (rule.id in LINT_ONLY), rule.id


@pytest.mark.parametrize("name", NAMES)
def test_examples_have_no_errors(name: str) -> None:
    findings = run_checks(load_example(name))
    assert not has_errors(findings), format_findings(findings, "en")


def test_findings_are_sorted_by_severity() -> None:
    n = notice(ctrl(business_id=""), register(name="", retention=[]),
               service(cat("activecampaign")))
    found = run_checks(n)
    ranks = [list(Severity).index(f.severity) for f in found]
    assert ranks == sorted(ranks)
    assert {f.severity for f in found} == set(Severity)


def test_findings_for_step() -> None:
    found = run_checks(notice(ctrl(email=""), register(retention=[])))
    assert [f.rule_id for f in findings_for_step(found, "controller")] == ["contact_email"]
    assert [f.rule_id for f in findings_for_step(found, "retention")] == ["retention_missing"]
    assert findings_for_step(found, "cookies") == []


def test_free_text_findings_take_the_step_of_their_field() -> None:
    n = notice(ctrl(name="Henkilötietolaki Oy"), register(special_note="523/1999"))
    steps = {f.path: f.step for f in run_checks(n) if f.rule_id == "outdated_law"}
    assert steps == {"controller.name": "controller", "registers.0.special_note": "data"}


def test_step_for_path() -> None:
    assert step_for_path("controller.email") == "controller"
    assert step_for_path("dpo.email") == "controller"
    assert step_for_path("registers.0.purposes.1.basis") == "registers"
    assert step_for_path("registers.2.source_details") == "data"
    assert step_for_path("registers.0.services.1.custom.name") == "services"
    assert step_for_path("registers.0.retention.0.reason") == "retention"
    assert step_for_path("registers.0.security_note") == "retention"
    assert step_for_path("cookies.note") == "cookies"
    assert step_for_path("targets_children") == "review"


def test_completeness_all_ok_for_a_clean_draft() -> None:
    n = notice()
    status = completeness(n, run_checks(n))
    assert list(status) == list(ITEM_IDS)
    assert status["C1"] == status["P1"] == status["S1"] == status["K1"] == "ok"
    # no DPO, no transfers, no data from elsewhere, no legitimate interest, no consent
    for item in ("C2", "T1", "D1", "SRC", "P2", "W1"):
        assert status[item] == "n/a", item


def test_completeness_marks_items_with_errors_missing() -> None:
    n = notice(purposes(LEGIT | {"legitimate_interest": ""}), register(retention=[]),
               service(custom(country="US")))
    status = completeness(n, run_checks(n))
    assert status["P2"] == "missing"
    assert status["S1"] == "missing"
    assert status["T1"] == "missing"
    assert status["C1"] == "ok"


def test_completeness_ignores_warnings() -> None:
    n = notice(register(retention=[{"reason": "niin kauan kuin on tarpeen"}]))
    found = run_checks(n)
    assert "retention_vague" in {f.rule_id for f in found}
    assert completeness(n, found)["S1"] == "ok"


@pytest.mark.parametrize("name", NAMES)
def test_examples_are_complete(name: str) -> None:
    n = load_example(name)
    status = completeness(n, run_checks(n))
    assert "missing" not in status.values(), status
    assert status["T1"] == "ok" and status["W1"] == "ok"


def test_format_text_one_line_per_finding() -> None:
    found = run_checks(notice(ctrl(email=""), register(security_electronic=[])))
    lines = format_findings(found, "fi", "text").splitlines()
    assert len(lines) == len(found)
    severity, rule_id, items, message = lines[0].split(" ", 3)
    assert (severity, rule_id, items) == ("error", "contact_email", "C1,RT")
    assert message == found[0].message("fi")
    assert lines[-1].split(" ", 3)[2] == "-"  # a rule without items


def test_format_json() -> None:
    found = run_checks(notice(ctrl(email="")))
    data = json.loads(format_findings(found, "en", "json"))
    assert data[0] == {
        "severity": "error", "rule_id": "contact_email", "items": ["C1", "RT"],
        "step": "controller", "path": "controller.email", "params": {},
        "message": found[0].message("en"),
    }
    assert format_findings([], "fi", "text") == ""
    assert json.loads(format_findings([], "fi", "json")) == []
    with pytest.raises(ValueError):
        format_findings(found, "fi", "xml")


def test_params_are_translated() -> None:
    f = make_finding("purpose_no_basis", "registers.0.purposes.0.basis", register="",
                     register_no=2, purpose="newsletter", purpose_text="")
    assert "Uutiskirjeen lähettäminen" in f.message("fi")
    assert "Rekisteri 2" in f.message("fi")
    assert "Utskick av nyhetsbrev" in f.message("sv")
    g = make_finding("lint_transfer_denied", transfers="thinkific")
    assert "Thinkific (Kanada)" in g.message("fi")
    assert "Thinkific (Canada)" in g.message("en")


def test_finding_is_hashable_and_frozen() -> None:
    f = make_finding("contact_email", "controller.email")
    assert isinstance(f, Finding)
    assert len({f, make_finding("contact_email", "controller.email")}) == 1
    with pytest.raises(AttributeError):
        f.rule_id = "x"  # type: ignore[misc]


def test_an_empty_draft_is_checked_not_crashed() -> None:
    n = Notice()
    found = run_checks(n)
    assert {"controller_name", "contact_email", "no_registers", "date_missing"} <= {
        f.rule_id for f in found}
    status = completeness(n, found)
    assert status["C1"] == status["P1"] == status["S1"] == "missing"
    assert status["K1"] == status["F1"] == "ok"
