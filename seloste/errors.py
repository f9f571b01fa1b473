"""Validation errors as the user should read them: field path plus a message in their language.

pydantic's own messages are English and technical; each error type maps to a sentence in
`seloste/messages/{fi,sv,en}.yaml` that says what to do. The path stays machine-readable
(`registers.0.purposes.1.basis`) so the wizard can show the message next to the right widget.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from seloste.i18n import Texts
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


def translate(exc: ValidationError, lang: Lang | str, prefix: str = "") -> list[FieldError]:
    """One FieldError per pydantic error, in the user's language."""
    root = Texts("seloste.messages", lang)("root")
    found: list[FieldError] = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"]]
        path = ".".join(part for part in loc if part not in ("function-after", "function-before"))
        path = f"{prefix}.{path}" if prefix and path else (prefix or path or root)
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, str | int | float)}
        found.append(FieldError(path, error_message(err["type"], ctx, lang)))
    return found
