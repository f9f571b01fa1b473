"""The catalogue as a lawyer would read it: every fact sourced or marked, options, the figures.

Issue 14's figures are asserted from the data, so a regression (a fact printed as certain with
no vendor page behind it, a service dropped) fails here. The share of facts still in ``verify``
is far above the issue's target of 10 %: the test holds the real figure as a ratchet that may
only go down as facts are confirmed, never faked.
"""

from __future__ import annotations

import datetime as dt

import pytest

from seloste.catalogue import (
    Catalogue,
    CatalogueError,
    DpaKind,
    Source,
    fact_statuses,
    freshness_report,
    load_catalogue,
    parse_catalogue,
    unsourced_facts,
)
from seloste.checks import run_checks
from seloste.cli import main
from seloste.examples import NAMES, load_example
from seloste.model import ServiceUse
from seloste.recipients import resolve
from seloste.vocab import Role, TransferBasis


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


# ---------------------------------------------------------------- every fact sourced


def test_no_fact_reaches_the_notice_without_a_vendor_source(catalogue: Catalogue) -> None:
    assert unsourced_facts(catalogue) == []


_ONE = """
- id: demo
  name: Demo
  category: newsletter
  vendor: {entity: Demo Oy, address: "Katu 1, Helsinki", country: FI}
  roles: [{role: processor, flow: contacts}]
  processing_countries: [FI]
  transfer: {countries: [], bases: []}
  dpa: in_terms
  privacy_policy: https://demo.example/privacy
  sources:
    - {url: "https://copies.example/demo-privacy", checked: 2026-12-01}
    - {url: "https://demo.example/dpa", checked: 2026-11-01, covers: [dpa, roles]}
  verify: [cookies]
"""
_TEXTS = """
_categories: {newsletter: N, analytics: A, advertising: A, courses: C, webshop: W, hosting: H,
  payments: P, accounting: A, booking: B, office: O, social: S, embeds: E, delivery: D,
  esign: E, crm: C, consent: C}
demo: {description: Demo, flows: {contacts: Yhteystiedot}, actions: [Tee]}
"""


def _demo() -> Catalogue:
    return parse_catalogue(_ONE, {"fi": _TEXTS, "sv": _TEXTS, "en": _TEXTS})


def test_a_copy_on_another_site_is_no_source() -> None:
    entry = _demo().get("demo")
    assert entry.sources_for("dpa")[0].url == "https://demo.example/dpa"
    assert entry.sources_for("vendor.entity") == []  # only the copy elsewhere states it
    assert ("demo", "vendor.entity") in unsourced_facts(_demo())
    assert ("demo", "cookies") not in unsourced_facts(_demo())  # marked: in verify
    assert ("demo", "dpa") not in unsourced_facts(_demo())


def test_a_repository_counts_only_under_the_vendors_own_path() -> None:
    """``domains: [github.com/vendor]`` makes the vendor's repository its own text, not every
    page on github.com (a stranger's fork or copy stays a secondary source)."""
    entry = load_catalogue().get("complianz").model_copy(
        update={"domains": ["github.com/Really-Simple-Plugins"]})
    def source(url: str) -> Source:
        return Source(url=url, checked=dt.date(2026, 12, 2))
    assert entry.is_own_source(source(
        "https://github.com/Really-Simple-Plugins/complianz-gdpr/blob/master/readme.txt"))
    assert not entry.is_own_source(source("https://github.com/someone/complianz-copy/readme"))
    assert not entry.is_own_source(source("https://github.com/Really-Simple-Plugins-fake/x"))


def _with_flows(roles: str, cookies: str = "[]") -> Catalogue:
    services = (_ONE.replace("roles: [{role: processor, flow: contacts}]", f"roles: {roles}")
                .replace("  verify: [cookies]", f"  cookies: {cookies}\n  verify: [cookies]"))
    return parse_catalogue(services, {"fi": _TEXTS, "sv": _TEXTS, "en": _TEXTS})


def test_cookies_count_only_for_a_service_that_runs_on_the_site() -> None:
    embedded = _with_flows("[{role: processor, flow: contacts}]").get("demo")
    back_office = _with_flows("[{role: processor, flow: contacts, on_site: false}]").get("demo")
    assert embedded.runs_on_site and "cookies" in embedded.fact_paths
    assert not back_office.runs_on_site and "cookies" not in back_office.fact_paths
    # The same entry otherwise: only the cookie fact differs in what is counted.
    assert set(embedded.fact_paths) - set(back_office.fact_paths) == {"cookies"}
    rows = {(r.service, r.path) for r in fact_statuses(_with_flows(
        "[{role: processor, flow: contacts, on_site: false}]"))}
    assert ("demo", "cookies") not in rows and ("demo", "dpa") in rows


def test_cookies_without_a_site_flow_are_refused() -> None:
    cookie = "[{name: x, purpose: analytics, duration: {amount: 1, unit: years}}]"
    with pytest.raises(CatalogueError, match="no flow runs on the site"):
        _with_flows("[{role: processor, flow: contacts, on_site: false}]", cookie)
    assert _with_flows("[{role: processor, flow: contacts}]", cookie).get("demo").cookies


def test_site_embedded_cookies_count_back_office_ones_do_not(catalogue: Catalogue) -> None:
    rows = {(r.service, r.path) for r in fact_statuses(catalogue)}
    # Calendly's embed sets cookies on the company's site: its (unconfirmed) cookies count.
    assert ("calendly", "cookies") in rows and catalogue.get("calendly").runs_on_site
    assert ("google_analytics", "cookies") in rows
    # Bookkeeping, parcels, e-signature: no code on the site, no cookie row possible.
    for sid in ("procountor", "posti", "docusign", "accounting_firm"):
        assert not catalogue.get(sid).runs_on_site
        assert (sid, "cookies") not in rows
    # Every entry whose cookies the notice can print is counted (and sourced or in verify).
    for entry in catalogue.entries.values():
        if entry.cookies:
            assert (entry.id, "cookies") in rows


def test_freshness_report_lists_age_and_facts_to_verify() -> None:
    report = freshness_report(_demo(), dt.date(2026, 12, 1))
    assert "services: 1" in report
    assert "   30  demo  (roles)" in report  # stalest confirmed fact: read 2026-11-01
    assert "demo: vendor.entity, vendor.address, vendor.country" in report


def test_cli_prints_the_catalogue_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "--today", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert f"services: {len(load_catalogue())}" in out
    assert "facts in verify (" in out
    assert "  klarna: " in out


# ---------------------------------------------------------------- the figures


def test_at_least_90_services(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 90


def test_share_of_facts_in_verify_only_goes_down(catalogue: Catalogue) -> None:
    rows = fact_statuses(catalogue)
    unconfirmed = sum(r.newest is None for r in rows)
    # Target (issue 14): <= 10 %. Real figure on 2026-12-01: 565 of 891 after round one,
    # 525 after round two, 515 after round three (a-l half) -- most vendors' own pages are
    # not in the stored copies. Then 494 of 859: a back-office service's `cookies` no longer
    # counts (it can print no cookie row; see ServiceEntry.runs_on_site). 464 of 859 with
    # the m-z half of round three (branch catalogue3). 386 after round four (stop 23: full
    # stored copies of vendors' terms in Open Terms Archive, Meta's and TikTok's EEA
    # policies, Nordic vendors' own pages); 369 with round four-b; 365 of 860 with round five
    # (stop 24: the stored copies hold little more than page openings); 338 with round six
    # (stop 28: Klarna's entity, roles and DPA, Jotform Ltd, Dropbox, DocuSign, Squarespace
    # Ireland, Google's transfer frameworks page). Lower this as facts are confirmed.
    assert unconfirmed <= 308
    assert len(rows) >= 850


def test_examples_have_no_per_service_verify_noise() -> None:
    for name in NAMES:
        findings = run_checks(load_example(name))
        assert not [f for f in findings if f.rule_id == "service_verify"]
        unconfirmed = [f for f in findings if f.rule_id == "service_transfer_unconfirmed"]
        # Only services whose transfer safeguard is unconfirmed (GA4, Instagram, Thinkific).
        assert len(unconfirmed) <= 2


def test_privacy_link_in_notice_language_where_the_vendor_has_one(catalogue: Catalogue) -> None:
    for entry in catalogue.entries.values():
        for lang, url in entry.privacy_policy_lang.items():
            use = ServiceUse(catalogue_id=entry.id)
            assert resolve(use, lang).privacy_policy == url
    # Google's policy page is served per language with ?hl= (its own stored fi/sv pages).
    ga = ServiceUse(catalogue_id="google_analytics")
    assert resolve(ga, "fi").privacy_policy == "https://policies.google.com/privacy?hl=fi"
    assert resolve(ga, "sv").privacy_policy == "https://policies.google.com/privacy?hl=sv"
    # Ratchet: entries linking a Finnish or Swedish page (2 before round three; see the note).
    localized = [e.id for e in catalogue.entries.values()
                 if {"fi", "sv"} & set(e.privacy_policy_lang)]
    assert len(localized) >= 10
    timma = ServiceUse(catalogue_id="timma")
    assert resolve(timma, "fi").privacy_policy == "https://www.timma.fi/privacy"
    assert resolve(timma, "sv").privacy_policy == "https://timma.se/privacy"


# ---------------------------------------------------------------- corrected entries


def test_google_workspace_dpa_is_incorporated(catalogue: Catalogue) -> None:
    entry = catalogue.get("google_workspace")
    assert entry.dpa is DpaKind.IN_TERMS
    assert entry.sources_for("dpa")[0].url.startswith("https://cloud.google.com/terms/")


def test_woocommerce_links_no_automattic_policy() -> None:
    rs = resolve(ServiceUse(catalogue_id="woocommerce"), "fi")
    assert rs.privacy_policy == ""
    assert "automattic" not in load_catalogue().get("woocommerce").privacy_policy


def test_klarna_transfers_cookies_and_automated_credit_decision(catalogue: Catalogue) -> None:
    entry = catalogue.get("klarna")
    assert entry.transfer.countries == ["US"]
    assert entry.transfer.bases == [TransferBasis.scc]
    assert entry.needs_verification("transfer")  # read only in secondary copies
    assert entry.cookies[0].duration is not None and entry.cookies[0].duration.amount == 540
    assert any(f.automated_decisions for f in entry.roles)
    for lang, word in (("fi", "automaattisesti"), ("sv", "automatiskt"), ("en", "automatically")):
        rs = resolve(ServiceUse(catalogue_id="klarna"), lang)
        assert word in rs.automated_logic
        assert Role.controller in rs.roles()


def test_zoom_posti_calendly_meta(catalogue: Catalogue) -> None:
    assert catalogue.get("zoom").vendor.entity == "Zoom Communications, Inc."  # type: ignore[union-attr]
    posti = catalogue.get("posti").vendor
    assert posti is not None and posti.business_id == "2344200-4"
    assert catalogue.get("calendly").cookies
    meta = catalogue.get("meta_pixel")
    # Meta's own copies gave two addresses; its Privacy Policy of July 2026 settles Merrion Road
    assert meta.vendor is not None and (meta.vendor.address or "").startswith("Merrion Road")
    assert meta.sources_for("vendor.address")
    assert meta.sources_for("transfer.bases")


# ---------------------------------------------------------------- options and names


def test_activecampaign_eu_region_changes_processing_countries() -> None:
    us = resolve(ServiceUse(catalogue_id="activecampaign"), "fi")
    eu = resolve(ServiceUse(catalogue_id="activecampaign", options={"data_region": "eu"}), "fi")
    assert us.processing_countries == ["US"]
    assert eu.processing_countries == ["EU", "US"]  # the policy's exclusions stay in the US
    assert eu.transfer_countries == ["US"]


def test_meta_without_conversions_api_drops_the_server_flow() -> None:
    with_capi = resolve(ServiceUse(catalogue_id="meta_pixel"), "fi")
    without = resolve(ServiceUse(catalogue_id="meta_pixel", options={"conversions_api": "no"}),
                      "fi")
    assert len(without.flows) == len(with_capi.flows) - 1
    assert not any("Palvelimeltamme" in text for _, text in without.flows)
    assert with_capi.name == "Meta-pikseli ja Conversions API"


def test_unknown_option_answer_keeps_the_entry_facts() -> None:
    rs = resolve(ServiceUse(catalogue_id="activecampaign", options={"data_region": "mars"}), "en")
    assert rs.processing_countries == ["US"]


def test_localized_names(catalogue: Catalogue) -> None:
    assert catalogue.display_name("instagram_page", "fi") == "Instagram-yritystili"
    assert catalogue.display_name("google_maps", "fi") == "Google Maps -kartta sivustolla"
    assert catalogue.display_name("stripe", "fi") == "Stripe"  # proper noun stays
    assert "instagram_page" in [e.id for e in catalogue.search("instagram-yritystili", "fi")]
