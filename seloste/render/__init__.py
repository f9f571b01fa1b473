"""Renderers: pure functions from a notice and a language to text or bytes.

They never read session state; the wizard's downloads and `seloste render` call the same
functions, so a downloaded file is byte-identical to the command line's.
"""

from __future__ import annotations

from enum import StrEnum

from seloste.model import Notice
from seloste.render.docx import render_docx
from seloste.render.html import render_fragment, render_page
from seloste.render.markdown import render_markdown
from seloste.vocab import Lang


class Format(StrEnum):
    html = "html"
    page = "page"
    md = "md"
    docx = "docx"


MIME = {
    Format.html: "text/html",
    Format.page: "text/html",
    Format.md: "text/markdown",
    Format.docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(notice: Notice, fmt: Format | str, lang: Lang | str | None = None) -> bytes:
    """Any format as bytes (text formats in UTF-8)."""
    fmt = Format(fmt)
    if fmt is Format.docx:
        return render_docx(notice, lang)
    text = {
        Format.html: render_fragment,
        Format.page: render_page,
        Format.md: render_markdown,
    }[fmt](notice, lang)
    return text.encode("utf-8")


__all__ = ["MIME", "Format", "render", "render_docx", "render_fragment",
           "render_markdown", "render_page"]
