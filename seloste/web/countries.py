"""Country choices for the custom-service form, named in the UI language."""

from __future__ import annotations

from functools import cache

from babel import Locale

from seloste.geo import EEA

_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "XK"})


@cache
def country_codes(lang: str) -> list[str]:
    """Finland first, the rest of the EEA, then every other country, by name."""
    names = {str(k): str(v) for k, v in Locale.parse(lang).territories.items()}
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES]
    eea = sorted((c for c in codes if c in EEA and c != "FI"), key=lambda c: names[c])
    rest = sorted((c for c in codes if c not in EEA), key=lambda c: names[c])
    return ["FI", *eea, *rest]
