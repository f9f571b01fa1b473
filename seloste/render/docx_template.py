"""Build `seloste/render/templates/notice.docx` from code, so the Word template is reviewable
as a diff.

Run `make docx-template` (`python -m seloste.render.docx_template [TARGET]`) after changing it;
a test checks that the committed notice.docx has exactly the structure this module builds. It
writes into the source tree beside this file: building a template is a developer's step in a
checkout, while the renderer reads the result as package data, also from an installed wheel.
The template defines real heading styles (Heading 1-3) so Word's navigation pane and a PDF's
outline work, and a `Hyperlink` character style, without which LibreOffice loses link styling
on PDF export.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from seloste.render.docx import core_properties_namespace, package_bytes

#: Where the committed template lives in a checkout (the renderer reads it as package data).
TARGET = Path(__file__).resolve().parent / "templates" / "notice.docx"

#: The paragraphs of the template body: (style, text). docxtpl reads the {%p %} tags.
BODY: list[tuple[str, str]] = [
    ("Title", "{{ title }}"),
    ("Subtitle", "{%p if meta %}"),
    ("Subtitle", "{{r meta }}"),
    ("Subtitle", "{%p endif %}"),
    ("Normal", "{%p for b in blocks %}"),
    ("Normal", "{%p if b.kind == 'h2' %}"),
    ("Heading 1", "{{ b.text }}"),
    ("Normal", "{%p elif b.kind == 'h3' %}"),
    ("Heading 2", "{{ b.text }}"),
    ("Normal", "{%p elif b.kind == 'li' %}"),
    ("List Bullet", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'table' %}"),
    ("Normal", "{{p b.subdoc }}"),
    ("Normal", "{%p else %}"),
    ("Normal", "{{r b.rich }}"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{%p endfor %}"),
]


def build(target: Path = TARGET) -> None:
    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11.5)):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1D, 0x23, 0x29)
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(0x0B, 0x5C, 0xAD)
        link.font.underline = True
    table_style = styles["Table Grid"]
    assert table_style is not None
    # A fixed creation time keeps the file byte-stable between builds.
    with core_properties_namespace():
        props = doc.core_properties
        stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        props.created = props.modified = stamp
        props.last_printed = stamp
        props.title = ""
        props.author = "Seloste"
        props.last_modified_by = "Seloste"
        props.revision = 1
    # The body: replace python-docx's default empty paragraph.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for style, text in BODY:
        doc.add_paragraph(text, style=style)
    # Fixed zip member times, as the renderer writes: the same code builds the same bytes.
    target.write_bytes(package_bytes(doc))


def describe(path: Path) -> list[tuple[str, str]]:
    """The template's structure as (style, text) pairs: what the consistency test compares."""
    doc = Document(str(path))
    return [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs]


def main(argv: list[str]) -> None:
    target = Path(argv[0]) if argv else TARGET
    build(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
