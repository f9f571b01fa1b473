"""Free text per language (`seloste.localized`): cleaning, fallbacks, gaps, the migration."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationError

from seloste.fields import LONG_MAX, SHORT_MAX
from seloste.localized import (
    PLAIN_TEXT_LANG,
    TEXT_LANG,
    LocalizedLong,
    LocalizedShort,
    edit_list_language,
    iter_localized,
    missing_translations,
    text_for,
    wrap_plain,
)
from seloste.vocab import Lang


class _Purpose(BaseModel):
    interest: LocalizedLong = LocalizedLong()


class _Register(BaseModel):
    name: LocalizedShort = LocalizedShort()
    items: list[LocalizedShort] = []
    purposes: list[_Purpose] = []


def test_each_language_is_cleaned_like_the_field_it_replaces() -> None:
    name = LocalizedShort.model_validate({"fi": "  Asiakas\nrekisteri\x00 ",
                                          "sv": "Kund\tregister"})
    assert name.fi == "Asiakas rekisteri"    # one line, control character gone
    assert name.sv == "Kund register"
    assert name.en == ""
    long = LocalizedLong.of(Lang.sv, "Rad ett\r\nrad två ")
    assert long.sv == "Rad ett\nrad två"     # a long text keeps its lines, CRLF unified
    with pytest.raises(ValidationError):
        LocalizedShort.of(Lang.fi, "x" * (SHORT_MAX + 1))
    with pytest.raises(ValidationError):
        LocalizedLong.of(Lang.en, "x" * (LONG_MAX + 1))


def test_an_unknown_language_is_refused_not_dropped() -> None:
    with pytest.raises(ValidationError) as exc:
        LocalizedShort.model_validate({"fi": "Asiakkaat", "se": "Kunder"})
    assert exc.value.errors()[0]["loc"] == ("se",)


def test_a_plain_string_needs_a_language() -> None:
    token = PLAIN_TEXT_LANG.set(None)  # as in the application (the suite defaults to fi)
    try:
        with pytest.raises(ValidationError) as exc:
            LocalizedShort.model_validate("Asiakkaat")
    finally:
        PLAIN_TEXT_LANG.reset(token)
    assert exc.value.errors()[0]["type"] == "text_language"
    named = LocalizedShort.model_validate("Kunder", context={TEXT_LANG: "sv"})
    assert named.languages() == [Lang.sv] and named.sv == "Kunder"


def test_text_for_says_when_it_falls_back_and_to_which_language() -> None:
    value = LocalizedLong.model_validate({"fi": "Suomeksi", "en": "In English"})
    assert text_for(value, Lang.fi) == ("Suomeksi", None)
    assert text_for(value, Lang.en) == ("In English", None)
    # Swedish is missing: the first fallback that has a text, in the order given.
    assert text_for(value, Lang.sv) == ("Suomeksi", Lang.fi)
    assert text_for(value, Lang.sv, [Lang.en, Lang.fi]) == ("In English", Lang.en)
    assert text_for(LocalizedLong(), Lang.sv) == ("", None)
    # A fallback list without any language that has the text gives nothing.
    assert text_for(LocalizedLong.of("en", "Only English"), "fi", ["sv"]) == ("", None)


def test_missing_in_only_for_answers_that_are_given() -> None:
    value = LocalizedShort.of(Lang.fi, "Asiakasrekisteri")
    assert value.missing_in([Lang.fi, Lang.sv]) == [Lang.sv]
    assert value.with_text(Lang.sv, "Kundregister").missing_in([Lang.fi, Lang.sv]) == []
    assert LocalizedShort().missing_in([Lang.fi, Lang.sv]) == []


def test_with_text_replaces_one_language_and_empty_removes_it() -> None:
    value = LocalizedShort.of(Lang.fi, "Asiakkaat").with_text(Lang.sv, "  Kunder ")
    assert (value.fi, value.sv) == ("Asiakkaat", "Kunder")
    assert value.with_text(Lang.fi, "").languages() == [Lang.sv]
    with pytest.raises(ValidationError):
        value.with_text(Lang.en, "x" * (SHORT_MAX + 1))
    with pytest.raises(ValidationError):
        value.fi = "changed in place"  # type: ignore[misc]


def test_iter_localized_and_missing_translations_name_the_wizard_paths() -> None:
    reg = _Register(
        name=LocalizedShort.of("fi", "Asiakkaat").with_text("sv", "Kunder"),
        items=[LocalizedShort.of("fi", "Kanta-asiakasnumero"), LocalizedShort()],
        purposes=[_Purpose(), _Purpose(interest=LocalizedLong.of("fi", "Asiakassuhde"))],
    )
    found = dict(iter_localized(reg))
    assert list(found) == ["name", "items.0", "items.1", "purposes.0.interest",
                           "purposes.1.interest"]
    assert missing_translations(iter_localized(reg, "registers.0"), [Lang.fi, Lang.sv]) == [
        ("registers.0.items.0", Lang.sv),
        ("registers.0.purposes.1.interest", Lang.sv),
    ]


def test_json_round_trip_is_stable() -> None:
    reg = _Register(name=LocalizedShort.of("sv", "Kunder"))
    data = json.loads(reg.model_dump_json())
    assert data["name"] == {"fi": "", "sv": "Kunder", "en": ""}
    assert _Register.model_validate(data) == reg


def test_wrap_plain_migrates_v1_strings_once() -> None:
    v1 = {
        "language": "sv",
        "registers": [
            {"name": "Kunder", "items": ["Kundnummer", ""],
             "purposes": [{"interest": "Kundrelation"}, {"interest": ""}]},
            {"name": "", "items": [], "purposes": []},
        ],
    }
    paths = ["registers.*.name", "registers.*.items", "registers.*.purposes.*.interest",
             "not.there"]
    migrated = wrap_plain(json.loads(json.dumps(v1)), paths, v1["language"])
    assert migrated["registers"][0]["name"] == {"sv": "Kunder"}
    assert migrated["registers"][0]["items"] == [{"sv": "Kundnummer"}, {"sv": ""}]
    assert migrated["registers"][0]["purposes"][1]["interest"] == {}
    assert migrated["registers"][1]["name"] == {}
    # Idempotent: a second run finds nothing left to wrap.
    assert wrap_plain(json.loads(json.dumps(migrated)), paths, "fi") == migrated
    regs = [_Register.model_validate(r) for r in migrated["registers"]]
    assert regs[0].name.sv == "Kunder" and regs[0].name.fi == ""
    assert regs[0].purposes[0].interest.get("sv") == "Kundrelation"


def _pairs(items: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(i.get("fi", ""), i.get("sv", "")) for i in items]


SALON = [{"fi": "Allergiat", "sv": "Allergier", "en": ""},
         {"fi": "Värikaavat", "sv": "Färgrecept", "en": ""},
         {"fi": "Käyntihistoria", "sv": "Besökshistorik", "en": ""}]


def test_a_deleted_line_does_not_pair_the_others_with_the_wrong_translation() -> None:
    """Line by line, deleting "Allergiat" paired "Värikaavat" with "Allergier"."""
    out = edit_list_language(SALON, "fi", ["Värikaavat", "Käyntihistoria"])
    assert _pairs(out) == [("", "Allergier"), ("Värikaavat", "Färgrecept"),
                           ("Käyntihistoria", "Besökshistorik")]
    # deleted in Swedish too: the item is gone
    assert _pairs(edit_list_language(out, "sv", ["Färgrecept", "Besökshistorik"])) == [
        ("Värikaavat", "Färgrecept"), ("Käyntihistoria", "Besökshistorik")]


def test_inserted_and_changed_lines_keep_their_neighbours_translations() -> None:
    out = edit_list_language(SALON, "fi", ["Allergiat", "Toiveet", "Värikaavat",
                                           "Käyntihistoria"])
    assert _pairs(out) == [("Allergiat", "Allergier"), ("Toiveet", ""),
                           ("Värikaavat", "Färgrecept"), ("Käyntihistoria", "Besökshistorik")]
    out = edit_list_language(SALON, "fi", ["Allergiat", "Hiusvärikaavat", "Käyntihistoria"])
    assert _pairs(out) == [("Allergiat", "Allergier"), ("Hiusvärikaavat", "Färgrecept"),
                           ("Käyntihistoria", "Besökshistorik")]
    # a blank line keeps an item that has no Finnish yet in its place
    only_sv = [{"fi": "", "sv": "Önskemål"}, *SALON]
    out = edit_list_language(only_sv, "fi", ["", "Allergiat", "Värikaavat"])
    assert _pairs(out) == [("", "Önskemål"), ("Allergiat", "Allergier"),
                           ("Värikaavat", "Färgrecept"), ("", "Besökshistorik")]
    assert edit_list_language([], "fi", ["Uusi"]) == [{"fi": "Uusi"}]
