"""Markdown, for sites built from Markdown and for reading a notice in a diff."""

from __future__ import annotations

import re

from seloste.model import Notice
from seloste.render.document import build_document
from seloste.render.templating import environment, gfm_slug, group
from seloste.vocab import Lang


def render_markdown(notice: Notice, lang: Lang | str | None = None) -> str:
    doc = build_document(notice, lang)
    text = environment().get_template("notice.md.j2").render(
        title=doc.title, items=group(doc.blocks),
        slugs={anchor: gfm_slug(text) for anchor, text in doc.anchors().items()})
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
