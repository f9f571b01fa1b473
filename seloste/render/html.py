"""HTML: a fragment to paste into a website, and a standalone print-friendly page."""

from __future__ import annotations

from markupsafe import Markup

from seloste.model import Notice
from seloste.render.document import Document, build_document
from seloste.render.templating import LANG_TAGS, environment, group
from seloste.vocab import Lang


def render_fragment(notice: Notice, lang: Lang | str | None = None) -> str:
    return fragment_of(build_document(notice, lang))


def fragment_of(doc: Document, *, base: int = 2, prefix: str = "seloste-") -> str:
    """`base` is the title's heading level: 2 in a website (which has its own h1), 1 alone."""
    return environment().get_template("fragment.html.j2").render(
        title=doc.title, items=group(doc.blocks), lang_tag=LANG_TAGS[doc.lang], base=base,
        prefix=prefix,
    ).strip() + "\n"


def render_page(notice: Notice, lang: Lang | str | None = None) -> str:
    doc = build_document(notice, lang)
    fragment = fragment_of(doc, base=1)
    return environment().get_template("page.html.j2").render(
        title=doc.title, lang_tag=LANG_TAGS[doc.lang], fragment=Markup(fragment.strip()),
    ).strip() + "\n"
