"""Build `seloste/render/templates/notice.docx` from code, so the Word template is reviewable
as a diff.

Run `make docx-template` (`python -m seloste.render.docx_template [TARGET]`) after changing it;
a test checks that the committed notice.docx has exactly the structure this module builds. It
writes into the source tree beside this file: building a template is a developer's step in a
checkout, while the renderer reads the result as package data, also from an installed wheel.
The template defines real heading styles (Heading 1-3) so Word's navigation pane and a PDF's
outline work, and a `Hyperlink` character style, without which LibreOffice loses link styling
on PDF export. The page is A4 with 2.5 cm margins, as a Finnish office prints it (python-docx's
default is US Letter). The first layer uses the `Summary` styles: shaded, with one border
around consecutive paragraphs, so it prints as a box; its heading has outline level 1, so it
is a PDF bookmark like the other sections. `toc 1` styles the pre-filled table of contents.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from seloste.render.docx import MARGIN_MM, core_properties_namespace, package_bytes

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
    ("Heading 1", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'h3' %}"),
    ("Heading 2", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'li' %}"),
    ("List Bullet", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'box_h2' %}"),
    ("Summary Heading", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'box_li' %}"),
    ("Summary Bullet", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'box_p' %}"),
    ("Summary", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'caption' %}"),
    ("Caption", "{{r b.rich }}"),
    ("Normal", "{%p elif b.kind == 'raw' %}"),
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
    _summary_styles(doc)
    toc = styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.base_style = normal
    toc.paragraph_format.space_after = Pt(2)
    caption = styles["Caption"]
    caption.font.name = "Calibri"
    caption.font.size = Pt(10)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0x1D, 0x23, 0x29)
    caption.paragraph_format.keep_with_next = True
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
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


_BOX_BORDER = "".join(
    f'<w:{side} w:val="single" w:sz="6" w:space="4" w:color="9FB3C8"/>'
    for side in ("top", "left", "bottom", "right"))


def _summary_styles(doc: Any) -> None:
    """Paragraph styles of the first layer: consecutive paragraphs with the same borders are
    drawn as one box by Word and LibreOffice, so the box needs no table or frame."""
    styles = doc.styles
    for name, base, outline in (("Summary", "Normal", False),
                                ("Summary Heading", "Normal", True),
                                ("Summary Bullet", "List Bullet", False)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(f"<w:pBdr {nsdecls('w')}>{_BOX_BORDER}</w:pBdr>"))
        ppr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" '
                             'w:fill="EEF3F8"/>'))
        fmt = style.paragraph_format
        fmt.space_after = Pt(4)
        fmt.left_indent = Pt(6) if name != "Summary Bullet" else Pt(24)
        fmt.right_indent = Pt(6)
        if outline:
            style.font.size = Pt(14)
            style.font.bold = True
            style.font.name = "Calibri"
            style.font.color.rgb = RGBColor(0x1D, 0x23, 0x29)
            fmt.keep_with_next = True
            fmt.space_before = Pt(6)
            ppr.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))


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
