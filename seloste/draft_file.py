"""Reading a draft file (the CLI's input, the wizard's import) without ever half-loading it.

A draft either parses completely into a `Notice` or yields a list of errors in the user's
language; the caller's current draft is never touched in between. Older schema versions are
migrated by code (`MIGRATIONS`), newer ones are refused: guessing at a future format could
silently drop answers.

A draft file is untrusted input (an upload, a file handed to the CLI), so it is measured before
anything expands it: its size (`MAX_DRAFT_BYTES`), how deeply its arrays and objects nest
(`MAX_DRAFT_DEPTH`: Python's parser recurses and would raise RecursionError at ~1,000 levels,
pydantic's validator deeper still) and how long its numbers are (`MAX_NUMBER_DIGITS`: Python
refuses to convert integers of over 4,300 digits with a ValueError, and smaller ones are still
quadratic to convert). Each is a message in the user's language, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from seloste.errors import FieldError, error_message, translate
from seloste.model import SCHEMA_VERSION, Notice
from seloste.vocab import Lang

MAX_DRAFT_BYTES = 1_000_000
#: Arrays and objects inside each other: a draft has at most 5 (registers.0.purposes.1.basis).
MAX_DRAFT_DEPTH = 32
#: Digits of a number: a draft's numbers are months, ages and a schema version.
MAX_NUMBER_DIGITS = 20

#: A JSON string (escapes included) or one bracket: strings are skipped when counting depth.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*+"|[\[\]{}]')

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


class _NumberTooLong(ValueError):
    pass


def _depth(raw: str) -> int:
    """How deeply arrays and objects nest, brackets inside strings not counted (linear time).

    A malformed file may miscount; then json.loads refuses it anyway.
    """
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(raw):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DRAFT_DEPTH:
                    break
        elif token in "]}":
            depth -= 1
    return deepest


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(text[:30])
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise _NumberTooLong(text[:30])
    return float(text)


def _parse_constant(text: str) -> float:
    """NaN and Infinity are not JSON (Python's parser accepts them): refuse them."""
    raise json.JSONDecodeError(f"{text} is not a JSON value", text, 0)


def parse_draft(raw: bytes | str, lang: Lang | str = Lang.fi,
                max_bytes: int = MAX_DRAFT_BYTES) -> DraftResult:
    """Parse and validate a draft file; every problem becomes one error line."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > max_bytes:
        return _fail("too_large", lang, size=size, limit=max_bytes)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _fail("not_utf8", lang)
    if _depth(raw) > MAX_DRAFT_DEPTH:
        return _fail("too_deep", lang, limit=MAX_DRAFT_DEPTH)
    try:
        data = json.loads(raw, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_parse_constant)
    except json.JSONDecodeError as exc:
        return _fail("not_json", lang, detail=f"{exc.msg} (line {exc.lineno}, col {exc.colno})")
    except _NumberTooLong:
        return _fail("number_too_long", lang, limit=MAX_NUMBER_DIGITS)
    except (RecursionError, ValueError) as exc:  # a second wall: the bounds above should hold
        return _fail("not_json", lang, detail=type(exc).__name__)
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
