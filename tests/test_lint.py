"""The lint of an existing notice: the seeds, each keyword family, services, files, the page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from seloste.catalogue import load_catalogue, service_patterns
from seloste.examples import NAMES, load_example
from seloste.i18n import LANGS, Texts
from seloste.lint import (
    FileProblem,
    LintReport,
    extract_text,
    format_lint,
    lint_bytes,
    lint_file,
    lint_text,
    recognise_services,
)
from seloste.render.document import build_document
from seloste.rules import ITEM_IDS, LINT_ONLY, RULES, Severity
from seloste.web.widgets import md

ROOT = Path(__file__).resolve().parents[1]
#: Old notices to lint, copied into the repository (tests/data/README.md says from where).
SEEDS = ROOT / "tests" / "data"


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def meunier() -> LintReport:
    return lint_text(seed("meunier-2019"))


@pytest.fixture(scope="module")
def keinuma() -> LintReport:
    return lint_text(seed("keinuma-2023"))


# ---------------------------------------------------------------- the seeds (issue #5)


@pytest.mark.parametrize("name", ["meunier-2019", "keinuma-2023"])
def test_seed_findings(name: str) -> None:
    report = lint_text(seed(name))
    assert "523/1999" in {h.matched for h in report.outdated}
    assert "10 § ja 24 §" in {h.matched for h in report.outdated}
    missing = {m.item: m for m in report.missing}
    assert "K1" in missing
    assert "P1" in missing
    assert {"portability", "restriction", "objection"} <= set(missing["RT"].rights)
    assert {"access", "erasure"}.isdisjoint(missing["RT"].rights)  # both seeds have these
    for item in ("C1", "R1", "S1", "SRC"):  # clearly there: not reported
        assert item not in missing, item


def test_meunier_transfer_contradiction_and_pixel(meunier: LintReport) -> None:
    rules = {f.rule_id: f for f in meunier.findings}
    denied = rules["lint_transfer_denied"]
    assert denied.items == ("T1",) and denied.severity is Severity.error
    assert set(denied.param("transfers").split()) == {
        "google_analytics", "meta_pixel", "activecampaign", "thinkific"}
    assert "meta_pixel" in rules["lint_joint_controller"].param("services").split()
    assert "lint_cookie_consent" in rules
    assert "lint_processors_denied" in rules
    assert "lint_retention_vague" in rules
    assert meunier.missing_items.count("P1") == 1
    assert next(m for m in meunier.missing if m.item == "P1").reason == "old"
    assert set(meunier.services) == {"google_analytics", "meta_pixel", "activecampaign",
                                     "thinkific"}


def test_keinuma_transfers_without_safeguard(keinuma: LintReport) -> None:
    rules = {f.rule_id: f for f in keinuma.findings}
    assert "lint_transfer_no_safeguard" in rules
    assert "lint_transfer_denied" not in rules
    assert set(rules["lint_joint_controller"].param("services").split()) == {
        "facebook_page", "instagram_page"}
    assert "lint_cookie_consent" not in rules  # it asks for consent to non-essential cookies
    assert "lint_retention_vague" not in rules  # one year, ten years
    assert next(m for m in keinuma.missing if m.item == "P1").reason == "untied"
    assert set(keinuma.services) == {"activecampaign", "google_analytics", "facebook_page",
                                     "instagram_page"}
    assert "O1" not in keinuma.missing_items  # "vapaaehtoisesti"


def test_seed_report_text(meunier: LintReport) -> None:
    text = format_lint(meunier, "fi", "text")
    assert "523/1999" in text
    assert "Thinkific (Kanada)" in text
    assert "Saattaa puuttua" in text
    en = format_lint(meunier, "en", "text")
    assert "Thinkific (Canada)" in en and "May be missing" in en


def test_report_json(keinuma: LintReport) -> None:
    data = json.loads(format_lint(keinuma, "sv", "json"))
    assert {"characters", "outdated", "missing", "services", "findings"} <= set(data)
    assert {"rule_id": "outdated_law", "matched": "523/1999"}.items() <= \
        next(h for h in data["outdated"] if h["matched"] == "523/1999").items()
    assert {m["item"] for m in data["missing"]} >= {"K1", "P1", "RT"}
    assert data["services"][0] == {"id": "activecampaign", "name": "ActiveCampaign"}
    with pytest.raises(ValueError):
        format_lint(keinuma, "fi", "yaml")


# ---------------------------------------------------------------- our own notices lint clean


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", [lang.value for lang in LANGS])
def test_rendered_examples_lint_clean(name: str, lang: str) -> None:
    report = lint_text(build_document(load_example(name), lang).plain_text())
    assert report.outdated == []
    assert report.missing == []
    assert report.findings == []
    assert report.clean()
    assert "meta_pixel" in report.services or "facebook_page" in report.services


# ---------------------------------------------------------------- outdated law


@pytest.mark.parametrize(("text", "rule_id"), [
    ("Seloste perustuu henkilötietolakiin.", "outdated_law"),
    ("Noudatamme henkilötietolakia ja hyvää tapaa.", "outdated_law"),
    ("Henkilötietolain 10 §:n mukainen", "outdated_law"),
    ("laki 523 / 1999", "outdated_law"),
    ("HetiL 10 § ja 24 §", "outdated_law"),
    ("enligt personuppgiftslagen", "outdated_law"),
    ("under the Personal Data Act", "outdated_law"),
    ("sähköisen viestinnän tietosuojalain mukaan", "outdated_ecomms_law"),
    ("laki yksityisyyden suojasta televiestinnässä", "outdated_ecomms_law"),
    ("Privacy Shield -järjestelyyn", "invalid_transfer_basis"),
    ("EU-US Privacy-Shield", "invalid_transfer_basis"),
    ("Safe Harbor", "invalid_transfer_basis"),
    ("Viestintäviraston ohjeen mukaan", "outdated_authority"),
    ("Kommunikationsverket", "outdated_authority"),
    ("REKISTERISELOSTE", "register_form"),
    ("Rekisteri- ja tietosuojaseloste", "register_form"),
    ("registerbeskrivning", "register_form"),
])
def test_outdated_words(text: str, rule_id: str) -> None:
    hits = lint_text(text).outdated
    assert rule_id in {h.rule_id for h in hits}


@pytest.mark.parametrize("text", [
    "Tietosuojalaki (1050/2018) ja tietosuoja-asetus.",
    "Henkilötietolajit: nimi ja sähköposti.",
    "Laki yksityisyyden suojasta työelämässä (759/2004).",
    "EU:n ja Yhdysvaltojen tietosuojakehys (Data Privacy Framework).",
    "Traficom valvoo evästeitä.",
    "Tämä tietosuojaseloste koskee asiakkaita.",
])
def test_current_law_is_not_outdated(text: str) -> None:
    assert lint_text(text).outdated == []


def test_outdated_hits_have_lines_and_the_text_as_written() -> None:
    report = lint_text("Otsikko\n\nPerustuu Henkilötietolakiin (523/1999).\n523/1999")
    hits = {(h.matched, h.line) for h in report.outdated}
    assert ("Henkilötietolakiin", 3) in hits
    assert ("523/1999", 3) in hits  # first line only
    assert len([h for h in report.outdated if h.matched == "523/1999"]) == 1


# ---------------------------------------------------------------- items, one at a time

COMPLETE = """Tietosuojaseloste
Rekisterinpitäjä: Testi Oy, Y-tunnus 3299471-6, Testikatu 1, 00100 Helsinki, info@testi.fi.
Keräämme nimen, sähköpostiosoitteen ja puhelinnumeron.
Uutiskirjeen lähettäminen – peruste: suostumuksesi (6 artiklan 1 kohdan a alakohta).
Asiakassuhteen hoitaminen – peruste: oikeutettu etumme (6 artiklan 1 kohdan f alakohta).
Oikeutettu etumme on pitää yhteyttä asiakkaisiin.
Saamme tiedot sinulta itseltäsi lomakkeella.
Tietojen antaminen on vapaaehtoista.
Henkilötietojen käsittelijät: tilitoimisto.
Säilytämme tietoja 2 vuotta asiakassuhteen päättymisestä.
Sinulla on oikeus saada pääsy tietoihin, oikeus tietojen oikaisemiseen ja poistamiseen
, oikeus käsittelyn rajoittamiseen, oikeus vastustaa käsittelyä ja oikeus siirtää tiedot
järjestelmästä toiseen.
Voit peruuttaa suostumuksesi milloin tahansa.
Voit tehdä valituksen valvontaviranomaiselle eli tietosuojavaltuutetun toimistolle.
Emme tee automaattisia päätöksiä emmekä profiloi.
Jos käytämme tietoja uuteen käyttötarkoitukseen, kerromme siitä etukäteen.
"""


def test_complete_text_misses_nothing() -> None:
    assert lint_text(COMPLETE).missing == []


@pytest.mark.parametrize(("remove", "item"), [
    ("Rekisterinpitäjä: Testi Oy, Y-tunnus 3299471-6, Testikatu 1, 00100 Helsinki, "
     "info@testi.fi.", "C1"),
    ("Oikeutettu etumme on pitää yhteyttä asiakkaisiin.", "P2"),
    ("Keräämme nimen, sähköpostiosoitteen ja puhelinnumeron.", "D1"),
    ("Henkilötietojen käsittelijät: tilitoimisto.", "R1"),
    ("Säilytämme tietoja 2 vuotta asiakassuhteen päättymisestä.", "S1"),
    ("Voit peruuttaa suostumuksesi milloin tahansa.", "W1"),
    ("Voit tehdä valituksen valvontaviranomaiselle eli tietosuojavaltuutetun toimistolle.", "K1"),
    ("Tietojen antaminen on vapaaehtoista.", "O1"),
    ("Saamme tiedot sinulta itseltäsi lomakkeella.", "SRC"),
    ("Emme tee automaattisia päätöksiä emmekä profiloi.", "A1"),
    ("Jos käytämme tietoja uuteen käyttötarkoitukseen, kerromme siitä etukäteen.", "F1"),
])
def test_each_item_is_missed_when_removed(remove: str, item: str) -> None:
    assert remove in COMPLETE
    assert lint_text(COMPLETE.replace(remove, "")).missing_items == [item]


def test_rights_are_checked_one_by_one() -> None:
    text = COMPLETE.replace(", oikeus käsittelyn rajoittamiseen", "")
    rt = next(m for m in lint_text(text).missing if m.item == "RT")
    assert rt.rights == ("restriction",)
    assert "oikeus käsittelyn rajoittamiseen" in rt.message("fi")


def test_p1_reasons() -> None:
    untied = COMPLETE.replace(" – peruste: suostumuksesi (6 artiklan 1 kohdan a alakohta)", "") \
        .replace(" – peruste: oikeutettu etumme (6 artiklan 1 kohdan f alakohta)", "") \
        + "Käsittelyperusteet: suostumus, sopimus ja oikeutettu etu.\n"
    assert next(m for m in lint_text(untied).missing if m.item == "P1").reason == "untied"
    none = "Rekisterinpitäjä Testi Oy, info@testi.fi. Keräämme nimen ja sähköpostin."
    assert next(m for m in lint_text(none).missing if m.item == "P1").reason == "none"
    old = COMPLETE + "Perusteena on asiakassuhde tai muu asiallinen yhteys.\n"
    assert next(m for m in lint_text(old).missing if m.item == "P1").reason == "old"


def test_p1_table_rows_count_as_tied() -> None:
    table = COMPLETE.replace(
        "Uutiskirjeen lähettäminen – peruste: suostumuksesi (6 artiklan 1 kohdan a alakohta).\n"
        "Asiakassuhteen hoitaminen – peruste: oikeutettu etumme (6 artiklan 1 kohdan f alakohta).",
        "Tarkoitus | Oikeusperuste\nUutiskirje | Suostumus\nAsiakassuhde | Oikeutettu etu",
    )
    assert "P1" not in lint_text(table).missing_items


@pytest.mark.parametrize("text", [
    "Sinulla on oikeus tehdä valitus valvontaviranomaiselle.",
    "Voit kääntyä tietosuojavaltuutetun puoleen.",
    "Du har rätt att lämna in klagomål till tillsynsmyndigheten.",
    "You may lodge a complaint with the supervisory authority.",
])
def test_k1_in_every_language_and_inflection(text: str) -> None:
    assert "K1" not in lint_text(text).missing_items


def test_swedish_and_english_notices_are_understood() -> None:
    for lang in ("sv", "en"):
        report = lint_text(build_document(load_example("meunier"), lang).plain_text())
        assert report.missing == [], lang


# ---------------------------------------------------------------- catalogue-based findings


def test_transfer_mentioned_without_safeguard_and_no_known_service() -> None:
    text = COMPLETE + "Osa tiedoista voidaan säilyttää EU:n tai ETA:n ulkopuolella.\n"
    m = next(m for m in lint_text(text).missing if m.item == "T1")
    assert m.reason == "safeguard"
    named = text + "Siirrot perustuvat vakiosopimuslausekkeisiin.\n"
    assert "T1" not in lint_text(named).missing_items


def test_transfers_with_safeguards_named_are_fine() -> None:
    text = COMPLETE + ("Käytämme Mailchimpiä. Tietoja siirretään Yhdysvaltoihin EU:n ja "
                       "Yhdysvaltojen tietosuojakehyksen (Data Privacy Framework) perusteella.\n")
    report = lint_text(text)
    assert report.services == ["mailchimp"]
    assert not {"lint_transfer_no_safeguard", "lint_transfer_denied"} & report.rule_ids()


def test_services_in_the_eea_need_no_transfer_text() -> None:
    report = lint_text(COMPLETE + "Laskutamme Procountorilla ja maksut hoitaa Paytrail.\n")
    assert report.services == ["procountor", "paytrail"]
    assert report.findings == []


def test_joint_controllership_mentioned() -> None:
    text = COMPLETE + ("Käytämme Facebook-pikseliä evästesuostumuksesi perusteella. Olemme "
                       "Metan kanssa yhteisrekisterinpitäjiä. Tietoja siirretään "
                       "Yhdysvaltoihin tietosuojakehyksen perusteella.\n")
    assert lint_text(text).findings == []
    without = text.replace("Olemme Metan kanssa yhteisrekisterinpitäjiä. ", "")
    assert [f.rule_id for f in lint_text(without).findings] == ["lint_joint_controller"]


def test_cookie_consent_for_trackers() -> None:
    text = COMPLETE + "Sivustolla on Google Analytics. Sivusto käyttää evästeitä.\n" \
        "Siirrot Yhdysvaltoihin perustuvat vakiosopimuslausekkeisiin.\n"
    assert "lint_cookie_consent" in lint_text(text).rule_ids()
    ok = text.replace("Sivusto käyttää evästeitä.",
                      "Analytiikkaevästeet otetaan käyttöön vain suostumuksellasi.")
    assert "lint_cookie_consent" not in lint_text(ok).rule_ids()


def test_processors_denied() -> None:
    text = COMPLETE.replace("Henkilötietojen käsittelijät: tilitoimisto.", "") \
        + "Käytämme Zoomia. Tietoja ei luovuteta kolmansille osapuolille.\n"
    assert "lint_processors_denied" in lint_text(text).rule_ids()
    assert "lint_processors_denied" not in lint_text(
        text + "Zoom on henkilötietojen käsittelijä.\n").rule_ids()


def test_vague_retention() -> None:
    vague = COMPLETE.replace("Säilytämme tietoja 2 vuotta asiakassuhteen päättymisestä.",
                             "Säilytämme tietoja niin kauan kuin on tarpeen.")
    assert "lint_retention_vague" in lint_text(vague).rule_ids()
    assert "lint_retention_vague" not in lint_text(COMPLETE + "niin kauan kuin on tarpeen"
                                                   ).rule_ids()


def test_every_lint_rule_is_exercised(meunier: LintReport, keinuma: LintReport) -> None:
    seen = meunier.rule_ids() | keinuma.rule_ids()
    seen |= lint_text("Rekisteriseloste. Privacy Shield. Viestintävirasto. 516/2004").rule_ids()
    assert seen >= LINT_ONLY
    assert {"outdated_law", "outdated_ecomms_law", "invalid_transfer_basis",
            "outdated_authority"} <= seen


# ---------------------------------------------------------------- services


def test_every_catalogue_service_has_a_pattern() -> None:
    catalogue = load_catalogue()
    assert set(service_patterns()) == set(catalogue.entries)


@pytest.mark.parametrize("service_id", sorted(load_catalogue().entries))
def test_service_recognised_by_its_catalogue_name(service_id: str) -> None:
    name = load_catalogue().get(service_id).name
    assert service_id in recognise_services(f"Käytämme palvelua {name}.")


@pytest.mark.parametrize(("text", "expected"), [
    ("uutiskirjeet lähetetään Active Campaign -palvelulla", ["activecampaign"]),
    ("Facebookin pikseli tunnistaa kävijän", ["meta_pixel"]),
    ("Meta Pixel ja Conversions API", ["meta_pixel"]),
    ("Facebook- ja Instagramtileillä vierailevista", ["facebook_page", "instagram_page"]),
    ("Mailchimpiin tallennetaan", ["mailchimp"]),
    ("Thinkificin kurssialusta", ["thinkific"]),
    ("Google Analytics -palvelun avulla", ["google_analytics"]),
    ("Lähetämme tilaukset Postin kautta", ["posti"]),
])
def test_services_in_running_text(text: str, expected: list[str]) -> None:
    assert recognise_services(text) == expected


@pytest.mark.parametrize("text", [
    "Lähetä sähköpostia tai postia osoitteeseen.",
    "Voit zoomata kuvaa. Raidallinen (stripe) kuvio.",
    "Nähdä Facebookissa mainoksen, jos olet kirjautuneena Facebookiin.",
    "Holvikellari ja teachable moments",
])
def test_ordinary_words_are_not_services(text: str) -> None:
    assert recognise_services(text) == []


# ---------------------------------------------------------------- files


def test_txt_and_md(tmp_path: Path) -> None:
    p = tmp_path / "vanha.txt"
    p.write_text("Henkilötietolaki (523/1999)", encoding="utf-8")
    assert lint_file(p).outdated
    md = tmp_path / "vanha.md"
    md.write_bytes("\ufeff# Rekisteriseloste".encode())
    assert lint_file(md).outdated[0].rule_id == "register_form"


def test_windows_text_is_read() -> None:
    data = "Henkilötietolaki (523/1999)".encode("cp1252")
    assert "Henkilötietolaki" in extract_text(data, "vanha.txt")


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Tietosuojaseloste")
    document.add_paragraph("Seloste perustuu henkilötietolakiin (523/1999).")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Tarkoitus"
    table.cell(0, 1).text = "Oikeusperuste"
    table.cell(1, 0).text = "Uutiskirje"
    table.cell(1, 1).text = "Privacy Shield"
    document.sections[0].footer.paragraphs[0].text = "Viestintävirasto"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_tables_and_footer(tmp_path: Path) -> None:
    p = tmp_path / "vanha.docx"
    p.write_bytes(_docx_bytes())
    text = extract_text(p.read_bytes(), p.name)
    assert "Tarkoitus | Oikeusperuste" in text
    assert "Uutiskirje | Privacy Shield" in text
    rules = {h.rule_id for h in lint_file(p).outdated}
    assert rules == {"outdated_law", "invalid_transfer_basis", "outdated_authority"}


def test_html_text_only() -> None:
    html = b"""<!doctype html><html><head><title>x</title>
    <script>var s = "Henkil\xc3\xb6tietolaki 523/1999";</script><style>p{}</style></head>
    <body><h1>Tietosuojaseloste</h1><p>Perustuu GDPR:&auml;&auml;n ja
    <b>Privacy&nbsp;Shieldiin</b>.</p><table><tr><td>Uutiskirje</td><td>Suostumus</td></tr>
    </table><noscript>Viestint\xc3\xa4virasto</noscript></body></html>"""
    text = extract_text(html, "seloste.html")
    assert "523/1999" not in text and "Viestintävirasto" not in text
    assert "GDPR:ään" in text
    assert "Uutiskirje | Suostumus" in text
    assert {h.rule_id for h in lint_bytes(html, "x.htm").outdated} == {"invalid_transfer_basis"}


def test_html_in_a_declared_charset() -> None:
    html = '<meta charset="windows-1252"><p>Henkilötietolaki</p>'.encode("cp1252")
    assert "Henkilötietolaki" in extract_text(html, "a.html")


@pytest.mark.parametrize(("data", "name", "kind"), [
    (b"%PDF-1.4", "vanha.pdf", "unsupported"),
    (b"\xd0\xcf\x11\xe0 old word", "vanha.doc", "unsupported"),
    (b"text", "noextension", "unsupported"),
    (b"not a zip", "vanha.docx", "not_docx"),
    (b"PK\x03\x04 broken zip", "vanha.docx", "broken_docx"),
    (b"\x00\x01\x02binary", "vanha.txt", "not_text"),
    (b"   \n  ", "tyhja.txt", "empty"),
    (b"<html><script>x</script></html>", "tyhja.html", "empty"),
])
def test_unreadable_files(data: bytes, name: str, kind: str) -> None:
    with pytest.raises(FileProblem) as info:
        extract_text(data, name)
    assert info.value.kind == kind
    assert isinstance(info.value, ValueError)
    for lang in LANGS:
        assert info.value.message(lang)


def test_empty_text_is_an_error() -> None:
    with pytest.raises(ValueError):
        lint_text("  \n ")


def test_every_message_key_exists() -> None:
    for lang in LANGS:
        t = Texts("seloste.findings", lang)
        for item in ITEM_IDS:
            assert t.has(f"item.{item}")
        for rule_id in RULES:
            assert t.has(f"rule.{rule_id}")
        for key in ("P1_none", "P1_untied", "P1_old", "T1_safeguard"):
            assert t.has(f"lint.missing.{key}")


# ---------------------------------------------------------------- the page


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "check_notice.py"), default_timeout=30)
    at.run()
    assert not at.exception
    return at


def test_page_checks_pasted_text() -> None:
    at = _page()
    at.text_area(key="check_notice.text").set_value(seed("meunier-2019"))
    at.button(key="check_notice.run").click()
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "523/1999" in errors
    assert "Thinkific (Kanada)" in errors
    assert any("K1" in w.value for w in at.warning)
    assert at.button(key="check_notice.new").label == "Aloita uusi seloste"


def test_page_checks_an_uploaded_file() -> None:
    at = _page()
    at.file_uploader(key="check_notice.file").set_value(
        ("vanha.docx", _docx_bytes(), "application/octet-stream"))
    at.button(key="check_notice.run").click()
    at.run()
    assert not at.exception
    assert any(md("vanha.docx") in c.value for c in at.caption)  # the name as text
    assert "Privacy Shield" in " ".join(e.value for e in at.error)


def test_page_reports_broken_files_and_empty_input() -> None:
    at = _page()
    at.file_uploader(key="check_notice.file").set_value(
        ("rikki.docx", b"PK\x03\x04 broken", "application/octet-stream"))
    at.button(key="check_notice.run").click()
    at.run()
    assert not at.exception
    assert md("rikki.docx") in at.error[0].value
    at.file_uploader(key="check_notice.file").set_value(None)
    at.button(key="check_notice.run").click()
    at.run()
    assert at.error[0].value == Texts("seloste.web.ui", "fi")("check_notice.empty")


def test_docs_name_every_lint_rule() -> None:
    doc = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    for rule_id in sorted(LINT_ONLY - {"register_form"}):
        assert f"`{rule_id}`" in doc, rule_id
