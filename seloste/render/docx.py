"""DOCX through docxtpl, from the template that templates/build_docx_template.py builds.

Every paragraph is a RichText built here, so user text is escaped exactly once and newlines
become real line breaks. Core properties are set after render: with autoescape on, docxtpl would
escape a title with `&` twice (DESIGN.md).
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from functools import cache
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import DocxTemplate, RichText

from seloste.model import Notice
from seloste.render.document import Block, Document, Run, build_document
from seloste.render.templating import LANG_TAGS, templates_dir
from seloste.vocab import Lang

_BREAK = "<w:r><w:br/></w:r>"
#: python-docx refuses longer core properties (the OPC schema's limit).
CORE_PROPERTY_MAX = 255


@cache
def template_bytes() -> bytes:
    return (templates_dir() / "notice.docx").read_bytes()


def _rich(tpl: DocxTemplate, runs: list[Run]) -> RichText:
    rich = RichText()
    for run in runs:
        lines = run.text.split("\n")
        for i, line in enumerate(lines):
            if i:
                rich.xml += _BREAK
            if run.url:
                rich.add(line, url_id=tpl.build_url_id(run.url), style="Hyperlink")
            else:
                rich.add(line)
    return rich


def _table(tpl: DocxTemplate, block: Block) -> Any:
    sub = tpl.new_subdoc()
    table = sub.add_table(rows=1 + len(block.rows), cols=len(block.header))
    # The subdocument's own style set may lack the grid style; the grid is cosmetic.
    with contextlib.suppress(KeyError):
        table.style = "Table Grid"
    for col, text in enumerate(block.header):
        cell = table.rows[0].cells[col]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for r, row in enumerate(block.rows, start=1):
        for col, text in enumerate(row):
            table.rows[r].cells[col].text = text
    return sub


def _context(tpl: DocxTemplate, doc: Document) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    meta = None
    for b in doc.blocks:
        if b.kind == "meta":
            meta = _rich(tpl, b.runs)
        elif b.kind == "toc":
            continue  # Word builds its own navigation from the heading styles
        elif b.kind == "table":
            blocks.append({"kind": "table", "subdoc": _table(tpl, b)})
        else:
            blocks.append({"kind": b.kind, "text": b.text, "rich": _rich(tpl, b.runs)})
    return {"title": doc.title, "meta": meta, "blocks": blocks}


def _set_language(tpl: DocxTemplate, tag: str) -> None:
    """Set the document's default proofing language (docDefaults), so Word spell-checks right."""
    styles = tpl.docx.styles.element
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


def render_docx(notice: Notice, lang: Lang | str | None = None) -> bytes:
    doc = build_document(notice, lang)
    tpl = DocxTemplate(io.BytesIO(template_bytes()))
    tpl.render(_context(tpl, doc), autoescape=True)
    tag = LANG_TAGS[doc.lang] if doc.lang is not Lang.en else "en-GB"
    _set_language(tpl, tag)
    props = tpl.docx.core_properties
    props.title = doc.title[:CORE_PROPERTY_MAX]
    props.author = (doc.author or "Seloste")[:CORE_PROPERTY_MAX]
    props.last_modified_by = "Seloste"
    props.language = tag
    props.comments = ""
    if notice.updated or notice.created:
        import datetime as dt

        day = notice.updated or notice.created
        assert day is not None
        stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        props.created = props.modified = stamp
    out = io.BytesIO()
    tpl.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member times: python-docx stamps each member with the
    current time, and the same draft must give the same bytes from the wizard and the CLI."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
