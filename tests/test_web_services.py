"""The services step: catalogue picks show role, destination, to-dos and unconfirmed facts;
a custom service is validated; cookie forms work."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_web_support import draft, errors_text, goto, new_app, ok

from seloste.catalogue import load_catalogue
from seloste.model import CustomService, ServiceUse


def run(at: AppTest) -> AppTest:
    return ok(at.run())


def with_register() -> AppTest:
    at = new_app()
    goto(at, "registers")
    at.button(key="b.preset.newsletter").click()
    run(at)
    return goto(at, "services")


def test_pick_by_category_and_see_role_destination_actions_and_checks() -> None:
    at = with_register()
    at.selectbox(key="s.pick.0.category").set_value("newsletter")
    run(at)
    cat = load_catalogue()
    for entry in cat.by_category()[cat.get("mailchimp").category]:
        assert at.button(key=f"b.svc.0.{entry.id}")
    at.button(key="b.svc.0.activecampaign").click()
    run(at)
    assert draft(at).registers[0].services == [ServiceUse(catalogue_id="activecampaign")]
    text = "\n".join(m.value for m in at.markdown)
    assert "henkilötietojen käsittelijä" in text
    assert "Yhdysvallat" in text
    assert cat.text("activecampaign", "fi").actions[0] in text
    # Each fact shows its source and date, or is marked unconfirmed in place (service card).
    assert "(https://www.activecampaign.com/legal/privacy-policy) 1.12.2026" in text
    assert "**palveluntarjoajan osoite**: 1 North Dearborn St" in text
    assert "tarkistamatta" in text
    assert at.button(key="b.svc.0.activecampaign").disabled


def test_search_finds_services_by_name() -> None:
    at = with_register()
    at.text_input(key="s.pick.0.query").input("stripe")
    run(at)
    assert at.button(key="b.svc.0.stripe")
    at.text_input(key="s.pick.0.query").input("zzzz")
    run(at)
    assert not [b for b in at.button if b.key and b.key.startswith("b.svc.0.")]


def test_custom_service_is_validated_and_keeps_what_was_typed() -> None:
    at = with_register()
    at.text_input(key="s.custom.0.entity").input("Tilitoimisto Oy")
    at.text_input(key="s.custom.0.privacy_policy").input("ei osoite")
    run(at)
    at.button(key="b.custom.0").click()
    run(at)
    errors = errors_text(at)
    assert any("Palvelun nimi" in e and "tarvitaan" in e for e in errors), errors
    assert any("Verkko-osoite ei kelpaa" in e for e in errors), errors
    assert draft(at).registers[0].services == []
    goto(at, "cookies")
    goto(at, "services")
    assert at.text_input(key="s.custom.0.entity").value == "Tilitoimisto Oy"
    at.text_input(key="s.custom.0.name").input("Tilitoimisto")
    at.text_input(key="s.custom.0.privacy_policy").input("")
    at.selectbox(key="s.custom.0.country").set_value("US")
    run(at)
    at.selectbox(key="s.custom.0.transfer_basis").set_value("scc")
    at.text_area(key="s.custom.0.purpose").input("Kirjanpito.")
    run(at)
    at.button(key="b.custom.0").click()
    run(at)
    assert draft(at).registers[0].services == [ServiceUse(custom=CustomService(
        name="Tilitoimisto", entity="Tilitoimisto Oy", country="US", transfer_basis="scc",
        purpose="Kirjanpito."))]
    # Once added, its fields are bound like any other answer.
    at.text_input(key="f.registers.0.services.0.custom.name").input("Tilitoimisto Ab")
    run(at)
    custom = draft(at).registers[0].services[0].custom
    assert custom is not None and custom.name == "Tilitoimisto Ab"
    at.text_input(key="f.registers.0.services.0.custom.name").input("")
    run(at)
    assert any("tarvitaan" in e for e in errors_text(at))
    custom = draft(at).registers[0].services[0].custom
    assert custom is not None and custom.name == "Tilitoimisto Ab"


def test_cookies_of_picked_services_and_own_cookies() -> None:
    at = with_register()
    at.text_input(key="s.pick.0.query").input("google analytics")
    run(at)
    at.button(key="b.svc.0.google_analytics").click()
    run(at)
    goto(at, "cookies")
    assert at.table and "`_ga`" in str(at.table[0].value)
    assert any("evästeitä" in w.value for w in at.warning)
    at.toggle(key="f.cookies.uses_cookies").set_value(True)
    run(at)
    at.button(key="b.add_cookie").click()
    run(at)
    assert any(e.startswith("Evästeen nimi:") for e in errors_text(at)), errors_text(at)
    at.text_input(key="s.cookie.name").input("cart")
    at.number_input(key="s.cookie.duration_amount").set_value(7)
    at.selectbox(key="s.cookie.duration_unit").set_value("days")
    run(at)
    at.button(key="b.add_cookie").click()
    run(at)
    cookies = draft(at).cookies.custom_cookies
    assert [(c.name, c.duration_amount, c.duration_unit) for c in cookies] == [
        ("cart", 7, "days")]
    assert at.text_input(key="f.cookies.custom_cookies.0.name").value == "cart"
