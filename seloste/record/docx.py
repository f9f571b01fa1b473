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
from docx.shared import Cm

from seloste.i18n import Texts
from seloste.model import Notice
from seloste.record.build import CONTROLLER_COLUMNS, Record, build_record
from seloste.record.packaging import fixed_zip
from seloste.render.docx import (
    add_table,
    core_properties_namespace,
    docx_lang_tag,
    set_core_properties,
    set_proofing_language,
)
from seloste.vocab import Lang


def _table(document: DocxDocument, rows: Sequence[tuple[str, ...]], header: tuple[str, ...] = ()
           ) -> None:
    """A table of the record: with a header row, or label and answer (the label bold)."""
    add_table(document, header, rows, first_column_bold=not header)


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
    tag = docx_lang_tag(record.lang)
    set_proofing_language(document, tag)
    set_core_properties(document, title=record.title, author=record.author, tag=tag,
                        day=day or dt.date(2000, 1, 1))
    with core_properties_namespace():
        document.core_properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    return fixed_zip(out.getvalue())


def render_record_docx(notice: Notice, lang: Lang | str | None = None) -> bytes:
    return record_docx(build_record(notice, lang), notice.updated or notice.created)
