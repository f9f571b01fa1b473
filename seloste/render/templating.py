"""The one jinja2 environment: autoescape on, undefined names are errors.

Templates live in the repository's top-level `templates/` folder (SELOSTE_TEMPLATES overrides
it). Blocks are grouped here so that templates stay simple: consecutive list items become one
list.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from seloste.render.document import Block
from seloste.vocab import Lang

LANG_TAGS = {Lang.fi: "fi-FI", Lang.sv: "sv-FI", Lang.en: "en"}


def templates_dir() -> Path:
    override = os.environ.get("SELOSTE_TEMPLATES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "templates"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-])", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def md_escape(value: object) -> Markup:
    """Text for Markdown: HTML-escaped (Markdown passes raw HTML on) and punctuation escaped."""
    text = str(escape(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)
    return Markup(text.replace("\n", "  \n"))


def nl2br(value: object) -> Markup:
    """Escaped text whose line breaks show as breaks: a multi-line answer stays multi-line."""
    return Markup(str(escape(value)).replace("\n", "<br>\n"))


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["nl2br"] = nl2br
    return env


@dataclass
class Item:
    kind: str
    block: Block | None = None
    blocks: list[Block] = field(default_factory=list)


def group(blocks: list[Block]) -> list[Item]:
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
