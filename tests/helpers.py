"""Helpers shared by the tests: reading outputs back and walking a notice's user text."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
import html5lib
from pydantic import BaseModel

from seloste.localized import fallback_order, iter_localized, text_for
from seloste.model import Notice
from seloste.vocab import Lang


def user_strings(model: BaseModel) -> Iterator[tuple[str, str]]:
    """(field path, value) for every non-empty user-entered string in a model."""

    def walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name), f"{path}.{name}" if path else name)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, f"{path}.{i}")
        elif isinstance(value, str) and not hasattr(value, "value") and value:
            yield path, value

    yield from walk(model, "")


#: Fields that are keys or machine values, not text a reader sees verbatim.
NOT_PRINTED = ("catalogue_id", "country", "schema_version", "preset",
               "record_access", "record_location")  # record only (Art. 30), never published


def printed_strings(notice: Notice, lang: Lang | str | None = None) -> list[tuple[str, str]]:
    """Every user string the notice in ``lang`` prints: plain fields, and of each free-text
    answer the text in ``lang`` or, when that is missing, the fallback the renderer uses."""
    lang = Lang(lang) if lang else notice.language
    chosen = {
        path: text_for(value, lang, fallback_order(notice.published_languages()))
        for path, value in iter_localized(notice)
    }
    out = []
    for path, value in user_strings(notice):
        parent, _, last = path.rpartition(".")
        if last in NOT_PRINTED:
            continue
        if parent in chosen:
            _text, fallback = chosen[parent]
            if last != (fallback or lang).value:
                continue
        out.append((path, value))
    return out


def docx_text(data: bytes) -> str:
    """All text of a DOCX: body paragraphs and table cells, in order."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def html_text(fragment: str) -> str:
    """The text content of parsed HTML (entities decoded), as a browser would show it."""
    tree = html5lib.parse(fragment, namespaceHTMLElements=False)
    return "".join(tree.itertext())


def html_tree(fragment: str) -> Any:
    return html5lib.parse(fragment, namespaceHTMLElements=False)
