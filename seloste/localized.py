"""Free text that holds one text per notice language (issue #13).

A key (an enum value, a catalogue id) renders in any language; what a user types does not. A
company that publishes its notice in Finnish and Swedish writes each free-text answer twice, so
each answer is stored as one text per language, and a renderer asks for the text in *its*
language and learns whether it got a fallback (`text_for`). A fallback is never silent: the
checks list it as "missing in Swedish", and the renderers mark the passage with the language it
is really written in (WCAG 2.1 SC 3.1.2), so a screen reader reads Finnish with a Finnish voice
inside a Swedish notice.

Why a model with one field per language rather than ``dict[Lang, str]``: a draft is edited by
field path (`seloste.web.paths`), so ``registers.0.name.sv`` must be an attribute that exists
(empty) before the user types it; validation errors then point at the exact language's field;
a hand-edited draft with ``"se": …`` is refused (``extra="forbid"``) instead of losing the text;
and mypy sees ``value.sv``. Each text is cleaned exactly like the single-language field it
replaces (`seloste.fields.ShortText` / `LongText`), so nothing that reaches a DOCX changes.

A plain string is accepted only when the caller says which language it is in (validation
context ``{TEXT_LANG: Lang.fi}``, or `of`). Guessing "Finnish" would recreate the bug this module
exists for: Finnish passages inside Swedish notices with nothing to say so. The v1 -> v2 draft
migration therefore wraps every old string with the v1 draft's own ``language``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from difflib import SequenceMatcher
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from seloste.fields import LongText, ShortText
from seloste.vocab import LANGUAGES, Lang

#: Validation-context key naming the language of plain strings (used by the draft migration).
TEXT_LANG = "text_lang"
#: The language of plain strings where no validation context names one. None (refuse) in the
#: application; the test suite sets it to Finnish (tests/conftest.py) so that fixtures can
#: build `Register(name="Asiakkaat")` the way they always have.
PLAIN_TEXT_LANG: ContextVar[str | None] = ContextVar("plain_text_lang", default=None)
#: Every language in the order the fallbacks are tried when the caller names none.
LANGS: tuple[Lang, ...] = LANGUAGES


class _Localized(BaseModel):
    """The shared behaviour of `LocalizedShort` and `LocalizedLong` (fields ``fi``, ``sv``, ``en``).

    Immutable like a string: a wizard edit builds a new value (`with_text`), so a draft copied
    for the undo of a list move can never share a half-edited text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    fi: str
    sv: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _from_plain(cls, data: Any, info: ValidationInfo) -> Any:
        """A plain string, in the language the validation context names (the migration)."""
        if not isinstance(data, str):
            return data
        context = info.context if isinstance(info.context, dict) else {}
        lang = context.get(TEXT_LANG) or PLAIN_TEXT_LANG.get()
        if lang is None:
            raise PydanticCustomError(
                "text_language", "free text must say which language it is written in")
        return {Lang(lang).value: data}

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def of(cls, lang: Lang | str, text: str) -> Self:
        """A text in one language (the others not written yet)."""
        return cls.model_validate({Lang(lang).value: text})

    @classmethod
    def empty(cls) -> Self:
        return cls.model_validate({})

    # -- reading ------------------------------------------------------------------------------
    def get(self, lang: Lang | str) -> str:
        """The text written in ``lang`` exactly ("" when not written)."""
        return str(getattr(self, Lang(lang).value))

    def given(self) -> bool:
        """True when the answer is written in at least one language."""
        return any(self.get(lang) for lang in LANGS)

    def __bool__(self) -> bool:
        """Truthy when given in some language, as the plain string it replaced was when typed."""
        return self.given()

    def __str__(self) -> str:
        # A localized answer has no single text: printing it without a language is the bug
        # this module exists to prevent, so it fails loudly instead of picking one.
        raise TypeError("a localized text needs a language: use text_for() or .pick()")

    def pick(self, lang: Lang | str, fallbacks: Sequence[Lang | str] = LANGS) -> str:
        """The text in ``lang``, else the first fallback that has one (for the wizard, the
        record, the change list: places that show a text but do not mark a language)."""
        return text_for(self, lang, fallbacks)[0]

    def all_texts(self) -> list[str]:
        """Every language's text that is written (searching free text for service names)."""
        return [self.get(lang) for lang in LANGS if self.get(lang)]

    def languages(self) -> list[Lang]:
        """The languages the answer is written in, in `LANGS` order."""
        return [lang for lang in LANGS if self.get(lang)]

    def missing_in(self, wanted: Iterable[Lang | str]) -> list[Lang]:
        """Of the notice's languages ``wanted``, those this answer still lacks.

        An answer written in no language is not "missing a translation": whether it is needed
        at all is the checks' business (a missing source detail is a different finding).
        """
        if not self.given():
            return []
        return [Lang(lang) for lang in wanted if not self.get(lang)]

    # -- editing ------------------------------------------------------------------------------
    def with_text(self, lang: Lang | str, text: str) -> Self:
        """A copy with the text of ``lang`` replaced (cleaned like every text; "" removes it)."""
        data = self.model_dump()
        data[Lang(lang).value] = text
        return type(self).model_validate(data)


class LocalizedShort(_Localized):
    """A one-line answer per language: a register name, a custom data category."""

    fi: ShortText = ""
    sv: ShortText = ""
    en: ShortText = ""


class LocalizedLong(_Localized):
    """A paragraph per language: a legitimate interest, a source detail, a retention reason."""

    fi: LongText = ""
    sv: LongText = ""
    en: LongText = ""


Localized = LocalizedShort | LocalizedLong


def text_for(value: _Localized, lang: Lang | str,
             fallbacks: Sequence[Lang | str] = LANGS) -> tuple[str, Lang | None]:
    """The text to print in a notice in ``lang``, and the language it is really written in.

    Returns ``(text, None)`` when the answer is written in ``lang``; ``(text, other)`` when it
    is not and ``other`` is the first of ``fallbacks`` that has it (pass the notice's chosen
    languages, primary first: a Swedish notice of a Finnish company falls back to Finnish, not
    to English); ``("", None)`` when the answer is not given at all. The renderer marks a
    fallback passage with ``lang=other`` and the checks report it; nothing else may decide.
    """
    wanted = Lang(lang)
    own = value.get(wanted)
    if own:
        return own, None
    for candidate in fallbacks:
        other = Lang(candidate)
        if other is not wanted and value.get(other):
            return value.get(other), other
    return "", None


def fallback_order(languages: Sequence[Lang | str]) -> list[Lang]:
    """The order fallbacks are tried in: the notice's languages (primary first), then the rest.

    A text written only in a language the notice is not published in is still better printed
    (marked with its language) than silently dropped.
    """
    first = [Lang(lang) for lang in languages]
    return first + [lang for lang in LANGS if lang not in first]


def edit_list_language(items: Sequence[dict[str, str]], lang: str,
                       typed: Sequence[str]) -> list[dict[str, str]]:
    """A localized list after one language's box was edited: ``typed`` is that box's lines.

    Why not line by line: a Finnish box of "Allergiat / Värikaavat / Käyntihistoria" whose
    first line is deleted would pair "Värikaavat" with the Swedish "Allergier" and leave the
    Swedish notice listing allergies the Finnish one no longer does. The edit is aligned with
    the language's old lines instead (difflib): a deleted line empties that language of its
    own item, an inserted line becomes a new item in place, a changed line stays with its
    translations. An item left in no language is gone. ``items`` are `model_dump`s.
    """
    old = [dict(item) for item in items]
    before = [item.get(lang, "") for item in old]
    out: list[dict[str, str]] = []
    matcher = SequenceMatcher(a=before, b=list(typed), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += old[i1:i2]
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            text = typed[j1 + k] if j1 + k < j2 else ""
            if i1 + k < i2:
                old[i1 + k][lang] = text
                out.append(old[i1 + k])
            else:
                out.append({lang: text})
    return [item for item in out if any(item.get(code.value) for code in LANGS)]


def missing_translations(values: Iterable[tuple[str, _Localized]],
                         wanted: Iterable[Lang | str]) -> list[tuple[str, Lang]]:
    """``(path, language)`` for every answer at ``path`` lacking one of the ``wanted`` languages.

    The review lists these with a fix button, and the check output names them; ``values`` comes
    from `iter_localized` over the notice so that no free-text field can be forgotten.
    """
    langs = [Lang(lang) for lang in wanted]
    return [(path, lang) for path, value in values for lang in value.missing_in(langs)]


def iter_localized(obj: object, prefix: str = "") -> Iterable[tuple[str, _Localized]]:
    """Every localized value inside a model (or lists and dicts of models), with its path.

    Paths are the wizard's field paths (``registers.0.purposes.1.legitimate_interest``), so a
    finding can sit next to the field that fixes it.
    """
    if isinstance(obj, _Localized):
        yield prefix, obj
        return
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from iter_localized(getattr(obj, name), _join(prefix, name))
    elif isinstance(obj, list | tuple):
        for index, item in enumerate(obj):
            yield from iter_localized(item, _join(prefix, str(index)))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from iter_localized(item, _join(prefix, str(key)))


def _join(prefix: str, part: str) -> str:
    return f"{prefix}.{part}" if prefix else part


def wrap_plain(data: Any, paths: Iterable[str], lang: Lang | str) -> Any:
    """Migration helper: in plain draft data, make the strings at ``paths`` ``{lang: text}``.

    ``paths`` may contain ``*`` for "every item of this list" (``registers.*.name``). Strings
    only: a value already localized (a dict) is left alone, so running the migration twice
    changes nothing; an empty string becomes ``{}`` (not written in any language).
    """
    code = Lang(lang).value
    for path in paths:
        _wrap(data, path.split("."), code)
    return data


def _wrap(node: Any, parts: list[str], code: str) -> None:
    head, rest = parts[0], parts[1:]
    children: list[Any]
    if head == "*":
        children = list(range(len(node))) if isinstance(node, list) else []
    elif isinstance(node, dict) and head in node:
        children = [head]
    else:
        return
    for key in children:
        target = node[key]
        if rest:
            if target is not None:
                _wrap(target, rest, code)
        elif isinstance(target, str):
            node[key] = {code: target} if target else {}
        elif isinstance(target, list):
            node[key] = [{code: item} if isinstance(item, str) else item for item in target]


#: Where v1 drafts hold free text that v2 keeps per language (the draft migration and the
#: model both read it, so it lives here, not in draft_file).
LOCALIZED_V1_PATHS = (
    "registers.*.name", "registers.*.custom_data_subjects", "registers.*.custom_data_categories",
    "registers.*.purposes.*.description", "registers.*.purposes.*.legitimate_interest",
    "registers.*.purposes.*.requirement_consequence",
    "registers.*.special_note", "registers.*.source_details", "registers.*.other_recipients",
    "registers.*.services.*.note", "registers.*.services.*.custom.purpose",
    "registers.*.retention.*.what", "registers.*.retention.*.reason",
    "registers.*.automated_logic", "registers.*.profiling_description",
    "registers.*.security_note",
    "cookies.withdraw_note", "cookies.note", "cookies.custom_cookies.*.description",
    "request_instructions",
)
