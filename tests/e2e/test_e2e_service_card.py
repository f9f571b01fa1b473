"""The service card in a real browser (issue 14): each catalogue fact with its source and date.

The card is what makes the catalogue trustworthy: the entrepreneur sees where "ActiveCampaign
transfers data to the US" comes from, which facts nobody could confirm, and can record that they
checked the service against their own contract. Chromium renders the markdown, so the test reads
the links and dates as a user sees them.
"""

from __future__ import annotations

import re

import pytest
from stapp import App

from seloste.i18n import Texts
from seloste.vocab import Lang

pytestmark = pytest.mark.e2e

UI = Texts("seloste.web.ui", Lang.fi)


def test_service_card_shows_sources_dates_and_unconfirmed_facts(app: App) -> None:
    app.open()
    app.click("start.new")
    app.sidebar_step(3)
    assert app.path() == "/registers"
    app.click("b.preset.newsletter")
    app.sidebar_step(5)
    assert app.path() == "/services"
    app.type("s.pick.0.query", "ActiveCampaign", keystrokes=True)
    app.click("b.svc.0.activecampaign")
    card = app.el("card_0_0")
    text = card.inner_text()
    assert UI("card.facts") in text
    # A confirmed fact: the vendor's own page as a link, with the date it was read.
    entity = next(line for line in text.splitlines() if "ActiveCampaign, LLC" in line)
    assert re.search(r"lähde: www\.activecampaign\.com \d{1,2}\.\d{1,2}\.20\d\d", entity)
    links = card.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "https://www.activecampaign.com/legal/privacy-policy" in hrefs
    # An unconfirmed fact is marked in place, not hidden and not printed as certain.
    address = next(line for line in text.splitlines() if "North Dearborn" in line)
    assert UI("card.unconfirmed") in address
    # "Checked against my own contract" stores the date and says so.
    app.click("b.check.0.0")
    alerts = app.page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("omaa sopimustasi vasten" in alert for alert in alerts), alerts
    assert app.el("b.uncheck.0.0").count() == 1
