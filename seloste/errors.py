"""Validation errors as the user should read them: field path plus a message in their language.

pydantic's own messages are English and technical; each error type maps to a sentence in
`seloste/messages/{fi,sv,en}.yaml` that says what to do. The path stays machine-readable
(`registers.0.purposes.1.basis`) so the wizard can show the message next to the right widget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from babel.numbers import format_decimal
from pydantic import ValidationError

from seloste.i18n import Texts
from seloste.limits import MAX_ERRORS_SHOWN
from seloste.vocab import Lang


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str

    def line(self) -> str:
        return f"{self.path}: {self.message}"


def error_message(kind: str, context: Mapping[str, object] | None, lang: Lang | str) -> str:
    texts = Texts("seloste.messages", lang)
    key = f"error.{kind}"
    if not texts.has(key):
        key = "error.generic"
    try:
        return texts(key, **(context or {}))
    except (KeyError, IndexError):
        return texts("error.generic")


#: Rejections that only say "this answer is not whole yet": the field that completes it is right
#: beside it (a purpose switched to "Muu tarkoitus" waits for its description, a period's number
#: for its unit, an "until" event for its maximum). The wizard shows them as a note on what to
#: fill in next, not as a red error before the user had a chance to type (issue #18).
WAITING_KINDS = frozenset({"purpose_missing", "period_incomplete", "maximum_missing"})


def waiting_message(kind: str, lang: Lang | str) -> str | None:
    """What to fill in next for a `WAITING_KINDS` rejection; None for a real error."""
    if kind not in WAITING_KINDS:
        return None
    return Texts("seloste.messages", lang)(f"waiting.{kind}")


def more_errors(count: int, lang: Lang | str) -> FieldError:
    """The last line of a capped error list: "… and 4 812 more" (the number in the language's
    own format)."""
    return FieldError("…", error_message("more_errors", {"count": format_decimal(
        count, locale=Lang(lang).value)}, lang))


def cap(errors: list[FieldError], lang: Lang | str,
        limit: int = MAX_ERRORS_SHOWN) -> list[FieldError]:
    """At most ``limit`` lines, then one that counts the rest: a hostile file's 495,000 errors
    once crashed the browser tab that tried to show them."""
    if len(errors) <= limit:
        return errors
    return [*errors[:limit], more_errors(len(errors) - limit, lang)]


def translate(exc: ValidationError, lang: Lang | str, prefix: str = "",
              limit: int = MAX_ERRORS_SHOWN) -> list[FieldError]:
    """One FieldError per pydantic error, in the user's language; at most ``limit`` of them,
    then a line that counts the rest (`cap`)."""
    root = Texts("seloste.messages", lang)("root")
    found: list[FieldError] = []
    total = exc.error_count()
    for err in exc.errors(include_url=False)[:limit]:
        loc = [str(p) for p in err["loc"]]
        path = ".".join(part for part in loc if part not in ("function-after", "function-before"))
        path = f"{prefix}.{path}" if prefix and path else (prefix or path or root)
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, str | int | float)}
        kind = err["type"]
        if kind == "too_long" and ctx.get("field_type") == "List":
            kind = "list_too_long"
        found.append(FieldError(path, error_message(kind, ctx, lang)))
    if total > limit:
        found.append(more_errors(total - limit, lang))
    return found
