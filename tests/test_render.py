"""Renderers: every example in every language and format, read back and checked."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from helpers import docx_text, html_text, html_tree, printed_strings

from seloste.examples import NAMES, load_example
from seloste.geo import country_name
from seloste.i18n import Texts
from seloste.model import (
    Controller,
    CookieSettings,
    CustomService,
    Notice,
    Person,
    PurposeEntry,
    Register,
    RetentionRule,
    ServiceUse,
)
from seloste.render import Format, render
from seloste.render.document import build_document, format_day
from seloste.vocab import ConsentMechanism, Lang, LegalBasis, Purpose, Role, TransferBasis

LANGS = ["fi", "sv", "en"]


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=NAMES)
def example(request: pytest.FixtureRequest) -> Notice:
    return load_example(request.param)


@pytest.mark.parametrize("lang", LANGS)
def test_docx_holds_every_user_string(example: Notice, lang: str) -> None:
    data = render(example, Format.docx, lang)
    text = _norm(docx_text(data))
    for path, value in printed_strings(example, lang):
        assert _norm(value) in text, path
    document = docx.Document(io.BytesIO(data))
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    # h3 sub-headings gave way to labelled paragraphs and tables (issue #12); the first layer
    # is the shaded Summary box, the table of contents Word's own "toc 1" entries
    assert {"Heading 1", "Title", "List Bullet", "Summary", "Summary Heading", "toc 1"} <= styles
    assert abs(document.sections[0].page_width.mm - 210) < 1
    assert abs(document.sections[0].page_height.mm - 297) < 1
    assert document.core_properties.title.startswith(example.controller.name)
    assert document.core_properties.author == example.controller.name
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_html_fragment_parses_and_holds_every_user_string(example: Notice, lang: str) -> None:
    fragment = render(example, Format.html, lang).decode()
    tag = {"fi": "fi-FI", "sv": "sv-FI", "en": "en"}[lang]
    assert fragment.startswith(f'<section lang="{tag}"')
    tree = html_tree(fragment)
    body = tree.find("body")
    assert body is not None and body[0].tag == "section"
    assert body[0][0].tag == "h2"
    assert not tree.findall(".//script") and not tree.findall(".//style")
    for el in tree.iter():
        assert not any(a.lower().startswith("on") for a in el.attrib), el.tag
    anchors = {el.get("id") for el in tree.iter() if el.get("id")}
    for link in tree.findall(".//nav//a"):
        assert link.get("href", "")[1:] in anchors
    shown = _norm(html_text(fragment))
    for path, value in printed_strings(example, lang):
        assert _norm(value) in shown, path


@pytest.mark.parametrize("lang", LANGS)
def test_page_and_markdown(example: Notice, lang: str) -> None:
    page = render(example, Format.page, lang).decode()
    tree = html_tree(page)
    assert tree.get("lang") in ("fi-FI", "sv-FI", "en")
    title = tree.find(".//title")
    assert title is not None and example.controller.name in (title.text or "")
    assert tree.find(".//h1") is not None
    md = render(example, Format.md, lang).decode()
    assert md.startswith("# ")
    assert md.count("\n## ") >= 6


def test_rendering_is_deterministic() -> None:
    notice = load_example("keinuma")
    for fmt in Format:
        assert render(notice, fmt) == render(notice, fmt), fmt


def test_current_law_and_complaint_in_every_language() -> None:
    notice = load_example("meunier")
    for lang in LANGS:
        text = build_document(notice, lang).plain_text()
        assert "2016/679" in text and "1050/2018" in text and "523/1999" not in text
        assert "tietosuoja@om.fi" in text
        assert ("P.O. Box 800" if lang == "en" else "800, 00531") in text


#: The authority block as the office writes it in each language (domain.md §3).
AUTHORITY = {
    "fi": ("Postiosoite: PL 800, 00531 Helsinki", "tietosuoja@om.fi", "https://tietosuoja.fi"),
    "sv": ("Postadress: PB 800, 00531 Helsingfors", "tietosuoja@om.fi",
           "https://tietosuoja.fi/sv"),
    "en": ("P.O. Box 800, 00531 Helsinki, Finland", "tietosuoja@om.fi",
           "https://tietosuoja.fi/en"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_authority_block_is_correct_in_each_language(lang: str) -> None:
    text = build_document(load_example("keinuma"), lang).plain_text()
    for line in AUTHORITY[lang]:
        assert line in text
    assert "Lintulahtisgränden" not in text


def test_dates_by_language() -> None:
    day = dt.date(2025, 3, 4)
    assert format_day(day, Lang.fi) == "4.3.2025"
    assert format_day(day, Lang.sv) == "4.3.2025"
    assert format_day(day, Lang.en) == "4 March 2025"


def _notice(*purposes: PurposeEntry, services: list[ServiceUse] | None = None) -> Notice:
    return Notice(
        controller=Controller(name="Testi Oy", email="info@testi.fi"),
        registers=[Register(name="Rekisteri", purposes=list(purposes),
                            services=services or [],
                            retention=[RetentionRule(preset="accounting_vouchers")])],
    )


def test_rights_follow_the_bases() -> None:
    only_obligation = build_document(_notice(PurposeEntry(
        purpose=Purpose.invoicing_accounting, basis=LegalBasis.legal_obligation)), "en"
    ).plain_text()
    assert "portability" not in only_obligation.lower()
    assert "withdraw your consent" not in only_obligation
    assert "direct marketing" not in only_obligation
    assert "Right to object" not in only_obligation
    consent = build_document(_notice(PurposeEntry(
        purpose=Purpose.newsletter, basis=LegalBasis.consent)), "en").plain_text()
    assert "machine-readable format" in consent
    assert "withdraw your consent" in consent
    assert "direct marketing" in consent
    interest = build_document(_notice(PurposeEntry(
        purpose=Purpose.customer_relationship, basis=LegalBasis.legitimate_interest,
        legitimate_interest="Keeping in touch")), "en").plain_text()
    assert "Your right to object" in interest and "Keeping in touch" in interest
    # Art. 21(1): the company stops unless it has compelling grounds; no public task here
    assert "compelling legitimate grounds" in interest and "public interest" not in interest
    assert "portability" not in interest.lower()
    for text in (only_obligation, consent, interest):
        assert "one month" in text and "Data Protection Ombudsman" in text


def test_transfers_derived_from_services() -> None:
    finnish = _notice(PurposeEntry(purpose=Purpose.invoicing_accounting,
                                   basis=LegalBasis.legal_obligation),
                      services=[ServiceUse(catalogue_id="procountor"),
                                ServiceUse(catalogue_id="paytrail")])
    text = build_document(finnish, "fi").plain_text()
    assert "Emme siirrä henkilötietoja EU:n tai Euroopan talousalueen (ETA) ulkopuolelle." in text
    us = _notice(PurposeEntry(purpose=Purpose.newsletter, basis=LegalBasis.consent),
                 services=[ServiceUse(catalogue_id="mailchimp")])
    text = build_document(us, "fi").plain_text()
    row = next(r for b in build_document(us, "fi").blocks if b.kind == "table"
               for r in b.rows if r[0].startswith("Mailchimp"))
    assert row[-1] == "Yhdysvallat: tietosuojakehys (45 art.), vakiosopimuslausekkeet (46 art.)"
    assert "tietosuojakehys" in text and "vakiosopimuslausekkeet" in text


def test_custom_service_rendered_with_role_and_transfer() -> None:
    custom = CustomService(name="Oma CRM <beta>", entity="CRM Ltd", role=Role.processor,
                           country="us", transfer_basis=TransferBasis.scc,
                           purpose="Asiakastietojen hallinta")
    notice = _notice(PurposeEntry(purpose=Purpose.customer_relationship,
                                  basis=LegalBasis.contract),
                     services=[ServiceUse(custom=custom)])
    html = render(notice, Format.html, "fi").decode()
    shown = html_text(html)
    row = next(r for b in build_document(notice, "fi").blocks if b.kind == "table"
               for r in b.rows if r[0].startswith("Oma CRM"))
    assert row == ["Oma CRM <beta> (CRM Ltd)", "Asiakastietojen hallinta",
                   "henkilötietojen käsittelijä", "Yhdysvallat",
                   "Yhdysvallat: vakiosopimuslausekkeet (46 art.)"]
    assert "Saat kopion vakiosopimuslausekkeista pyynnöstä." in shown
    assert "&lt;beta&gt;" in html


@pytest.mark.parametrize("lang,short,copy", [
    ("fi", "sitovat yrityssäännöt (47 art.)",
     "Saat kopion vakiosopimuslausekkeista ja sitovista yrityssäännöistä pyynnöstä."),
    ("sv", "bindande företagsbestämmelser (artikel 47)",
     "Du får en kopia av standardavtalsklausulerna och de bindande företagsbestämmelserna på "
     "begäran."),
    ("en", "binding corporate rules (Article 47)",
     "The standard contractual clauses and the binding corporate rules are available on "
     "request."),
])
def test_binding_corporate_rules_are_a_basis_of_their_own(lang: str, short: str,
                                                          copy: str) -> None:
    """PayPal moves EU users' data within its group on its Binding Corporate Rules (Art. 47),
    other transfers on adequacy or SCCs: the notice names each, and offers a copy of the
    safeguards it actually relies on (Art. 13(1)(f)) -- not only "the SCCs"."""
    shop = _notice(PurposeEntry(purpose=Purpose.order_handling, basis=LegalBasis.contract),
                   services=[ServiceUse(catalogue_id="paypal")])
    doc = build_document(shop, lang)
    row = next(r for b in doc.blocks if b.kind == "table" for r in b.rows
               if r[0].startswith("PayPal"))
    assert short in row[-1]
    assert country_name("US", lang) in row[-1] and country_name("GB", lang) in row[-1]
    assert copy in doc.plain_text()
    custom = CustomService(name="Konserni", entity="Group Inc.", role=Role.processor,
                           country="us", transfer_basis=TransferBasis.bcr)
    only_bcr = build_document(_notice(PurposeEntry(purpose=Purpose.order_handling,
                                                   basis=LegalBasis.contract),
                                      services=[ServiceUse(custom=custom)]), lang).plain_text()
    assert short in only_bcr and copy not in only_bcr
    assert Texts("seloste.clauses", lang)("transfers.copy_bcr") in only_bcr


def test_services_share_a_recipients_row_only_under_one_named_company() -> None:
    """Rows merge by company (issue #12): two custom services the user gave no company for
    are not one company, so each keeps its row, though role and country are the same; two
    under one named company in one role share it."""
    def custom(name: str, entity: str = "") -> ServiceUse:
        return ServiceUse(custom=CustomService(name=name, entity=entity, role=Role.processor,
                                               country="fi", purpose=f"{name} tekee"))

    def rows(*services: ServiceUse) -> list[str]:
        notice = _notice(PurposeEntry(purpose=Purpose.customer_relationship,
                                      basis=LegalBasis.contract), services=list(services))
        table = next(b for b in build_document(notice, "fi").blocks
                     if b.kind == "table" and b.header[0] == "Palvelu")
        return [row[0] for row in table.rows]

    assert rows(custom("Kirjanpito"), custom("Varmuuskopio")) == ["Kirjanpito", "Varmuuskopio"]
    assert rows(custom("Kirjanpito", "Tili Oy"), custom("Palkat", "Tili Oy")) == [
        "Kirjanpito ja Palkat (Tili Oy)"]


def test_joint_controller_paragraph_for_meta_pixel() -> None:
    notice = _notice(PurposeEntry(purpose=Purpose.targeted_advertising, basis=LegalBasis.consent),
                     services=[ServiceUse(catalogue_id="meta_pixel")])
    text = build_document(notice, "fi").plain_text()
    assert "yhteisrekisterinpitäjiä" in text
    assert "Meta Platforms Ireland" in text
    assert "Yhteisen vastuun pääasiallinen sisältö:" in text
    table = next(b for b in build_document(notice, "fi").blocks
                 if b.kind == "table" and b.header[0] == "Eväste")
    # the pixel's cookies of one kind and lifetime share a row
    fbp = next(row for row in table.rows if "_fbp" in row[0].split(", "))
    assert fbp[2] == "markkinointi" and fbp[4] == "tarvitaan"
    # how consent is asked is a claim: only once the user has answered it
    assert "jota kysymme evästebannerilla" not in text
    assert "Suostumuksen kysymisen tapaa ei ole vielä kerrottu." in text
    answered = notice.model_copy(update={"cookies": CookieSettings(
        uses_cookies=True, mechanism=ConsentMechanism.banner)})
    assert "jota kysymme evästebannerilla" in build_document(answered, "fi").plain_text()


HOSTILE = [
    "Smith & Sons <Oy> \"x\" 'y'",
    "{{ 7*7 }}",
    "{% if %}",
    "Kahvila 😀☕ Oy",
    "שלום עולם مرحبا",
    "a\x00b\x07c\x1bd",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
]


def _hostile_notice(value: str) -> Notice:
    return Notice(
        controller=Controller(name=value, street=value, postal_code=value, city=value),
        privacy_contact=Person(name=value, address=value),
        dpo=Person(name=value),
        eu_representative=Person(name=value, address=value),
        version_label=value,
        request_instructions=value,
        registers=[Register(
            name=value, custom_data_subjects=[value], custom_data_categories=[value],
            purposes=[PurposeEntry(description=value, basis=LegalBasis.legitimate_interest,
                                   legitimate_interest=value, requirement="voluntary",
                                   requirement_consequence=value)],
            special_note=value, source_details=value,
            services=[ServiceUse(custom=CustomService(name=value, entity=value,
                                                      purpose=value), note=value)],
            other_recipients=value,
            retention=[RetentionRule(what=value, reason=value, amount=1, unit="years")],
            automated_decisions=True, automated_logic=value, profiling=True,
            profiling_description=value, security_note=value,
        )],
    )


@pytest.mark.parametrize("value", [*HOSTILE, "x" * 5000])
def test_hostile_text_reads_back_exactly(value: str) -> None:
    notice = _hostile_notice(value)
    cleaned = notice.controller.name
    assert "\x00" not in cleaned
    docx_plain = docx_text(render(notice, Format.docx))
    html = render(notice, Format.html).decode()
    shown = html_text(html)
    if "7*7" in value:  # template syntax in user text is shown, never evaluated
        assert "49" not in shown and "49" not in docx_plain
    for path, text in printed_strings(notice):
        assert text in docx_plain, path
        assert text in shown, path
    tree = html_tree(html)
    assert not tree.findall(".//script") and not tree.findall(".//img")
    md = render(notice, Format.md).decode()
    assert "<script" not in md and "<img" not in md


def test_minimal_notice_renders_everywhere() -> None:
    empty = Notice()
    for lang in LANGS:
        for fmt in Format:
            assert render(empty, fmt, lang)
    text = build_document(empty, "fi").plain_text()
    assert "Tietosuojaseloste" in text and "Tietosuojavaltuutetun toimisto" in text


def test_template_syntax_never_evaluated() -> None:
    notice = _hostile_notice("{{ 7*7 }} {% if true %}yes{% endif %}")
    for lang in LANGS:
        md = render(notice, Format.md, lang).decode()
        assert not re.search(r"(?<![{\d])49(?!\d)", html_text(render(notice, Format.html,
                                                                         lang).decode()))
        assert "{% if true %}yes{% endif %}" in md
        assert "{{ 7\\*7 }}" in md


def test_multiline_answers_keep_their_line_breaks() -> None:
    notice = _hostile_notice("ensimmäinen rivi\ntoinen rivi")
    html = render(notice, Format.html).decode()
    assert "ensimmäinen rivi<br>\ntoinen rivi" in html
    assert "ensimmäinen rivi\ntoinen rivi" in html_text(html)
    assert "ensimmäinen rivi\ntoinen rivi" in docx_text(render(notice, Format.docx))
