"""The record as an XLSX workbook: one row per register and purpose, the way it is kept.

The first sheet is the record itself (a header row, then one row per processing activity, filters
on, header frozen) so it can be sorted, filtered and extended in Excel or LibreOffice; the second
names the document, the date and the GDPR article each column answers.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.etree.ElementTree import tostring

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from seloste.i18n import Texts
from seloste.model import Notice
from seloste.record.build import Record, build_record
from seloste.record.packaging import fixed_zip
from seloste.vocab import Lang

#: Excel refuses sheet titles over 31 characters.
SHEET_TITLE_MAX = 31
_WIDE = {"controller", "recipients", "transfers", "retention", "security", "sources", "data"}


def _sheet_title(text: str) -> str:
    return "".join(ch for ch in text if ch not in "[]:*?/\\")[:SHEET_TITLE_MAX]


def record_workbook(record: Record, day: dt.date | None = None) -> bytes:
    t = Texts("seloste.record.texts", record.lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(t("sheet"))
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE5EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, column in enumerate(record.columns, start=1):
        cell = ws.cell(row=1, column=col, value=column.label)
        cell.font, cell.fill, cell.alignment = head_font, head_fill, wrap
        ws.column_dimensions[get_column_letter(col)].width = 40 if column.key in _WIDE else 24
    for r, row in enumerate(record.rows, start=2):
        for col, column in enumerate(record.columns, start=1):
            ws.cell(row=r, column=col, value=row[column.key] or None).alignment = wrap
    ws.freeze_panes = "B2"
    last = get_column_letter(len(record.columns))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(record.rows) + 1)}"

    info = wb.create_sheet(_sheet_title(t("controller_section")))
    info.column_dimensions["A"].width = 40
    info.column_dimensions["B"].width = 90
    info.append([record.title])
    info["A1"].font = Font(bold=True, size=14)
    info.append([record.intro])
    if record.updated:
        info.append([record.updated])
    info.append([])
    for key, value in record.controller.items():
        label = next(c.label for c in record.columns if c.key == key)
        info.append([label, value or t("none")])
    info.append([])
    for column in record.columns:
        if column.article:
            note = f" ({t('record_only')})" if column.key in ("access", "location") else ""
            info.append([column.label, f"GDPR {column.article}{note}"])
    for line in info.iter_rows():
        for cell in line:
            cell.alignment = wrap

    props = wb.properties
    props.title = record.title
    props.creator = record.author or "Seloste"
    props.language = record.lang.value
    stamp = dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time())
    props.created = props.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    # openpyxl stamps `modified` with the clock while saving: write the core properties again.
    props.modified = stamp
    core: bytes = tostring(props.to_tree(), encoding="utf-8", xml_declaration=True)
    return fixed_zip(out.getvalue(), {"docProps/core.xml": core})


def render_record_xlsx(notice: Notice, lang: Lang | str | None = None) -> bytes:
    return record_workbook(build_record(notice, lang), notice.updated or notice.created)
