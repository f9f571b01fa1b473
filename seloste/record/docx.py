"""The record as a DOCX: a heading per register, its answers as a two-column table.

Built with python-docx rather than the notice's docxtpl template: the record is tables, not
prose, and it is an internal document, so Word's default look is enough. Page size is A4 and the
proofing language is the record's, as in the notice.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import docx
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from seloste.i18n import Texts
from seloste.model import Notice
from seloste.record.build import CONTROLLER_COLUMNS, Record, build_record
from seloste.record.packaging import fixed_zip
from seloste.render.templating import LANG_TAGS
from seloste.vocab import Lang

CORE_PROPERTY_MAX = 255


def _set_language(document: DocxDocument, tag: str) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _table(document: DocxDocument, rows: Sequence[tuple[str, ...]], header: tuple[str, ...] = ()
           ) -> None:
    width = len(header) if header else 2
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = ""
            run = cell.paragraphs[0].add_run()
            for n, line in enumerate(text.split("\n")):
                if n:
                    run.add_break()
                run.add_text(line)
            if i == 0 and not header:
                run.bold = True


def record_docx(record: Record, day: dt.date | None = None) -> bytes:
    t = Texts("seloste.record.texts", record.lang)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    document.add_heading(record.title, level=0)
    document.add_paragraph(record.intro)
    if record.updated:
        document.add_paragraph(record.updated)
    labels = {c.key: c.label for c in record.columns}
    document.add_heading(t("controller_section"), level=1)
    _table(document, [(labels[k], record.controller.get(k) or t("none"))
                      for k in CONTROLLER_COLUMNS])
    for part in record.registers:
        document.add_heading(part.name, level=1)
        _table(document, [(p["purpose"], p["basis"], p["legitimate_interest"] or t("none"))
                          for p in part.purposes],
               header=(labels["purpose"], labels["basis"], labels["legitimate_interest"]))
        document.add_paragraph()
        rows = []
        for k in ("subjects", "data", "special", "sources", "recipients", "transfers",
                  "retention", "security", "access", "location"):
            label = labels[k]
            if k in ("access", "location"):
                label = f"{label} ({t('record_only')})"
            rows.append((label, part.values[k] or t("none")))
        _table(document, rows)
    tag = LANG_TAGS[record.lang] if record.lang is not Lang.en else "en-GB"
    _set_language(document, tag)
    props = document.core_properties
    props.title = record.title[:CORE_PROPERTY_MAX]
    props.author = (record.author or "Seloste")[:CORE_PROPERTY_MAX]
    props.last_modified_by = "Seloste"
    props.language = tag
    props.revision = 1
    stamp = dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
    props.created = props.modified = stamp
    out = io.BytesIO()
    document.save(out)
    return fixed_zip(out.getvalue())


def render_record_docx(notice: Notice, lang: Lang | str | None = None) -> bytes:
    return record_docx(build_record(notice, lang), notice.updated or notice.created)
