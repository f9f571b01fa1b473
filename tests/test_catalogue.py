"""Tests for the service catalogue: the shipped data is complete and the loader rejects bad data.

The notice prints catalogue facts as legal statements, so a missing text, an http link or a
transfer without a safeguard must fail here rather than in an entrepreneur's notice.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from seloste.catalogue import (
    LANGUAGES,
    Catalogue,
    CatalogueError,
    Category,
    CookiePurpose,
    DpaKind,
    Lang,
    Role,
    ServiceEntry,
    TransferBasis,
    load_catalogue,
    parse_catalogue,
)
from seloste.model import ServiceUse
from seloste.recipients import resolve

REQUIRED_IDS = [
    "activecampaign",
    "mailchimp",
    "mailerlite",
    "brevo",
    "klaviyo",
    "google_analytics",
    "matomo_cloud",
    "matomo_self_hosted",
    "microsoft_clarity",
    "hotjar",
    "google_tag_manager",
    "meta_pixel",
    "facebook_page",
    "instagram_page",
    "linkedin_page",
    "linkedin_insight",
    "google_ads",
    "tiktok_pixel",
    "thinkific",
    "kajabi",
    "shopify",
    "woocommerce",
    "wix",
    "stripe",
    "paytrail",
    "klarna",
    "paypal",
    "vipps_mobilepay",
    "procountor",
    "netvisor",
    "visma_eekonomi",
    "holvi",
    "calendly",
    "timma",
    "google_workspace",
    "microsoft_365",
    "zoom",
    "youtube",
    "vimeo",
    "google_maps",
    "posti",
    "matkahuolto",
    "cookiebot",
]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _raw_files() -> tuple[str, dict[Lang, str]]:
    data = resources.files("seloste.catalogue_data")
    services = data.joinpath("services.yaml").read_text(encoding="utf-8")
    texts = {lang: data.joinpath(f"{lang}.yaml").read_text(encoding="utf-8") for lang in LANGUAGES}
    return services, texts


# ---------------------------------------------------------------- the shipped data


def test_at_least_45_entries(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 45


def test_required_ids_exist(catalogue: Catalogue) -> None:
    missing = [sid for sid in REQUIRED_IDS if sid not in catalogue]
    assert not missing


def test_ids_unique_in_file() -> None:
    services, _ = _raw_files()
    ids = [raw["id"] for raw in yaml.safe_load(services)]
    assert len(ids) == len(set(ids))


def test_loader_is_cached() -> None:
    assert load_catalogue() is load_catalogue()


@pytest.mark.parametrize("sid", sorted(load_catalogue().entries))
def test_entry_is_complete(catalogue: Catalogue, sid: str) -> None:
    entry = catalogue.get(sid)
    unsourced = [p for p in entry.fact_paths if not entry.sources_for(p)]
    assert set(unsourced) <= {p for p in entry.fact_paths if entry.needs_verification(p)}
    assert all(src.url.startswith("https://") for src in entry.sources)
    assert entry.privacy_policy.startswith("https://")
    if entry.dpa_url is not None:
        assert entry.dpa_url.startswith("https://")
    assert bool(entry.transfer.countries) == bool(entry.transfer.bases)
    if entry.vendor is None:
        assert entry.dpa is DpaKind.HOST or entry.generic
    for lang in LANGUAGES:
        text = catalogue.text(sid, lang)
        assert text.description.strip()
        assert set(text.flows) == set(entry.flow_keys)
        assert all(flow.strip() for flow in text.flows.values())
        assert text.actions, f"{sid}/{lang}: tell the entrepreneur what to do"
        assert all(action.strip() for action in text.actions)
        if entry.has_role(Role.joint_controller):
            assert text.joint_essence and text.joint_essence.strip()
        else:
            assert text.joint_essence is None


def test_category_names_in_every_language(catalogue: Catalogue) -> None:
    for lang in LANGUAGES:
        names = {catalogue.category_name(cat, lang) for cat in Category}
        assert len(names) == len(Category)
    assert catalogue.category_name("newsletter", "fi") == "Uutiskirjeet ja markkinointiautomaatio"


def test_texts_differ_between_languages(catalogue: Catalogue) -> None:
    """Guards against a language file copied from another and never translated."""
    for sid in catalogue.entries:
        descriptions = {catalogue.text(sid, lang).description for lang in LANGUAGES}
        assert len(descriptions) == len(LANGUAGES), sid


# ---------------------------------------------------------------- facts the notice relies on


def test_meta_pixel_is_joint_controller_with_marketing_cookie(catalogue: Catalogue) -> None:
    meta = catalogue.get("meta_pixel")
    assert meta.has_role(Role.joint_controller)
    assert meta.has_role("joint_controller")
    assert any(c.purpose is CookiePurpose.marketing for c in meta.cookies)
    assert meta.needs_consent
    assert meta.vendor is not None
    assert meta.vendor.entity == "Meta Platforms Ireland Limited"


def test_mailchimp_transfers_to_us_on_dpf_and_scc(catalogue: Catalogue) -> None:
    mailchimp = catalogue.get("mailchimp")
    assert mailchimp.outside_eea
    assert mailchimp.transfer.countries == ["US"]
    assert {TransferBasis.dpf, TransferBasis.scc} <= set(mailchimp.transfer.bases)


def test_google_analytics_ga_cookie_needs_consent(catalogue: Catalogue) -> None:
    ga = catalogue.get("google_analytics")
    ga_cookie = next(c for c in ga.cookies if c.name == "_ga")
    assert ga_cookie.purpose is CookiePurpose.analytics
    assert ga_cookie.duration is not None
    assert (ga_cookie.duration.amount, ga_cookie.duration.unit) == (2, "years")
    assert ga.needs_consent


@pytest.mark.parametrize("sid", ["paytrail", "procountor", "posti"])
def test_finnish_services_have_no_transfer(catalogue: Catalogue, sid: str) -> None:
    entry = catalogue.get(sid)
    assert not entry.outside_eea
    assert entry.transfer.countries == []
    assert entry.transfer.bases == []


def test_thinkific_transfers_to_canada_on_adequacy(catalogue: Catalogue) -> None:
    thinkific = catalogue.get("thinkific")
    assert thinkific.transfer.countries == ["CA"]
    assert TransferBasis.adequacy in thinkific.transfer.bases


def test_activecampaign_dpa_must_be_accepted_in_account(catalogue: Catalogue) -> None:
    assert catalogue.get("activecampaign").dpa is DpaKind.IN_ACCOUNT_SETTINGS


def test_necessary_cookies_need_no_consent(catalogue: Catalogue) -> None:
    assert not catalogue.get("cookiebot").needs_consent
    assert not catalogue.get("paytrail").needs_consent


def test_self_hosted_entries_have_no_vendor(catalogue: Catalogue) -> None:
    for sid in ("matomo_self_hosted", "woocommerce"):
        entry = catalogue.get(sid)
        assert entry.vendor is None
        assert entry.dpa is DpaKind.HOST


def test_verify_paths_are_marked(catalogue: Catalogue) -> None:
    ac = catalogue.get("activecampaign")
    assert ac.needs_verification("vendor.address")
    assert not ac.needs_verification("vendor.entity")
    procountor = catalogue.get("procountor")
    assert procountor.needs_verification("vendor.address")  # whole vendor unconfirmed


# ---------------------------------------------------------------- lookups


def test_entries_keep_file_order(catalogue: Catalogue) -> None:
    services, _ = _raw_files()
    assert list(catalogue.entries) == [raw["id"] for raw in yaml.safe_load(services)]


def test_get_unknown_raises_key_error(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError):
        catalogue.get("no_such_service")
    with pytest.raises(KeyError):
        catalogue.text("no_such_service", "fi")


def test_text_rejects_unknown_language(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError):
        catalogue.text("mailchimp", "de")


def test_by_category_covers_all_entries(catalogue: Catalogue) -> None:
    grouped = catalogue.by_category()
    assert sum(len(v) for v in grouped.values()) == len(catalogue)
    assert all(e.category is cat for cat, entries in grouped.items() for e in entries)
    assert [e.id for e in grouped[Category.DELIVERY]][:2] == ["posti", "matkahuolto"]


def test_search_matches_name_id_and_description(catalogue: Catalogue) -> None:
    assert [e.id for e in catalogue.search("MAILCHIMP", "fi")] == ["mailchimp"]
    assert "google_tag_manager" in [e.id for e in catalogue.search("tag_man", "en")]
    fi_hits = {e.id for e in catalogue.search("uutiskirje", "fi")}
    assert {"mailchimp", "mailerlite"} <= fi_hits
    sv_hits = {e.id for e in catalogue.search("nyhetsbrev", "sv")}
    assert {"mailchimp", "mailerlite"} <= sv_hits
    assert catalogue.search("zzz-nothing", "en") == []
    assert len(catalogue.search("  ", "en")) == len(catalogue)


def test_entries_are_immutable(catalogue: Catalogue) -> None:
    entry = catalogue.get("mailchimp")
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        entry.name = "x"  # type: ignore[misc]
    catalogue.entries.pop("mailchimp")
    assert "mailchimp" in catalogue


# ---------------------------------------------------------------- validation of bad data


MINIMAL_ENTRY = """
- id: demo
  name: Demo
  category: newsletter
  vendor: {entity: Demo Ltd, address: Somewhere 1, country: US}
  roles: [{role: processor, flow: contacts}]
  processing_countries: [US]
  transfer: {countries: [US], bases: [scc]}
  dpa: in_terms
  cookies: [{name: demo, purpose: marketing, duration: {amount: 1, unit: years}}]
  privacy_policy: https://example.com/privacy
  sources: [{url: "https://example.com/dpa", checked: 2026-11-21}]
  verify: []
"""

CATS = "_categories:\n" + "".join(f"  {c.value}: {c.value} name\n" for c in Category)


def _texts(body: str = "") -> dict[Lang, str]:
    default = 'demo:\n  description: "Demo"\n  flows: {contacts: "Contacts"}\n  actions: ["Do"]\n'
    return {lang: CATS + (body or default) for lang in LANGUAGES}


def test_minimal_catalogue_parses() -> None:
    cat = parse_catalogue(MINIMAL_ENTRY, _texts())
    entry = cat.get("demo")
    assert isinstance(entry, ServiceEntry)
    assert entry.needs_consent
    assert entry.outside_eea


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("privacy_policy: https://", "privacy_policy: http://"),
        ('url: "https://', 'url: "http://'),
        ("bases: [scc]", "bases: []"),
        ("countries: [US], bases", "countries: [DE], bases"),
        ("category: newsletter", "category: gossip"),
        ("role: processor", "role: owner"),
        ("dpa: in_terms", "dpa: signed"),
        ("purpose: marketing", "purpose: tasty"),
        ("{amount: 1, unit: years}", "{unit: fortnights}"),
        ("{amount: 1, unit: years}", "{amount: 1, unit: session}"),
        ("verify: []", "verify: [vendor.colour]"),
        ("verify: []", "verify: [nonsense]"),
        ("  sources: [", "  extra_key: 1\n  sources: ["),
        ("sources: [{url", "sources: []\n  x: [{url"),
        ("address: Somewhere 1", "address: null"),
        ("id: demo", "id: Demo-1"),
        ("country: US}", "country: USA}"),
    ],
)
def test_invalid_entries_rejected(old: str, new: str) -> None:
    assert old in MINIMAL_ENTRY
    with pytest.raises(CatalogueError):
        parse_catalogue(MINIMAL_ENTRY.replace(old, new), _texts())


def test_vendor_may_be_omitted_only_for_self_hosted() -> None:
    broken = MINIMAL_ENTRY.replace(
        "vendor: {entity: Demo Ltd, address: Somewhere 1, country: US}", "vendor: null"
    )
    with pytest.raises(CatalogueError, match="self-hosted"):
        parse_catalogue(broken, _texts())
    parse_catalogue(broken.replace("dpa: in_terms", "dpa: host"), _texts())


def test_a_described_cookie_row_needs_its_words_in_every_language() -> None:
    """A cookie row that describes a group ("Demo (session cookies)") is English text: in a
    Finnish or Swedish notice it must be said in that language, so the loader refuses an entry
    whose fi or sv text lacks it, and a name for a cookie the entry does not have."""
    described = MINIMAL_ENTRY.replace("{name: demo,", '{name: "Demo (session cookies)",')
    with pytest.raises(CatalogueError, match="needs cookie_names"):
        parse_catalogue(described, _texts())
    told = ('demo:\n  description: "Demo"\n  flows: {contacts: "Contacts"}\n'
            '  cookie_names: {"Demo (session cookies)": "Demo (istuntoevästeet)"}\n')
    cat = parse_catalogue(described, _texts(told))
    names = cat.text("demo", "fi").cookie_names
    assert names == {"Demo (session cookies)": "Demo (istuntoevästeet)"}
    with pytest.raises(CatalogueError, match="no described cookie"):
        parse_catalogue(MINIMAL_ENTRY, _texts(told))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_english_cookie_description_reaches_a_finnish_or_swedish_notice(lang: str) -> None:
    """Round six found "PayPal cookies (on sites using PayPal's services)" in the Finnish
    cookie table: every described row of the shipped catalogue is resolved in the language."""
    catalogue = load_catalogue()
    described = [(e.id, c.name) for e in catalogue.entries.values() for c in e.cookies
                 if " " in c.name]
    assert len(described) >= 7
    for sid, english in described:
        names = {c.name for c in resolve(ServiceUse(catalogue_id=sid), lang).cookies}
        assert english not in names, (sid, english)
        assert catalogue.text(sid, lang).cookie_names[english] in names


#: Words of the catalogue's English names that are not part of a brand.
ENGLISH_WORDS = {"the", "on", "site", "videos", "pixel", "page", "company", "self-hosted",
                 "loaded", "from", "and", "tracking", "conversion", "cookies", "messages"}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_service_names_in_finnish_and_swedish_notices_are_not_english(lang: str) -> None:
    """A name such as "YouTube videos on the site" is a description, not a brand: the
    Finnish notice printed it as it stood (round six) until fi and sv got their own."""
    catalogue = load_catalogue()
    english = {}
    for entry in catalogue.entries.values():
        name = resolve(ServiceUse(catalogue_id=entry.id), lang).name
        words = {w.strip("()").casefold() for w in name.split()}
        if words & ENGLISH_WORDS:
            english[entry.id] = name
    assert english == {}


def test_duplicate_ids_rejected() -> None:
    with pytest.raises(CatalogueError, match="duplicate"):
        parse_catalogue(MINIMAL_ENTRY + MINIMAL_ENTRY, _texts())


def test_missing_flow_text_rejected() -> None:
    body = 'demo:\n  description: "Demo"\n  flows: {other: "x"}\n  actions: ["Do"]\n'
    with pytest.raises(CatalogueError, match="flow texts"):
        parse_catalogue(MINIMAL_ENTRY, _texts(body))


def test_missing_language_text_rejected() -> None:
    texts = _texts()
    texts["sv"] = CATS
    with pytest.raises(CatalogueError, match="sv: no text for demo"):
        parse_catalogue(MINIMAL_ENTRY, texts)


def test_empty_text_rejected() -> None:
    body = 'demo:\n  description: "  "\n  flows: {contacts: "Contacts"}\n  actions: ["Do"]\n'
    with pytest.raises(CatalogueError):
        parse_catalogue(MINIMAL_ENTRY, _texts(body))


def test_joint_essence_required_iff_joint_controller() -> None:
    joint = MINIMAL_ENTRY.replace("role: processor", "role: joint_controller")
    with pytest.raises(CatalogueError, match="without joint_essence"):
        parse_catalogue(joint, _texts())
    body = (
        'demo:\n  description: "Demo"\n  flows: {contacts: "Contacts"}\n'
        '  actions: ["Do"]\n  joint_essence: "We and Demo share the job."\n'
    )
    parse_catalogue(joint, _texts(body))
    with pytest.raises(CatalogueError, match="no joint controller"):
        parse_catalogue(MINIMAL_ENTRY, _texts(body))


def test_missing_categories_rejected() -> None:
    texts = _texts()
    texts["en"] = texts["en"].replace("  consent: consent name\n", "")
    with pytest.raises(CatalogueError, match="category names missing"):
        parse_catalogue(MINIMAL_ENTRY, texts)


def test_unknown_cookie_duration_needs_verify() -> None:
    unknown = MINIMAL_ENTRY.replace("duration: {amount: 1, unit: years}", "duration: null")
    with pytest.raises(CatalogueError, match="cookie duration"):
        parse_catalogue(unknown, _texts())
    parse_catalogue(unknown.replace("verify: []", "verify: [cookies]"), _texts())
