"""The service card in the wizard (AppTest): options stored as answers, the contract check."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest
from test_web_support import draft, goto, new_app, ok


def _with_service(service_id: str) -> AppTest:
    at = new_app()
    goto(at, "registers")
    at.button(key="b.preset.newsletter").click()
    ok(at.run())
    goto(at, "services")
    at.text_input(key="s.pick.0.query").input(service_id)
    ok(at.run())
    at.button(key=f"b.svc.0.{service_id}").click()
    return ok(at.run())


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_region_option_is_stored_and_changes_the_facts_shown() -> None:
    at = _with_service("activecampaign")
    assert "**käsittelymaat**: Yhdysvallat" in _markdown(at)
    at.selectbox(key="opt.registers.0.services.0.data_region").set_value("eu")
    ok(at.run())
    assert draft(at).registers[0].services[0].options == {"data_region": "eu"}
    assert "**käsittelymaat**: EU, Yhdysvallat" in _markdown(at)


def test_checked_against_own_contract_stores_the_date_and_can_be_undone() -> None:
    at = _with_service("klaviyo")
    at.button(key="b.check.0.0").click()
    ok(at.run())
    assert draft(at).registers[0].services[0].checked_on == dt.date.today()
    assert any("omaa sopimustasi vasten" in s.value for s in at.success)
    at.button(key="b.uncheck.0.0").click()
    ok(at.run())
    assert draft(at).registers[0].services[0].checked_on is None


def test_klarna_card_explains_the_automated_credit_decision() -> None:
    at = _with_service("klarna")
    infos = [i.value for i in at.info]
    assert any("22 artikla" in i and "päättää automaattisesti" in i for i in infos), infos


def _fact_line(at: AppTest, label: str) -> str:
    lines = [line for line in _markdown(at).splitlines() if line.startswith(f"- **{label}**:")]
    assert len(lines) == 1, _markdown(at)
    return lines[0]


def test_card_shows_each_fact_with_its_source_and_date_or_the_mark() -> None:
    at = _with_service("zoom")
    # Confirmed from Zoom's own terms: the link and the date it was read.
    address = _fact_line(at, "palveluntarjoajan osoite")
    assert "55 Almaden Blvd" in address
    assert r"lähde: [zoom\.us](https://zoom.us/terms) 1.12.2026" in address
    assert "tarkistamatta" not in address
    # Read only in secondary copies: marked in place, on the fact's own line.
    safeguard = _fact_line(at, "siirron suojatoimi")
    assert safeguard.endswith(":orange[**tarkistamatta**]")
    assert "lähde:" not in safeguard


def test_back_office_card_has_no_cookie_row() -> None:
    at = _with_service("procountor")
    assert _fact_line(at, "palvelun rooli")
    assert "**evästeet**" not in _markdown(at)  # no code on the site: the notice prints none
    at = _with_service("google_analytics")
    assert "_ga" in _fact_line(at, "evästeet")
