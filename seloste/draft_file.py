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

import codecs
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from seloste.errors import FieldError, error_message, translate
from seloste.limits import MAX_DRAFT_BYTES
from seloste.localized import LOCALIZED_V1_PATHS, wrap_plain
from seloste.model import SCHEMA_VERSION, Notice
from seloste.vocab import LANGUAGES, Lang

__all__ = ["MAX_DRAFT_BYTES", "DraftResult", "dump_draft", "parse_draft"]

def _preset_texts() -> tuple[dict[str, str], dict[tuple[str, str], set[str]]]:
    """(name in any language -> preset id, (preset id, purpose) -> its LI text in each language).

    Version 1 copied a preset's Finnish (or Swedish/English) texts into the draft; version 2
    keeps the preset key instead, so such copies become the key again.
    """
    from seloste.i18n import Texts
    from seloste.presets import CLAUSES, load_presets

    names: dict[str, str] = {}
    interests: dict[tuple[str, str], set[str]] = {}
    for lang in Lang:
        t = Texts(CLAUSES, lang)
        for pid, preset in load_presets().items():
            names[t(f"preset.{pid}.name")] = pid
            for pp in preset.purposes:
                if pp.legitimate_interest:
                    key = (pid, pp.purpose.value)
                    interests.setdefault(key, set()).add(t(f"preset.{pid}.li.{key[1]}"))
    return names, interests


_SITE_SUBJECTS = {"website_visitors"}
_SITE_PURPOSES = {"web_analytics", "targeted_advertising"}


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 -> 2 (issue #11): answers the notice was missing, presets back to keys.

    - the register's requirement (and consequence) move onto each of its purposes (the
      consequence onto the first only, so the notice does not repeat it);
    - a register name or legitimate-interest text equal to a preset's text becomes the preset
      key (`Register.preset`, empty text), rendering in any notice language;
    - a register of website visitors with an analytics or advertising purpose becomes the site
      register (`kind: site`);
    - the old tick "processor agreements" (a security measure) was the only answer about
      agreements: with it, each processor's agreement is `confirmed` (`in_terms` where the
      catalogue says the agreement is part of the terms); without it, unanswered;
    - "no recipients" and the Art. 22(2) exception were never asked: unanswered;
    - the cookie mechanism and withdrawal method had defaults in v1: a v1 draft keeps them;
    - every free-text answer becomes a text in the v1 draft's `language` (issue #13) and
      `languages` is that one language: nothing is guessed to be a translation.
    """
    from seloste.catalogue import DpaKind, load_catalogue

    cookies = data.get("cookies")
    if isinstance(cookies, dict):  # v1's defaults, which v2 no longer presumes
        cookies.setdefault("mechanism", "banner")
        cookies.setdefault("withdraw", "footer_link")
    names, interests = _preset_texts()
    catalogue = load_catalogue()
    for reg in data.get("registers") or []:
        if not isinstance(reg, dict):
            continue
        requirement = reg.pop("requirement", None)
        consequence = reg.pop("requirement_consequence", "")
        # A hand-edited or already-newer draft may hold a text per language here: only a v1
        # plain string can equal a preset's text.
        name = reg.get("name")
        preset = names.get(name) if isinstance(name, str) else None
        if preset is not None:
            reg["name"] = ""
        purposes = reg.get("purposes") or []
        for j, pe in enumerate(purposes):
            if not isinstance(pe, dict):
                continue
            pe.setdefault("requirement", requirement)
            pe.setdefault("requirement_consequence", consequence if j == 0 else "")
            text = pe.get("legitimate_interest") or ""
            if not isinstance(text, str):
                text = ""
            for (pid, purpose), known in interests.items():
                if (text and pe.get("purpose") == purpose and text in known
                        and preset in (None, pid)):
                    preset = pid
                    pe["legitimate_interest"] = ""
        reg.setdefault("preset", preset)
        subjects = set(reg.get("data_subjects") or [])
        site = subjects & _SITE_SUBJECTS and any(
            isinstance(pe, dict) and pe.get("purpose") in _SITE_PURPOSES for pe in purposes)
        reg.setdefault("kind", "site" if site else "general")
        reg.setdefault("no_recipients_confirmed", False)
        reg.setdefault("automated_exception", None)
        agreed = "processor_agreements" in (reg.get("security_electronic") or [])
        for use in reg.get("services") or []:
            if not isinstance(use, dict):
                continue
            state = None
            if agreed:
                cid = use.get("catalogue_id")
                if isinstance(cid, str) and cid in catalogue:
                    entry = catalogue.get(cid)
                    if entry.has_role("processor") and entry.dpa is not DpaKind.NONE:
                        state = "in_terms" if entry.dpa is DpaKind.IN_TERMS else "confirmed"
                elif isinstance(use.get("custom"), dict) and (
                        use["custom"].get("role", "processor") == "processor"):
                    state = "confirmed"
            use.setdefault("dpa", state)
            use.setdefault("options", {})
            use.setdefault("checked_on", None)
    # Free text per language (issue #13), after the preset texts became keys above: every
    # remaining v1 string is the user's own text in the language the v1 draft was written in.
    language = str(data.get("language") or "fi")
    if language not in LANGUAGES:
        language = "fi"
    wrap_plain(data, LOCALIZED_V1_PATHS, language)
    data.setdefault("languages", [language])
    return data

#: Arrays and objects inside each other: a draft has at most 5 (registers.0.purposes.1.basis).
MAX_DRAFT_DEPTH = 32
#: Digits of a number: a draft's numbers are months, ages and a schema version.
MAX_NUMBER_DIGITS = 20

#: A JSON string (escapes included) or one bracket: strings are skipped when counting depth.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*+"|[\[\]{}]')



#: MIGRATIONS[n] turns a version-n draft dict into a version-(n+1) one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


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
        text = decode_text(raw)
        if text is None:
            return _fail("not_utf8", lang)
        raw = text
    if _depth(raw) > MAX_DRAFT_DEPTH:
        return _fail("too_deep", lang, limit=MAX_DRAFT_DEPTH)
    try:
        data = json.loads(raw, parse_int=_parse_int, parse_float=_parse_float,
                          parse_constant=_parse_constant)
    except json.JSONDecodeError as exc:
        # The decoder's own words are English ("Expecting value"): only the place is shown.
        return _fail("not_json", lang, line=exc.lineno, col=exc.colno)
    except _NumberTooLong:
        return _fail("number_too_long", lang, limit=MAX_NUMBER_DIGITS)
    except RecursionError:  # a second wall: the depth bound above should hold
        return _fail("too_deep", lang, limit=MAX_DRAFT_DEPTH)
    except ValueError:
        return _fail("not_json", lang, line=1, col=1)
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
