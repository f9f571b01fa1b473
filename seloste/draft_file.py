"""Reading a draft file (the CLI's input, the wizard's import) without ever half-loading it.

A draft either parses completely into a `Notice` or yields a list of errors in the user's
language; the caller's current draft is never touched in between. Older schema versions are
migrated by code (`MIGRATIONS`), newer ones are refused: guessing at a future format could
silently drop answers.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from seloste.errors import FieldError, error_message, translate
from seloste.limits import MAX_DRAFT_BYTES
from seloste.model import SCHEMA_VERSION, Notice
from seloste.vocab import Lang

__all__ = ["MAX_DRAFT_BYTES", "DraftResult", "dump_draft", "parse_draft"]

#: MIGRATIONS[n] turns a version-n draft dict into a version-(n+1) one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass
class DraftResult:
    notice: Notice | None
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.notice is not None and not self.errors


def _fail(kind: str, lang: Lang | str, path: str = "", **ctx: object) -> DraftResult:
    return DraftResult(None, [FieldError(path or "-", error_message(kind, ctx, lang))])


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("schema_version", SCHEMA_VERSION)
    while isinstance(version, int) and version < SCHEMA_VERSION and version in MIGRATIONS:
        data = MIGRATIONS[version](data)
        version = data["schema_version"] = version + 1
    return data


def decode_text(raw: bytes) -> str | None:
    """UTF-8 (with or without a BOM), or UTF-16 with its BOM (Notepad's "Unicode"); else None."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def parse_draft(raw: bytes | str, lang: Lang | str = Lang.fi,
                max_bytes: int = MAX_DRAFT_BYTES) -> DraftResult:
    """Parse and validate a draft file; every problem becomes one error line."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > max_bytes:
        return _fail("too_large", lang, size=size, limit=max_bytes)
    if isinstance(raw, bytes):
        text = decode_text(raw)
        if text is None:
            return _fail("not_utf8", lang)
        raw = text
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        # The decoder's own words are English ("Expecting value"): only the place is shown.
        return _fail("not_json", lang, line=exc.lineno, col=exc.colno)
    if not isinstance(data, dict):
        return _fail("not_object", lang)
    version = data.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        return _fail("newer_version", lang, "schema_version", version=version)
    try:
        return DraftResult(Notice.model_validate(migrate(data)))
    except ValidationError as exc:
        return DraftResult(None, translate(exc, lang))


def dump_draft(notice: Notice) -> str:
    """The canonical draft file: stable key order, so equal drafts are equal bytes."""
    return notice.model_dump_json(indent=2, exclude_none=False) + "\n"
