"""Industry starting points (seloste/trades): data complete in fi/sv/en, proposals never
printed unaccepted, every trade reaches a notice with no errors once its proposals are accepted."""

from __future__ import annotations

import html

import pytest

from seloste.catalogue import load_catalogue
from seloste.checks import Severity, run_checks
from seloste.facts import notice_facts
from seloste.i18n import load_texts
from seloste.model import Controller, CookieSettings, Notice, Person, Register, preset_ids
from seloste.presets import all_presets, load_presets, preset_by_id
from seloste.render import render
from seloste.trades import TEXTS, load_trades
from seloste.trades.start import accept_all_proposals, registers_for
from seloste.vocab import LANGUAGES, ConsentMechanism, Lang, WithdrawMethod

TRADES = list(load_trades())


def _company(trade_id: str) -> Notice:
    notice = Notice(
        controller=Controller(name="Testi Oy", business_id="2617416-4", street="Katu 1",
                              postal_code="00100", city="Helsinki", email="info@testi.fi",
                              phone="+358401234567"),
        privacy_contact=Person(name="Maija Meikäläinen", email="maija@testi.fi"),
        registers=registers_for(load_trades()[trade_id]))
    if any(s.tracking or s.needs_consent
           for s in notice_facts(accept_all_proposals(notice), Lang.fi).services):
        notice = notice.model_copy(update={"cookies": CookieSettings(
            uses_cookies=True, mechanism=ConsentMechanism.banner,
            withdraw=WithdrawMethod.footer_link)})
    return notice


def test_the_seven_trades_of_the_issue_are_there() -> None:
    assert TRADES == ["salon", "webshop", "consultant", "restaurant", "health", "tradesperson",
                      "association"]


@pytest.mark.parametrize("lang", [lang.value for lang in LANGUAGES])
def test_every_trade_text_exists_in_every_language(lang: str) -> None:
    texts = load_texts(TEXTS, lang)
    needed = set().union(*(t.text_ids() for t in load_trades().values()))
    assert needed - set(texts) == set()
    assert {k for k, v in texts.items() if not v.strip()} == set()


def test_trade_presets_are_found_by_id_but_not_offered_as_general_buttons() -> None:
    general = load_presets()
    for trade in load_trades().values():
        for preset in trade.presets:
            assert preset.id not in general
            assert preset_by_id(preset.id) is preset
            assert preset.id in all_presets()



def test_the_model_accepts_exactly_the_preset_ids_the_presets_module_knows() -> None:
    # The model reads the ids from the data files (importing seloste.presets would be a circle),
    # so it must find the same set, trades included, and still reject an unknown one.
    assert preset_ids() == set(all_presets())
    assert "salon_customers" in preset_ids()
    assert Register(preset="salon_customers").preset == "salon_customers"
    with pytest.raises(ValueError, match="unknown preset"):
        Register(preset="no_such_preset")

def test_every_proposed_service_is_in_the_catalogue() -> None:
    catalogue = load_catalogue()
    for trade in load_trades().values():
        for preset in trade.presets:
            for cid in preset.services:
                assert catalogue.get(cid).id == cid


def test_salon_proposes_the_vocabulary_it_lacked_as_keys() -> None:
    salon = load_trades()["salon"].presets[0]
    proposals = salon.proposals()
    assert {"visit_history", "treatment_notes", "allergies", "payment_status"} <= {
        d.value for d in proposals["data_categories"]}
    assert {"data_subject", "booking_system"} == {s.value for s in proposals["sources"]}
    assert [u.catalogue_id for u in proposals["services"]] == ["timma"]
    assert {p.purpose.value for p in salon.purposes} >= {"booking_reminders", "safe_service"}
    assert any(r.start is not None and r.start.value == "last_contact" for r in salon.retention)


def test_health_trade_marks_patient_record_law_to_verify() -> None:
    health = load_trades()["health"]
    for lang in LANGUAGES:
        texts = health.verify_texts(lang)
        assert len(texts) == 2 and all(texts)
    assert "785/1992" in health.verify_texts(Lang.fi)[0]


@pytest.mark.parametrize("trade_id", TRADES)
def test_proposals_are_not_printed_until_accepted(trade_id: str) -> None:
    notice = _company(trade_id)
    preset = load_trades()[trade_id].presets[0]
    t = load_texts("seloste.clauses", "fi")
    item = t[f"data.{preset.data[-1].value}"]
    before = render(notice, "md", "fi").decode()
    after = render(accept_all_proposals(notice), "md", "fi").decode()
    assert item not in before
    assert item in after


@pytest.mark.parametrize("lang", [lang.value for lang in LANGUAGES])
@pytest.mark.parametrize("trade_id", TRADES)
def test_accepted_trade_reaches_a_notice_without_errors(trade_id: str, lang: str) -> None:
    notice = accept_all_proposals(_company(trade_id)).model_copy(update={"language": Lang(lang)})
    errors = [f.rule_id for f in run_checks(notice) if f.severity is Severity.error]
    assert errors == []
    text = html.unescape(render(notice, "md", lang).decode())
    clauses = load_texts("seloste.clauses", lang)
    for preset in load_trades()[trade_id].presets:
        assert preset.notice_name(lang) in text
        for purpose in preset.purposes:
            assert clauses[f"purpose.{purpose.purpose.value}"] in text
