"""Texts as data: one YAML file per language, nested keys flattened to dotted ids.

Notice clauses (`seloste/clauses/`), validation messages (`seloste/messages/`) and UI strings
(`seloste/web/ui/`) all load through here, so a missing id is found the same way everywhere:
`missing_ids()` compares every language against Finnish, the reference, and the tests fail on any
gap.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from seloste.vocab import LANGUAGES, Lang

#: `seloste.vocab.LANGUAGES` under the name the text modules and their tests use.
LANGS: tuple[Lang, ...] = LANGUAGES


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        elif isinstance(value, list):
            flat[full] = "\n".join(str(v) for v in value)
        else:
            flat[full] = "" if value is None else str(value)
    return flat


@cache
def load_texts(package: str, lang: str) -> dict[str, str]:
    """All texts of one package folder in one language, e.g. ("seloste.clauses", "fi")."""
    source = resources.files(package).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    tree = yaml.safe_load(source) or {}
    if not isinstance(tree, dict):
        raise ValueError(f"{package}/{lang}.yaml must be a mapping")
    return _flatten(tree)


def missing_ids(package: str) -> dict[str, set[str]]:
    """Ids present in any language but absent (or empty) in another, per language."""
    texts = {lang: load_texts(package, lang.value) for lang in LANGS}
    every = set().union(*texts.values())
    return {
        lang.value: {k for k in every if not texts[lang].get(k, "").strip()}
        for lang in LANGS
        if any(not texts[lang].get(k, "").strip() for k in every)
    }


def upper_first(text: str) -> str:
    """The first letter in upper case, the rest as it is: a clause fragment ("sähköpostiosoite",
    "EU:n asiakkaat") becomes a list label. `str.capitalize` would lower "EU" to "eu"."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """A user's own list item as part of a sentence ("Meeting notes" -> "meeting notes"),
    unless it starts with an acronym or a capitalised name ("CV", "IP-osoite", "GA4"): the
    notice joins typed items into its own lists, which read as sentences (issue #12)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


class Texts:
    """Lookup of one package's texts in one language; an unknown id is a bug, so it raises."""

    def __init__(self, package: str, lang: Lang | str) -> None:
        self.lang = Lang(lang)
        self._texts = load_texts(package, self.lang.value)
        self.package = package

    def __call__(self, key: str, /, **values: object) -> str:
        try:
            text = self._texts[key]
        except KeyError:
            raise KeyError(f"no text {key!r} in {self.package}/{self.lang.value}") from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._texts

    def ids(self) -> set[str]:
        return set(self._texts)
