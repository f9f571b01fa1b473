"""The lint's keyword stems are data per language; the patterns are built from them in code."""

from __future__ import annotations

import pytest

from seloste.lint import words
from seloste.lint.analyse import lint_text
from seloste.vocab import LANGUAGES

#: Keys a language has no words for, and why (everything else must exist in every language).
KNOWN_GAPS = {
    ("en", "old_basis"),  # the repealed Finnish act's "asiallinen yhteys" has no English notices
    ("sv", "controller.contact"),  # "at-merkki" is how Finnish notices spell out an @
    ("en", "controller.contact"),
}


def test_every_key_has_stems_in_every_language_except_the_known_gaps() -> None:
    missing = {(lang, key) for lang in LANGUAGES for key in words.USED_KEYS
               if key not in words.STEMS[lang]}
    assert missing == KNOWN_GAPS


def test_no_stems_file_holds_a_key_no_pattern_reads() -> None:
    assert words.unused_keys(words.STEMS) == []
    typo = {lang: dict(keys) for lang, keys in words.STEMS.items()}
    typo["sv"]["item.R11"] = ("mottagar",)
    assert words.unused_keys(typo) == ["item.R11"]


@pytest.mark.parametrize("data", [["a"], {"tie": "grund"}, {"tie": []}, {"tie": ["", "x"]}])
def test_a_malformed_stems_file_is_refused(data: object) -> None:
    with pytest.raises(words.StemsError):
        words.parse_stems("sv.yaml", data)


def test_each_languages_stems_reach_the_pattern() -> None:
    """The same item named in each language is found: the files are joined, not only Finnish."""
    for word in ("valvontaviranomainen", "tillsynsmyndigheten", "the supervisory authority"):
        assert words._ITEMS["K1"].search(word.casefold()), word


def test_the_lint_reads_swedish_stems_from_the_data_file() -> None:
    """A Swedish notice with a complaint sentence is not reported missing K1; without, it is."""
    base = "Personuppgiftsansvarig: Firma Ab, info@firma.fi. Vi behandlar namn och e-post."
    with_k1 = base + " Du kan lämna klagomål till dataombudsmannen."
    assert "K1" in {m.item for m in lint_text(base).missing}
    assert "K1" not in {m.item for m in lint_text(with_k1).missing}
