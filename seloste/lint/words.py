"""The lint's keyword patterns: what counts as naming an item in an old notice.

The words are data (`seloste/lint/stems/{fi,sv,en}.yaml`, keyed by a stable name, like the
other texts); the structure is here: which keys make up which pattern, the language-neutral
alternatives (an e-mail address, a phone number, "art. 6"), and how a retention period is a
number then a unit. A key's alternatives from every language are joined into one pattern, so a
Finnish notice quoting the English term still counts.

Matched against casefolded, normalised text (`analyse._normalise`), so inflected forms match
("suostumuksesi"). Every repeat is bounded (tests/test_hostile_regex.py).
"""

from __future__ import annotations

import re
from importlib import resources

import yaml

from seloste.vocab import LANGUAGES


class StemsError(ValueError):
    """A stems file is malformed or names a key the code does not use (a typo loses words)."""


def _load(lang: str) -> dict[str, tuple[str, ...]]:
    name = f"{lang}.yaml"
    text = resources.files("seloste.lint.stems").joinpath(name).read_text(encoding="utf-8")
    return parse_stems(name, yaml.safe_load(text))


def parse_stems(name: str, data: object) -> dict[str, tuple[str, ...]]:
    """One stems file's mapping, checked: key -> non-empty list of non-empty strings."""
    if not isinstance(data, dict):
        raise StemsError(f"{name}: expected a mapping of key to a list of stems")
    out: dict[str, tuple[str, ...]] = {}
    for key, stems in data.items():
        if not (isinstance(stems, list) and stems and all(isinstance(s, str) and s for s in stems)):
            raise StemsError(f"{name}: {key!r} must be a non-empty list of strings")
        out[str(key)] = tuple(stems)
    return out


#: language -> key -> regular-expression alternatives, as the data files hold them.
STEMS: dict[str, dict[str, tuple[str, ...]]] = {lang: _load(lang) for lang in LANGUAGES}
_USED: set[str] = set()


def stems(key: str) -> list[str]:
    """Every language's alternatives for `key`, Finnish first; a key no language has is a bug."""
    _USED.add(key)
    out = [s for lang in LANGUAGES for s in STEMS[lang].get(key, ())]
    if not out:
        raise StemsError(f"no language has stems for {key!r}")
    return out


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _words(key: str, *neutral: str) -> re.Pattern[str]:
    """The pattern for `key`: its stems in every language, plus language-neutral alternatives."""
    return _rx(*stems(key), *neutral)


def _group(key: str) -> str:
    return "(?:" + "|".join(stems(key)) + ")"


# ---------------------------------------------------------------- patterns (casefolded text)

_BASES: dict[str, re.Pattern[str]] = {
    basis: _words(f"basis.{basis}")
    for basis in ("consent", "contract", "legal_obligation", "legitimate_interest",
                  "vital_interests", "public_task")
}
#: Words that tie a basis to a purpose ("peruste:", "oikeusperuste", "art. 6", "legal basis").
_TIE = _words("tie", r"art\.\s*6")
_PURPOSE = _words("purpose")
#: The repealed law's "asiallinen yhteys" (customer relationship or other proper connection).
_OLD_BASIS = _words("old_basis")

_C1_NAME = _words("controller.name", r"\b\d{7}-\d\b")  # a business id, 1234567-8
_C1_CONTACT = _words(
    "controller.contact",
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}",  # an e-mail address
    r"\(at\)", r"\[at\]",
    r"(?:\+358|\b0)\s?\d{1,3}[\s-]?\d{3}[\s-]?\d{2,4}",  # a Finnish phone number
    r"\b\d{5}\s+\w",  # a postal code and town
)
_P2_DESCRIBED = _words("legitimate_interest.described")
_DATA_WORDS = (
    _words("data.name"),
    _words("data.email"),
    _words("data.phone"),
    _words("data.address"),
    _words("data.other", r"ip-", r"\bip\s"),
)
_ITEMS: dict[str, re.Pattern[str]] = {
    item: _words(f"item.{item}") for item in ("R1", "S1", "K1", "O1", "SRC", "A1", "F1")
}
#: The six rights of RT, each by its stems.
_RIGHTS: dict[str, re.Pattern[str]] = {
    right: _words(f"right.{right}")
    for right in ("access", "rectification", "erasure", "restriction", "objection",
                  "portability")
}
_WITHDRAW = _words("withdraw")

_TRANSFER_MENTION = _words("transfer.mention")
_TRANSFER_DENIAL = _words("transfer.denial")
_SAFEGUARD = _words("transfer.safeguard")
_JOINT = _words("joint", r"art\.?\s*26")
_COOKIE = _words("cookie")
_COOKIE_CONSENT = _words("cookie.consent")
_PROCESSORS_DENIED = _words("processors.denied")
_PROCESSOR_WORDS = _words("processors.named")
#: A retention period: a number (in digits or words) then a unit, or the act that sets one.
_PERIOD = _rx(
    r"\b(?:\d{1,4}|" + "|".join(stems("period.number")) + r")\s+" + _group("period.unit"),
    *stems("period.act"),
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"”'(]?[A-ZÅÄÖ0-9])")



def unused_keys(by_lang: dict[str, dict[str, tuple[str, ...]]]) -> list[str]:
    """Keys of the stems files that no pattern above asked for (a misspelt key would be lost)."""
    return sorted({key for keys in by_lang.values() for key in keys} - _USED)


#: Every key a pattern reads, once the module is built.
USED_KEYS: frozenset[str] = frozenset(_USED)
if unused_keys(STEMS):
    raise StemsError(f"stems files name keys no pattern uses: {', '.join(unused_keys(STEMS))}")
