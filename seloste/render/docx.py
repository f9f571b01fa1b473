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


def docx_lang_tag(lang: Lang) -> str:
    """Word's proofing language for ``lang`` (Word has no plain "en": British English)."""
    return LANG_TAGS[lang] if lang is not Lang.en else "en-GB"


def _rich(links: _Links, runs: list[Run]) -> RichText:
    rich = RichText()
    for run in runs:
        lines = run.text.split("\n")
        # A fallback passage (an answer not written in the notice language) says its own
        # language, so Word proofs it and a screen reader voices it right.
        extra: dict[str, str] = {"lang": docx_lang_tag(run.lang)} if run.lang else {}
        for i, line in enumerate(lines):
            if i:
                rich.xml += _BREAK
            if run.url:
                rich.add(line, url_id=links(run.url), style="Hyperlink", **extra)
            else:
                rich.add(line, **extra)
    return rich


def table_xml(header: Sequence[str], rows: Sequence[Sequence[str]], *,
              first_column_bold: bool = False) -> str:
    """A WordprocessingML table (grid style, full width), built as XML: the notice's tables and
    the record's, so both look and read back alike.

    Built as text because a docxtpl Subdoc would parse a whole second document per table,
    which was most of the render time. The header row is bold and repeats on every page; a
    newline in a cell is a line break. ``first_column_bold`` makes a two-column table of
    label and answer (the record's). User text is escaped here, once.
    """
    def cell(text: str, bold: bool = False) -> str:
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        lines = "".join(
            (_BREAK_IN_RUN if i else "") + f'<w:t xml:space="preserve">{escape(line)}</w:t>'
            for i, line in enumerate(text.split("\n"))
        )
        return f"<w:tc><w:p><w:r>{props}{lines}</w:r></w:p></w:tc>"

    width = len(header) if header else max((len(row) for row in rows), default=1)
    grid = "".join("<w:gridCol/>" for _ in range(width))
    head = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + "".join(
        cell(h, bold=True) for h in header) + "</w:tr>" if header else ""
    body = "".join("<w:tr>" + "".join(cell(c, bold=first_column_bold and i == 0)
                                      for i, c in enumerate(row)) + "</w:tr>" for row in rows)
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
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
    return Markup(table_xml(block.header, block.rows))


def _context(tpl: DocxTemplate, doc: Document) -> dict[str, Any]:
    links = _Links(tpl)
    blocks: list[dict[str, Any]] = []
    meta = None
    for b in doc.blocks:
        if b.kind == "meta":
            meta = _rich(links, b.runs)
        elif b.kind == "toc":
            continue  # Word builds its own navigation from the heading styles
        elif b.kind == "table":
            blocks.append({"kind": "table", "subdoc": _table(b)})
        else:
            blocks.append({"kind": b.kind, "text": b.text, "rich": _rich(links, b.runs)})
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
