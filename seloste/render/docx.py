"""DOCX through docxtpl, from the template that `seloste/render/docx_template.py` builds.

Every paragraph is a RichText built here, so user text is escaped exactly once and newlines
become real line breaks. Core properties are set after render: with autoescape on, docxtpl would
escape a title with `&` twice (docs/design.md).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, Protocol
from xml.sax.saxutils import quoteattr

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.spec import default_content_types
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docxtpl import DocxTemplate, RichText
from markupsafe import Markup, escape

from seloste.model import Notice
from seloste.render.document import Block, Document, Run, build_document
from seloste.render.templating import LANG_TAGS, template_file
from seloste.vocab import Lang

#: The namespace of docProps/core.xml's `cp:` elements (OPC part 2, core properties).
CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"

_BREAK = "<w:r><w:br/></w:r>"
_BREAK_IN_RUN = "<w:br/>"
#: python-docx refuses longer core properties (the OPC schema's limit).
CORE_PROPERTY_MAX = 255


@contextmanager
def core_properties_namespace() -> Iterator[None]:
    """Bind python-docx's `cp` prefix to the core-properties namespace while inside.

    docxcompose (docxtpl imports it) rebinds the prefix in python-docx's global namespace map to
    the *custom*-properties namespace when it is imported. python-docx then writes
    `cp:lastModifiedBy`, `cp:revision` and `cp:lastPrinted` into docProps/core.xml in that
    foreign namespace, as a second, schema-invalid element beside the real one, and reads them
    back from there. Setting core properties inside this block writes them where they belong;
    the binding is put back afterwards for docxcompose's own use.
    """
    saved = nsmap["cp"]
    nsmap["cp"] = CORE_PROPERTIES_NS
    try:
        yield
    finally:
        nsmap["cp"] = saved


@cache
def template_bytes() -> bytes:
    return template_file("notice.docx").read_bytes()


class _Links:
    """Relationship ids per URL: docxtpl adds a relationship per call, and each call costs an
    XPath search, so a notice that links the same address twenty times asks once."""

    def __init__(self, tpl: DocxTemplate) -> None:
        self.tpl = tpl
        self.ids: dict[str, str] = {}

    def __call__(self, url: str) -> str:
        if url not in self.ids:
            self.ids[url] = self.tpl.build_url_id(url)
        return self.ids[url]


#: Page margins of the template (docx_template.py builds it); the text width is A4 minus two.
MARGIN_MM = 25
#: The text width tables are laid out on: A4 (210 mm) minus two 25 mm margins, in twips.
TEXT_WIDTH_TWIPS = round((210 - 2 * MARGIN_MM) / 25.4 * 1440)


def bookmark(anchor: str) -> str:
    """The bookmark name of a section: Word allows letters, digits and _ (no hyphen)."""
    return "_s_" + "".join(ch if ch.isalnum() else "_" for ch in anchor)


def _internal_link(text: str, anchor: str) -> str:
    return (f'<w:hyperlink w:anchor="{bookmark(anchor)}" w:history="1"><w:r><w:rPr>'
            f'<w:rStyle w:val="Hyperlink"/></w:rPr><w:t xml:space="preserve">{escape(text)}'
            "</w:t></w:r></w:hyperlink>")


def docx_lang_tag(lang: Lang) -> str:
    """Word's proofing language for ``lang`` (Word has no plain "en": British English)."""
    return LANG_TAGS[lang] if lang is not Lang.en else "en-GB"


def _rich(links: _Links, runs: list[Run], anchor: str = "", mark: int = 0) -> RichText:
    rich = RichText()
    if anchor:
        rich.xml += f'<w:bookmarkStart w:id="{mark}" w:name="{bookmark(anchor)}"/>'
    for run in runs:
        if run.url.startswith("#"):
            rich.xml += _internal_link(run.text, run.url[1:])
            continue
        lines = run.text.split("\n")
        # A fallback passage (an answer not written in the notice language) says its own
        # language, so Word proofs it and a screen reader voices it right.
        extra: dict[str, str] = {"lang": docx_lang_tag(run.lang)} if run.lang else {}
        for i, line in enumerate(lines):
            if i:
                rich.xml += _BREAK
            if run.url:
                rich.add(line, url_id=links(run.url), style="Hyperlink", **extra)
            elif run.strong:
                rich.add(line, bold=True, **extra)
            else:
                rich.add(line, **extra)
    if anchor:
        rich.xml += f'<w:bookmarkEnd w:id="{mark}"/>'
    return rich


def table_xml(header: Sequence[str], rows: Sequence[Sequence[str | list[Run]]], *,
              first_column_bold: bool = False, weights: Sequence[int] = ()) -> str:
    """A WordprocessingML table (grid style), built as XML: the notice's tables and the
    record's, so both look and read back alike.

    Built as text because a docxtpl Subdoc would parse a whole second document per table,
    which was most of the render time. The header row is bold and repeats on every page; rows
    do not split over a page; a newline in a cell is a line break. A cell may be runs, each
    with its own language mark (an answer shown in its fallback language). ``weights`` lay
    the columns out on the A4 text width with a fixed layout: with auto layout LibreOffice
    squeezed the cookie table's columns until words broke mid-word. ``first_column_bold``
    makes a two-column table of label and answer (the record's). User text is escaped here,
    once.
    """
    width = len(header) if header else max((len(row) for row in rows), default=1)
    widths = ([TEXT_WIDTH_TWIPS * w // sum(weights) for w in weights] if weights
              else [])

    def cell(content: str | list[Run], column: int, bold: bool = False) -> str:
        runs = [Run(content)] if isinstance(content, str) else content
        xml = ""
        for run in runs:
            props = ("<w:b/>" if bold else "") + (
                f'<w:lang w:val="{docx_lang_tag(run.lang)}"/>' if run.lang else "")
            lines = "".join(
                (_BREAK_IN_RUN if i else "") + f'<w:t xml:space="preserve">{escape(line)}</w:t>'
                for i, line in enumerate(run.text.split("\n")))
            xml += f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{lines}</w:r>"
        size = (f'<w:tcPr><w:tcW w:w="{widths[column]}" w:type="dxa"/></w:tcPr>'
                if widths else "")
        return f"<w:tc>{size}<w:p>{xml}</w:p></w:tc>"

    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) if widths else "".join(
        "<w:gridCol/>" for _ in range(width))
    head = ("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" + "".join(
        cell(h, i, bold=True) for i, h in enumerate(header)) + "</w:tr>") if header else ""
    body = "".join("<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(
        cell(c, i, bold=first_column_bold and i == 0) for i, c in enumerate(row)) + "</w:tr>"
        for row in rows)
    # a little air inside the cells (Word's default is 0.19 cm left and right, none above)
    margins = ('<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
               '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/>'
               "</w:tblCellMar>")
    size = (f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            if widths else '<w:tblW w:w="5000" w:type="pct"/>') + margins
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>{size}'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{head}{body}</w:tbl>")


def add_table(document: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]], *,
              first_column_bold: bool = False) -> None:
    """Append `table_xml` to a python-docx document's body (before its section properties,
    which must stay last)."""
    tbl = parse_xml(table_xml(header, rows, first_column_bold=first_column_bold)
                    .replace("<w:tbl>", f"<w:tbl {nsdecls('w')}>", 1))
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    if section is not None:
        section.addprevious(tbl)
    else:
        body.append(tbl)


def _table(block: Block) -> Markup:
    """The table and a small empty paragraph after it: Word puts no space below a table, so
    the next paragraph would touch its bottom border."""
    return Markup(table_xml(block.header, block.cells,
                            weights=block.widths or [1] * len(block.header))
                  + '<w:p><w:pPr><w:spacing w:before="0" w:after="60"/></w:pPr></w:p>')


def _toc(block: Block, style_id: str) -> Markup:
    """A Word TOC field whose result is already filled in with the section headings, each a
    link to its bookmark: it shows in Word, LibreOffice and a PDF before anyone presses
    "update" (which then adds page numbers)."""
    title = (f'<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t xml:space="preserve">'
             f"{escape(block.text)}</w:t></w:r></w:p>")
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space='
             '"preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    paragraphs = []
    entries = block.entries or [("", "")]
    for i, (text, anchor) in enumerate(entries):
        body = _internal_link(text, anchor) if anchor else ""
        paragraphs.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
            + (begin if i == 0 else "") + body + (end if i == len(entries) - 1 else "")
            + "</w:p>")
    return Markup(title + "".join(paragraphs))


def _context(tpl: DocxTemplate, doc: Document) -> dict[str, Any]:
    links = _Links(tpl)
    blocks: list[dict[str, Any]] = []
    meta = None
    if tpl.docx is None:  # docxtpl opens the package lazily
        tpl.init_docx()
    toc_style = tpl.docx.styles["toc 1"].style_id
    marks = 0
    for b in doc.blocks:
        kind = f"box_{b.kind}" if b.box and b.kind in ("h2", "p", "li") else b.kind
        if b.kind == "meta":
            meta = _rich(links, b.runs)
        elif b.kind == "toc":
            blocks.append({"kind": "raw", "subdoc": _toc(b, toc_style)})
        elif b.kind == "table":
            if b.caption:
                blocks.append({"kind": "caption", "text": b.caption,
                               "rich": _rich(links, [Run(b.caption)])})
            blocks.append({"kind": "raw", "subdoc": _table(b)})
        else:
            marks += 1 if b.anchor else 0
            blocks.append({"kind": kind, "text": b.text,
                           "rich": _rich(links, b.runs, b.anchor, marks)})
    return {"title": doc.title, "meta": meta, "blocks": blocks}


def set_proofing_language(document: DocxDocument, tag: str) -> None:
    """Set the document's default proofing language (docDefaults), so Word spell-checks right.

    For python-docx documents of every kind: the notice (through docxtpl) and the record.
    """
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        doc_defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def set_core_properties(document: DocxDocument, *, title: str, author: str | None, tag: str,
                        day: dt.date | None) -> None:
    """Title, author, language and dates of a DOCX, the same way for the notice and the record.

    Inside `core_properties_namespace`, so they land in docProps/core.xml's own namespace even
    after docxcompose was imported elsewhere in the process. Cut to the schema's length; dated
    at midnight UTC of `day` (the draft's date, so the bytes do not depend on the clock).
    """
    with core_properties_namespace():
        props = document.core_properties
        props.title = title[:CORE_PROPERTY_MAX]
        props.author = (author or "Seloste")[:CORE_PROPERTY_MAX]
        props.last_modified_by = "Seloste"
        props.language = tag
        if day is not None:
            props.created = props.modified = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def render_docx(notice: Notice, lang: Lang | str | None = None) -> bytes:
    doc = build_document(notice, lang)
    tpl = DocxTemplate(io.BytesIO(template_bytes()))
    tpl.render(_context(tpl, doc), autoescape=True)
    tag = docx_lang_tag(doc.lang)
    set_proofing_language(tpl.docx, tag)
    set_core_properties(tpl.docx, title=doc.title, author=doc.author, tag=tag,
                        day=notice.updated or notice.created)
    with core_properties_namespace():
        tpl.docx.core_properties.comments = ""
    return package_bytes(tpl.docx)


_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


class _Part(Protocol):
    """What the content-types writer needs of a python-docx part (its public attributes)."""

    @property
    def partname(self) -> Any: ...  # a docx.opc.packuri.PackURI (a str with .ext)

    @property
    def content_type(self) -> str: ...


def content_types_xml(parts: Iterable[_Part]) -> bytes:
    """`[Content_Types].xml` for a package of `parts`: the OPC rule python-docx follows.

    A part whose extension has a standard content type (python-docx's public
    `docx.opc.spec.default_content_types`) is covered by one `Default` per extension; every other
    part gets an `Override` by name. Defaults sorted by extension, overrides by part name, so the
    bytes are the same on every save. Written here because python-docx keeps its own writer
    private (`docx.opc.pkgwriter._ContentTypesItem`), and a private class may change in a patch
    release.
    """
    defaults = {"rels": CONTENT_TYPE.OPC_RELATIONSHIPS, "xml": CONTENT_TYPE.XML}
    overrides: dict[str, str] = {}
    for part in parts:
        ext = str(part.partname.ext).lower()
        if (ext, part.content_type) in default_content_types:
            defaults[ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    entries = [f"<Default Extension={quoteattr(ext)} ContentType={quoteattr(defaults[ext])}/>"
               for ext in sorted(defaults)]
    entries += [f"<Override PartName={quoteattr(name)} ContentType={quoteattr(overrides[name])}/>"
                for name in sorted(overrides)]
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<Types xmlns="{_CONTENT_TYPES_NS}">' + "".join(entries) + "</Types>").encode()


def package_bytes(document: Any) -> bytes:
    """A python-docx document as DOCX bytes, with fixed member times, compressing once.

    python-docx stamps each zip member with the current time, and the same draft must give the
    same bytes from the wizard and the CLI (and the template builder the same file every run).
    This mirrors python-docx's PackageWriter.write.
    """
    package = document.part.package
    parts = list(package.iter_parts())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:

        def put(name: str, blob: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, blob)

        put(CONTENT_TYPES_URI.membername, content_types_xml(parts))
        put(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            put(part.partname.membername, part.blob)
            if len(part.rels):
                put(part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()
