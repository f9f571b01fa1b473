"""The wizard asks every free-text answer in each publication language (issue #13, AppTest)."""

from __future__ import annotations

import itertools

from streamlit.testing.v1 import AppTest
from test_web_support import draft, goto, new_app, ok

from seloste.examples import load_example
from seloste.localized import LocalizedShort, iter_localized
from seloste.model import Notice
from seloste.web import paths

_REVISION = itertools.count(10_000)


def _finnish_keinuma() -> Notice:
    notice = load_example("keinuma")
    changes: dict[str, object] = {"languages": []}
    for path, value in iter_localized(notice):
        changes[path] = {"fi": value.fi} if value.fi else {}
    return paths.set_values(notice, changes)


def _load(at: AppTest, notice: Notice) -> None:
    at.session_state["_draft"] = notice
    at.session_state["_revision"] = next(_REVISION)


def test_one_language_keeps_one_field_under_the_answers_own_key() -> None:
    at = new_app()
    _load(at, _finnish_keinuma())
    goto(at, "registers")
    field = at.text_input(key="f.registers.0.name")
    assert field.value == "Yleinen asiakasrekisteri"
    field.input("Asiakkaat")
    ok(at.run())
    assert draft(at).registers[0].name.fi == "Asiakkaat"
    assert not [w for w in at.text_input if str(w.key).endswith(".name.sv")]


def test_publishing_in_swedish_adds_a_swedish_field_with_the_finnish_beside_it() -> None:
    at = new_app()
    _load(at, _finnish_keinuma())
    goto(at, "start")
    at.checkbox(key="pub_lang.sv").check()
    ok(at.run())
    assert draft(at).published_languages() == ["fi", "sv"]
    goto(at, "registers")
    fi = at.text_input(key="f.registers.0.name.fi")
    sv = at.text_input(key="f.registers.0.name.sv")
    assert fi.value == "Yleinen asiakasrekisteri" and sv.value == ""
    assert "Ruotsi" in sv.label
    # the Finnish text is shown under the Swedish field as the reference
    assert any("Yleinen asiakasrekisteri" in str(c.value) for c in at.caption)
    sv.input("Allmänt kundregister")
    ok(at.run())
    assert draft(at).registers[0].name.sv == "Allmänt kundregister"
    assert draft(at).registers[0].name.fi == "Yleinen asiakasrekisteri"
    goto(at, "review")
    shown = " ".join(str(e.value) for e in [*at.warning, *at.info, *at.error])
    assert "Teksti puuttuu ruotsiksi" in shown  # other answers are still Finnish only
    assert "rekisterin nimi (rekisteri ”Yleinen asiakasrekisteri”)" not in shown


def test_deleting_a_line_of_a_localized_list_keeps_the_others_with_their_translations() -> None:
    """The data step's per-language boxes: deleting the first Finnish line must not pair the
    second Finnish item with the first Swedish one (the Swedish notice would list data the
    Finnish one no longer does)."""
    notice = _finnish_keinuma()
    items = [LocalizedShort(fi="Allergiat", sv="Allergier"),
             LocalizedShort(fi="Värikaavat", sv="Färgrecept")]
    notice = paths.set_values(notice, {"languages": ["sv"],
                                       "registers.0.custom_data_categories": items})
    at = new_app()
    _load(at, notice)
    goto(at, "data")
    box = at.text_area(key="f.registers.0.custom_data_categories@fi")
    assert box.value == "Allergiat\nVärikaavat"
    box.input("Värikaavat")
    ok(at.run())
    kept = draft(at).registers[0].custom_data_categories
    assert [(i.fi, i.sv) for i in kept] == [("", "Allergier"), ("Värikaavat", "Färgrecept")]
    at.text_area(key="f.registers.0.custom_data_categories@sv").input("Färgrecept")
    ok(at.run())
    kept = draft(at).registers[0].custom_data_categories
    assert [(i.fi, i.sv) for i in kept] == [("Värikaavat", "Färgrecept")]
