"""Countries: the EEA test that decides whether a transfer section is needed; names by Babel."""

from __future__ import annotations

from functools import cache

from babel import Locale

#: EU member states plus Iceland, Liechtenstein and Norway (EEA Agreement).
EEA = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU",
        "IS", "LI", "NO",
    }
)  # fmt: skip


def in_eea(code: str) -> bool:
    return code.upper() in EEA or code.upper() == "EU"


@cache
def country_name(code: str, lang: str) -> str:
    """The country's name in the notice language; "EU" (data in the EU, country unknown) too."""
    code = code.upper()
    if code == "EU":
        return {"fi": "EU", "sv": "EU", "en": "the EU"}.get(lang, "EU")
    return str(Locale.parse(lang).territories.get(code, code))
