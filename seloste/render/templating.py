"""The one jinja2 environment: autoescape on, undefined names are errors.

Templates are package data (`seloste/render/templates/`), read through `importlib.resources`
rather than a path computed from this file: an installed wheel (or a zip import) has no
checkout around it, and the renderers must work there as they do in a clone. Blocks are grouped
here so that templates stay simple: consecutive list items become one list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup, escape

from seloste.render.document import Block
from seloste.vocab import Lang

LANG_TAGS = {Lang.fi: "fi-FI", Lang.sv: "sv-FI", Lang.en: "en"}


#: The package folder that holds the jinja templates and notice.docx.
TEMPLATES_PACKAGE = "seloste.render"
TEMPLATES_FOLDER = "templates"


def template_file(name: str) -> Traversable:
    """One template as a package resource (a file in a checkout or a wheel, a zip member...)."""
    return files(TEMPLATES_PACKAGE).joinpath(TEMPLATES_FOLDER, name)


def _load_template(name: str) -> str | None:
    """jinja's loader: the template's text, or None (jinja then raises TemplateNotFound)."""
    resource = template_file(name)
    if not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def _html_escape_text(value: object) -> str:
    """`&`, `<` and `>` escaped, quotes kept: Markdown passes raw HTML on, so a tag must not
    survive, but an apostrophe as typed must not turn into `&#39;` either (issue #12)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_escape(value: object) -> Markup:
    """Text for Markdown: HTML-escaped (Markdown passes raw HTML on) and punctuation escaped."""
    text = _html_escape_text(value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)
    return Markup(text.replace("\n", "  \n"))


def md_cell(value: object) -> Markup:
    """A GitHub-flavoured table cell: escaped like any text, line breaks as <br> (a newline
    would end the row)."""
    return Markup(str(md_escape(value)).replace("  \n", "<br>"))


_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def gfm_slug(heading: str) -> str:
    """The id GitHub (and most Markdown renderers) give a heading: lower case, punctuation
    dropped, spaces as hyphens. Internal links in the Markdown notice point there."""
    return _SLUG_DROP.sub("", heading.strip().lower()).replace(" ", "-")


def nl2br(value: object) -> Markup:
    """Escaped text whose line breaks show as breaks: a multi-line answer stays multi-line."""
    return Markup(str(escape(value)).replace("\n", "<br>\n"))


@cache
def environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_load_template),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_cell"] = md_cell
    env.filters["nl2br"] = nl2br
    env.globals["lang_tags"] = LANG_TAGS
    return env


@dataclass
class Item:
    kind: str
    block: Block | None = None
    blocks: list[Block] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    """A box's own items (the first layer)."""


def group(blocks: list[Block]) -> list[Item]:
    """Consecutive list items become one list; the first layer's blocks one box."""
    items: list[Item] = []
    i = 0
    while i < len(blocks):
        if blocks[i].box:
            j = i
            while j < len(blocks) and blocks[j].box:
                j += 1
            items.append(Item("box", items=_lists(blocks[i:j])))
            i = j
            continue
        j = i
        while j < len(blocks) and not blocks[j].box:
            j += 1
        items += _lists(blocks[i:j])
        i = j
    return items


def _lists(blocks: list[Block]) -> list[Item]:
    items: list[Item] = []
    for b in blocks:
        if b.kind == "li":
            if items and items[-1].kind == "ul":
                items[-1].blocks.append(b)
            else:
                items.append(Item("ul", blocks=[b]))
        else:
            items.append(Item(b.kind, block=b))
    return items
