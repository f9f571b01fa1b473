"""Start from the old notice (seloste/import_notice.py), on both seed notices in tests/data."""

from __future__ import annotations

from pathlib import Path

from seloste.checks import run_checks
from seloste.extract import extract_text
from seloste.import_notice import FIELDS, draft_from, read_notice
from seloste.lint import lint_text

DATA = Path(__file__).parent / "data"


def _read(name: str) -> str:
    return extract_text((DATA / name).read_bytes(), name)


def test_keinuma_company_contacts_registers_and_services() -> None:
    found = read_notice(_read("keinuma-2023.txt"))
    assert found.found == {
        "controller.name": "Keinuma Oy", "controller.business_id": "3299471-6",
        "controller.street": "Vapaudenkatu 6 A 16", "controller.postal_code": "40100",
        "controller.city": "Jyväskylä", "controller.email": "heidi@keinuma.fi",
        "controller.phone": "050 339 8065", "controller.website": "https://www.keinuma.fi",
        "privacy_contact.name": "Heidi Poikolainen", "privacy_contact.email": "heidi@keinuma.fi",
        "privacy_contact.phone": "050 339 8065"}
    assert found.missing == []
    assert found.registers == [
        "Yleinen asiakasrekisteri",
        "Keinuman uutiskirjeen tilanneiden rekisteri ActiveCampaign-palvelussa"]
    assert set(found.services) == {"activecampaign", "google_analytics", "facebook_page",
                                   "instagram_page"}


def test_meunier_obfuscated_email_and_what_it_does_not_say() -> None:
    found = read_notice(_read("meunier-2019.txt"))
    assert found.found["controller.name"] == "Janna Meunier OY"
    assert found.found["controller.business_id"] == "2949819-9"
    assert found.found["controller.street"] == "Hämeentie 3"
    assert found.found["controller.city"] == "Helsinki"
    assert found.found["controller.email"] == "rekisteri@jannameunier.fi"
    assert found.found["privacy_contact.name"] == "Janna Meunier"
    assert found.missing == ["controller.phone", "privacy_contact.phone"]
    assert found.registers[0] == "Janna Meunier OY:n sähköpostirekisteri"
    assert {"thinkific", "activecampaign", "meta_pixel"} <= set(found.services)


def test_an_invalid_business_id_is_not_proposed() -> None:
    found = read_notice("Testi Oy, Y-tunnus 1234567-8\n")
    assert "controller.business_id" not in found.found


def test_draft_takes_only_confirmed_proposals() -> None:
    found = read_notice(_read("keinuma-2023.txt"))
    nothing = draft_from(found, set(), set(), set())
    assert nothing.controller.name == "" and nothing.registers == []
    some = draft_from(found, {"controller.name", "controller.business_id"},
                      {"Yleinen asiakasrekisteri"}, {"activecampaign"})
    assert some.controller.name == "Keinuma Oy"
    assert some.controller.business_id == "3299471-6"
    assert some.controller.city == ""
    assert [r.name.pick("fi") for r in some.registers] == ["Yleinen asiakasrekisteri"]
    assert [u.catalogue_id for u in some.registers[0].services] == ["activecampaign"]


def test_all_confirmed_fills_the_company_step_and_the_lint_still_speaks() -> None:
    text = _read("keinuma-2023.txt")
    found = read_notice(text)
    notice = draft_from(found, set(FIELDS), set(found.registers), set(found.services))
    controller_errors = [f.rule_id for f in run_checks(notice)
                         if f.severity.value == "error" and f.step == "controller"]
    assert controller_errors == []
    assert any("523/1999" in hit.matched
               for hit in lint_text(text).outdated)
