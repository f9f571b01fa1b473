"""Two (or more) language versions of one notice in one file (issue #13).

Many Finnish companies publish their notice in Finnish and Swedish, or Finnish and English, on
one page. These renderers put the versions one after the other, each complete and marked with
its own language, each linking to the others ("På svenska", "Suomeksi"), so a reader lands on
the first and jumps to theirs. The single-language files stay as they are; this only combines
them:

* HTML: each version is the ordinary fragment (`fragment_of`) with its own ``lang`` and its own
  id prefix (``seloste-fi-``, ``seloste-sv-``), so the tables of contents and the links between
  the versions never point into the wrong one.
* DOCX: each version is rendered by `render_docx` and the second one's body is appended to the
  first's, starting on a new page. Every run carries its version's language (``w:lang``), because
  a document has one default proofing language and Word would otherwise spell-check the Swedish
  half as Finnish; a run that already names its language (a fallback passage) keeps it. Each
  version's title holds a bookmark, and the links between the versions point at them.

The link text is the clause ``bilingual.link`` of the *target* language, written in that
language and marked with it: a Finnish reader looking for Finnish looks for "Suomeksi".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import deepcopy

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from markupsafe import Markup

from seloste.i18n import Texts
from seloste.model import Notice
from seloste.render.document import Document, build_document
from seloste.render.docx import (
    CORE_PROPERTY_MAX,
    core_properties_namespace,
    package_bytes,
    render_docx,
)
from seloste.render.html import fragment_of
from seloste.render.templating import LANG_TAGS, environment
from seloste.vocab import Lang

#: How the titles of the versions are joined in a page title and the DOCX title property.
TITLE_JOINER = " / "


def languages(langs: Sequence[Lang | str]) -> list[Lang]:
    """The versions to put in one file: at least two, each once, in the order given."""
    found: list[Lang] = []
    for lang in langs:
        if Lang(lang) not in found:
            found.append(Lang(lang))
    if len(found) < 2:
        raise ValueError("a bilingual file needs at least two different languages")
    return found


def link_text(lang: Lang) -> str:
    """"Suomeksi", "På svenska", "In English": the link to the version in ``lang``."""
    return Texts("seloste.clauses", lang)("bilingual.link")


def version_id(lang: Lang) -> str:
    """The id prefix of one version inside a combined HTML page or fragment."""
    return f"seloste-{lang.value}-"


def docx_tag(lang: Lang) -> str:
    """The proofing language Word knows (render_docx uses en-GB for English too)."""
    return LANG_TAGS[lang] if lang is not Lang.en else "en-GB"


# ---------------------------------------------------------------- HTML


def _html(notice: Notice, langs: Sequence[Lang | str], base: int) -> tuple[str, list[Document]]:
    versions = languages(langs)
    docs = [build_document(notice, lang) for lang in versions]
    parts = [
        {
            "links": [(LANG_TAGS[other], f"#{version_id(other)}otsikko", link_text(other))
                      for other in versions if other is not doc.lang],
            "fragment": Markup(fragment_of(doc, base=base, prefix=version_id(doc.lang)).strip()),
        }
        for doc in docs
    ]
    text = environment().get_template("bilingual.html.j2").render(versions=parts)
    return text.strip() + "\n", docs


def render_bilingual_fragment(notice: Notice, langs: Sequence[Lang | str]) -> str:
    """The versions as one fragment to paste into a website (titles at heading level 2)."""
    return _html(notice, langs, base=2)[0]


def render_bilingual_page(notice: Notice, langs: Sequence[Lang | str]) -> str:
    """A standalone page holding every version; the page's own language is the first one's."""
    body, docs = _html(notice, langs, base=1)
    return environment().get_template("page.html.j2").render(
        title=TITLE_JOINER.join(d.title for d in docs), lang_tag=LANG_TAGS[docs[0].lang],
        fragment=Markup(body.strip()),
    ).strip() + "\n"


# ---------------------------------------------------------------- DOCX


def _body_parts(document: DocxDocument) -> list[BaseOxmlElement]:
    """The body's paragraphs and tables, without the final section properties."""
    body = document.element.body
    return [child for child in body.iterchildren() if child.tag != qn("w:sectPr")]


def _mark_language(elements: Sequence[BaseOxmlElement], tag: str) -> None:
    """Give every run without a language of its own the version's language."""
    for element in elements:
        for run in element.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                run.insert(0, rpr)
            if rpr.find(qn("w:lang")) is None:
                lang = OxmlElement("w:lang")
                lang.set(qn("w:val"), tag)
                rpr.append(lang)


def _bookmark(paragraph: BaseOxmlElement, name: str, number: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    ppr = paragraph.find(qn("w:pPr"))
    paragraph.insert(0 if ppr is None else 1, start)
    paragraph.append(end)


def _page_break_before(paragraph: BaseOxmlElement) -> None:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    brk = OxmlElement("w:pageBreakBefore")
    style = ppr.find(qn("w:pStyle"))
    ppr.insert(0 if style is None else 1, brk)


def _links_paragraph(targets: Sequence[Lang], own_tag: str) -> BaseOxmlElement:
    """A paragraph of internal links ("På svenska") to the other versions' bookmarks."""
    paragraph = OxmlElement("w:p")
    for i, lang in enumerate(targets):
        if i:
            paragraph.append(_text_run(" · ", own_tag))
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), _bookmark_name(lang))
        link.set(qn("w:history"), "1")
        link.append(_text_run(link_text(lang), docx_tag(lang), style="Hyperlink"))
        paragraph.append(link)
    return paragraph


def _text_run(text: str, tag: str | None, style: str | None = None) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if style:
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), style)
        rpr.append(rstyle)
    if tag:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        rpr.append(lang)
    if len(rpr):
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    return run


def _bookmark_name(lang: Lang) -> str:
    return f"seloste_{lang.value}"


def _move_links(source: DocxDocument, target: DocxDocument,
                elements: Sequence[BaseOxmlElement]) -> None:
    """Re-create the external links of ``elements`` (from ``source``) in ``target``'s part."""
    rid_attr = qn("r:id")
    for element in elements:
        for node in element.iter():
            rid = node.get(rid_attr)
            if rid is None:
                continue
            rel = source.part.rels[rid]
            if rel.reltype != RT.HYPERLINK or not rel.is_external:
                raise ValueError(f"cannot move a {rel.reltype} relationship between documents")
            node.set(rid_attr, target.part.relate_to(rel.target_ref, RT.HYPERLINK,
                                                     is_external=True))


def _scope_bookmarks(elements: Sequence[BaseOxmlElement], lang: Lang, number: int) -> None:
    """Each version's section bookmarks (table of contents, "read more" links) renamed for its
    language and renumbered: two versions in one file would otherwise share names and ids,
    and the second version's links would jump into the first."""
    name_attr, id_attr, anchor_attr = qn("w:name"), qn("w:id"), qn("w:anchor")
    for element in elements:
        for node in element.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:hyperlink")):
            if node.tag == qn("w:hyperlink"):
                anchor = node.get(anchor_attr)
                if anchor:
                    node.set(anchor_attr, f"{lang.value}{anchor}")
                continue
            if node.tag == qn("w:bookmarkStart"):
                node.set(name_attr, f"{lang.value}{node.get(name_attr)}")
            node.set(id_attr, str(int(node.get(id_attr) or 0) + 1000 * number))


def render_bilingual_docx(notice: Notice, langs: Sequence[Lang | str]) -> bytes:
    """One Word document: the first version, then each other one from a new page."""
    versions = languages(langs)
    rendered = [open_docx(io.BytesIO(render_docx(notice, lang))) for lang in versions]
    first = rendered[0]
    body = first.element.body
    sect = body.find(qn("w:sectPr"))
    titles: list[str] = []
    for number, (lang, part) in enumerate(zip(versions, rendered, strict=True)):
        with core_properties_namespace():
            titles.append(part.core_properties.title or "")
        elements = _body_parts(part) if part is first else [deepcopy(e) for e in
                                                             _body_parts(part)]
        if part is not first:
            _move_links(part, first, elements)
            _page_break_before(elements[0])
        _mark_language(elements, docx_tag(lang))
        _scope_bookmarks(elements, lang, number)
        _bookmark(elements[0], _bookmark_name(lang), 9000 + number)
        others = [other for other in versions if other is not lang]
        elements.insert(1, _links_paragraph(others, docx_tag(lang)))
        if part is first:
            elements[0].addnext(elements[1])
        else:
            for element in elements:
                if sect is not None:
                    sect.addprevious(element)
                else:
                    body.append(element)
    with core_properties_namespace():
        first.core_properties.title = TITLE_JOINER.join(titles)[:CORE_PROPERTY_MAX]
    return package_bytes(first)
