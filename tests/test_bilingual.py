"""Several language versions in one file (`seloste.render.bilingual`), read back from the bytes.

The HTML is parsed and each version found by its ``lang``; the DOCX is opened with python-docx
and each paragraph's language read from its runs. Each version must be exactly the
single-language notice, in order, with working links between the versions.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import clients
import docx
import pytest
from docx.oxml.ns import qn
from helpers import docx_text, html_tree

from seloste.examples import NAMES, load_example
from seloste.i18n import Texts
from seloste.model import Notice
from seloste.render import Format, render
from seloste.render.bilingual import (
    render_bilingual_docx,
    render_bilingual_fragment,
    render_bilingual_page,
)
from seloste.render.document import AUTHORITY_WEB, build_document
from seloste.render.templating import LANG_TAGS
from seloste.vocab import Lang

PAIRS = [(Lang.fi, Lang.sv), (Lang.fi, Lang.en), (Lang.sv, Lang.fi)]
NS = {"h": "http://www.w3.org/1999/xhtml"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _text(element: Any) -> str:
    return _norm("".join(element.itertext()))


@pytest.fixture(scope="module", params=NAMES)
def example(request: pytest.FixtureRequest) -> Notice:
    return load_example(request.param)


# ---------------------------------------------------------------- the authority's own language


@pytest.mark.parametrize(("lang", "url"), [(Lang.fi, "https://tietosuoja.fi"),
                                           (Lang.sv, "https://tietosuoja.fi/sv"),
                                           (Lang.en, "https://tietosuoja.fi/en")])
def test_the_authority_is_linked_in_the_notice_language(lang: Lang, url: str) -> None:
    tree = html_tree(render(load_example("keinuma"), Format.html, lang).decode())
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert url in hrefs
    assert [h for h in hrefs if h and h.startswith("https://tietosuoja.fi")] == [url]
    assert set(AUTHORITY_WEB) == set(Lang)


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_page_holds_both_versions_each_with_its_own_lang(example: Notice, first: Lang,
                                                         second: Lang) -> None:
    page = render_bilingual_page(example, [first, second])
    tree = html_tree(page)
    assert tree.get("lang") == LANG_TAGS[first]
    sections = list(tree.iter("section"))
    assert [s.get("lang") for s in sections] == [LANG_TAGS[first], LANG_TAGS[second]]
    for section, lang in zip(sections, (first, second), strict=True):
        single = html_tree(render(example, Format.page, lang).decode())
        own = next(single.iter("section"))
        # The same words as the single-language page, in the same order.
        assert _text(section) == _text(own)
        heading = next(section.iter("h1"))
        assert heading.get("id") == f"seloste-{lang.value}-otsikko"
        assert _norm(heading.text or "") == build_document(example, lang).title
    # Ids are unique across the versions, and every in-page link has a target.
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    for a in tree.iter("a"):
        href = a.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href
    # The title names both versions.
    title = next(tree.iter("title")).text or ""
    assert build_document(example, first).title in title
    assert build_document(example, second).title in title


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_each_version_links_to_the_other_in_the_other_language(first: Lang,
                                                               second: Lang) -> None:
    tree = html_tree(render_bilingual_fragment(load_example("keinuma"), [first, second]))
    links = [a for a in tree.iter("a") if (a.get("href") or "").endswith("-otsikko")
             and a.get("hreflang")]
    assert [(a.get("href"), a.get("lang"), a.text) for a in links] == [
        (f"#seloste-{second.value}-otsikko", LANG_TAGS[second],
         Texts("seloste.clauses", second)("bilingual.link")),
        (f"#seloste-{first.value}-otsikko", LANG_TAGS[first],
         Texts("seloste.clauses", first)("bilingual.link")),
    ]
    # The fragment is for a website with its own h1: the versions' titles are h2.
    assert [h.get("id") for h in tree.iter("h2")][:1] == [f"seloste-{first.value}-otsikko"]
    assert not list(tree.iter("h1"))


def test_link_texts_are_written_in_their_own_language() -> None:
    assert {lang: Texts("seloste.clauses", lang)("bilingual.link") for lang in Lang} == {
        Lang.fi: "Suomeksi", Lang.sv: "På svenska", Lang.en: "In English"}


def test_three_versions_link_to_both_others() -> None:
    tree = html_tree(render_bilingual_fragment(load_example("meunier"), ["fi", "sv", "en"]))
    paragraphs = [p for p in tree.iter("p")
                  if p.get("class") == "tietosuojaseloste-kieliversiot"]
    assert [[a.get("hreflang") for a in p.iter("a")] for p in paragraphs] == [
        ["sv-FI", "en"], ["fi-FI", "en"], ["fi-FI", "sv-FI"]]


def test_one_language_is_not_a_bilingual_file() -> None:
    with pytest.raises(ValueError):
        render_bilingual_page(load_example("keinuma"), ["fi", "fi"])


# ---------------------------------------------------------------- DOCX


def _paragraph_langs(paragraph: Any) -> set[str]:
    return {lang.get(qn("w:val")) for lang in paragraph._p.iter(qn("w:lang"))}


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_docx_holds_both_versions_in_order_each_in_its_language(
        example: Notice, first: Lang, second: Lang) -> None:
    data = render_bilingual_docx(example, [first, second])
    document = docx.Document(io.BytesIO(data))
    titles = [i for i, p in enumerate(document.paragraphs)
              if p.style is not None and p.style.name == "Title"]
    assert len(titles) == 2
    halves = [document.paragraphs[:titles[1]], document.paragraphs[titles[1]:]]
    tags = {Lang.fi: "fi-FI", Lang.sv: "sv-FI", Lang.en: "en-GB"}
    for half, lang, other in ((halves[0], first, second), (halves[1], second, first)):
        single = docx.Document(io.BytesIO(render(example, Format.docx, lang)))
        # The version's words are the single-language document's, the links line aside.
        link_line = half[1].text
        assert link_line == Texts("seloste.clauses", other)("bilingual.link")
        assert [p.text for p in half[:1] + half[2:]] == [p.text for p in single.paragraphs]
        # Every run of the version carries its language; the link carries the target's.
        for p in half[:1] + half[2:]:
            if p.runs:
                assert _paragraph_langs(p) == {tags[lang]}, p.text
        assert _paragraph_langs(half[1]) == {tags[other]}
    # The second version starts on a new page.
    assert document.paragraphs[titles[1]].paragraph_format.page_break_before
    # Tables of both versions survive (the cookie tables).
    singles = [docx.Document(io.BytesIO(render(example, Format.docx, lang)))
               for lang in (first, second)]
    assert len(document.tables) == sum(len(s.tables) for s in singles)
    assert document.core_properties.title == " / ".join(
        s.core_properties.title for s in singles)


def test_docx_links_point_at_bookmarks_and_external_links_survive() -> None:
    notice = load_example("keinuma")
    data = render_bilingual_docx(notice, [Lang.fi, Lang.sv])
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))
               if h.get(qn("w:anchor"))]
    # the links between the versions, then each version's own section links, scoped by
    # language so that the Swedish table of contents jumps into the Swedish version
    assert [a for a in anchors if a.startswith("seloste_")] == ["seloste_sv", "seloste_fi"]
    own = [a for a in anchors if not a.startswith("seloste_")]
    assert own and all(a[:2] in ("fi", "sv") for a in own)
    assert {a for a in own if a.startswith("sv")} and {a for a in own if a.startswith("fi")}
    assert set(anchors) <= bookmarks
    names = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(names) == len(set(names))
    ids = [b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids))
    # Every external link of the second version points where the single document's does.
    rels = document.part.rels
    urls = [rels[h.get(qn("r:id"))].target_ref for h in body.iter(qn("w:hyperlink"))
            if h.get(qn("r:id"))]
    for lang in (Lang.fi, Lang.sv):
        single = docx.Document(io.BytesIO(render(notice, Format.docx, lang)))
        srels = single.part.rels
        single_urls = [srels[h.get(qn("r:id"))].target_ref
                       for h in single.element.body.iter(qn("w:hyperlink"))
                       if h.get(qn("r:id"))]
        assert AUTHORITY_WEB[lang] in single_urls
        assert AUTHORITY_WEB[lang] in urls
    assert len(urls) == sum(
        len([h for h in docx.Document(io.BytesIO(render(notice, Format.docx, lang)))
             .element.body.iter(qn("w:hyperlink")) if h.get(qn("r:id"))])
        for lang in (Lang.fi, Lang.sv))


def test_docx_is_deterministic_and_readable_as_text() -> None:
    notice = load_example("meunier")
    one = render_bilingual_docx(notice, [Lang.fi, Lang.en])
    assert one == render_bilingual_docx(notice, [Lang.fi, Lang.en])
    text = docx_text(one)
    assert "{{" not in text and "{%" not in text
    assert "In English" in text and "Suomeksi" in text


# ---------------------------------------------------------------- the command line


def test_cli_renders_two_languages_in_one_file(tmp_path: Path) -> None:
    from seloste.cli import main

    draft = tmp_path / "keinuma.json"
    draft.write_text(json.dumps(load_example("keinuma").model_dump(mode="json")),
                     encoding="utf-8")
    notice = load_example("keinuma")
    for fmt, expected in (("page", render_bilingual_page(notice, ["fi", "sv"]).encode()),
                          ("html", render_bilingual_fragment(notice, ["fi", "sv"]).encode()),
                          ("docx", render_bilingual_docx(notice, ["fi", "sv"]))):
        out = tmp_path / f"both.{fmt}"
        assert main(["render", str(draft), "-f", fmt, "--lang", "fi,sv", "-o", str(out)]) == 0
        assert out.read_bytes() == expected, fmt
    # One language still gives the single-language file.
    out = tmp_path / "one.html"
    assert main(["render", str(draft), "-f", "page", "--lang", "sv", "-o", str(out)]) == 0
    assert out.read_bytes() == render(notice, Format.page, "sv")


def test_cli_refuses_what_it_cannot_combine(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from seloste.cli import main

    draft = tmp_path / "keinuma.json"
    draft.write_text(json.dumps(load_example("keinuma").model_dump(mode="json")),
                     encoding="utf-8")
    out = tmp_path / "both.md"
    assert main(["render", str(draft), "-f", "md", "--lang", "fi,sv", "-o", str(out)]) == 2
    assert not out.exists()
    assert "md" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["render", str(draft), "--lang", "fi,de"])
    assert exc.value.code == 2


# ---------------------------------------------------------------- real clients


@clients.needs("java", "vnu")
@pytest.mark.slow
def test_bilingual_page_and_fragment_pass_the_nu_checker(tmp_path: Path) -> None:
    notice = load_example("keinuma")
    page = tmp_path / "page.html"
    page.write_text(render_bilingual_page(notice, ["fi", "sv"]), encoding="utf-8")
    wrapped = tmp_path / "fragment.html"
    wrapped.write_text('<!DOCTYPE html>\n<html lang="fi-FI">\n<head>\n<meta charset="utf-8">\n'
                       "<title>Fragment</title>\n</head>\n<body>\n"
                       + render_bilingual_fragment(notice, ["fi", "en"])
                       + "</body>\n</html>\n", encoding="utf-8")
    java, jar = clients.java(), clients.vnu_jar()
    assert java and jar
    proc = subprocess.run([java, "-jar", jar, "--format", "json", "--errors-only", "--stdout",
                           str(page), str(wrapped)],
                          capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(proc.stdout)
    errors = [m for m in report.get("messages", []) if m.get("type") == "error"]
    assert errors == [], errors
