"""Free text per notice language (issue #13): one set of answers, every language all the way down.

The examples ship every free-text answer in fi, sv and en, so their Swedish and English notices
hold no Finnish answer at all; a draft written only in Finnish and rendered in Swedish says so
twice: a `translation_missing` finding per untranslated answer, and each fallback passage marked
``lang="fi-FI"`` (HTML) / ``w:lang="fi-FI"`` (DOCX) so that it is read as Finnish.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import clients
import docx
import pytest
from docx.oxml.ns import qn
from helpers import docx_text, html_text, html_tree

from seloste.catalogue import load_catalogue
from seloste.checks import run_checks
from seloste.draft_file import parse_draft
from seloste.examples import NAMES, load_example
from seloste.localized import LocalizedLong, LocalizedShort, iter_localized
from seloste.model import Notice
from seloste.render import Format, render
from seloste.render.templating import LANG_TAGS
from seloste.vocab import Lang
from seloste.web import paths

FIXTURES = Path(__file__).parent / "fixtures" / "v1"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _texts(notice: Notice, lang: Lang) -> list[tuple[str, str]]:
    """(path, text) of every free-text answer written in ``lang``."""
    return [(path, value.get(lang)) for path, value in iter_localized(notice)
            if value.get(lang)]


def _finnish_only(notice: Notice) -> Notice:
    """The same draft with every free-text answer only in Finnish, published only in Finnish."""
    changes: dict[str, Any] = {"languages": ["fi"]}
    for path, value in iter_localized(notice):
        if value.given():
            changes[path] = {"fi": value.fi}
    return paths.set_values(notice, changes)


def _outputs(notice: Notice, lang: Lang) -> dict[str, str]:
    return {
        "html": _norm(html_text(render(notice, Format.html, lang).decode())),
        "md": _norm(render(notice, Format.md, lang).decode()),
        "docx": _norm(docx_text(render(notice, Format.docx, lang))),
    }


# ---------------------------------------------------------------- the examples


@pytest.mark.parametrize("name", NAMES)
def test_examples_are_written_in_every_language(name: str) -> None:
    notice = load_example(name)
    assert notice.published_languages() == [Lang.fi, Lang.sv, Lang.en]
    given = [(path, value) for path, value in iter_localized(notice) if value.given()]
    assert len(given) >= 10  # the examples' own answers, not an empty draft
    missing = [(path, lang) for path, value in given for lang in value.missing_in(Lang)]
    assert not missing
    assert not [f for f in run_checks(notice) if f.rule_id == "translation_missing"]


@pytest.mark.parametrize("lang", [Lang.sv, Lang.en])
@pytest.mark.parametrize("name", NAMES)
def test_no_finnish_answer_in_the_swedish_or_english_notice(name: str, lang: Lang) -> None:
    notice = load_example(name)
    finnish = _texts(notice, Lang.fi)
    own = _texts(notice, lang)
    for fmt, text in _outputs(notice, lang).items():
        leaked = [(path, value) for path, value in finnish if _norm(value) in text]
        assert not leaked, (fmt, leaked)
        absent = [(path, value) for path, value in own if _norm(value) not in text]
        assert not absent, (fmt, absent)


@pytest.mark.parametrize("lang", [Lang.fi, Lang.sv])
@pytest.mark.parametrize("name", NAMES)
def test_no_english_catalogue_name_that_has_a_local_one(name: str, lang: Lang) -> None:
    notice = load_example(name)
    catalogue = load_catalogue()
    text = _outputs(notice, lang)["html"]
    local = {}
    for use in notice.all_services():
        if use.catalogue_id is None:
            continue
        english = catalogue.display_name(use.catalogue_id, Lang.en)
        own = catalogue.display_name(use.catalogue_id, lang)
        if own != english:
            local[english] = own
    for english, own in local.items():
        assert own in text, own
        assert english not in text.replace(own, ""), english


# ---------------------------------------------------------------- a Finnish-only draft


@pytest.mark.parametrize("name", NAMES)
def test_finnish_draft_in_swedish_has_a_finding_per_untranslated_answer(name: str) -> None:
    notice = _finnish_only(load_example(name))
    answers = [path for path, value in iter_localized(notice) if value.given()]
    assert not [f for f in run_checks(notice) if f.rule_id == "translation_missing"]
    found = [f for f in run_checks(notice, ["sv"]) if f.rule_id == "translation_missing"]
    assert sorted(f.path for f in found) == sorted(f"{path}.sv" for path in answers)
    for finding in found:
        for lang in Lang:
            message = finding.message(lang)
            assert "{" not in message and "text_field" not in message
        assert "ruotsiksi" in finding.message(Lang.fi)
        assert "på svenska" in finding.message(Lang.sv)
        assert finding.step in ("registers", "data", "services", "retention", "cookies",
                                "review")


def test_publishing_in_two_languages_asks_for_the_second() -> None:
    notice = _finnish_only(load_example("keinuma"))
    bilingual = paths.set_path(notice, "languages", ["fi", "sv"])
    found = [f for f in run_checks(bilingual) if f.rule_id == "translation_missing"]
    assert found and all(f.path.endswith(".sv") for f in found)
    name = next(f for f in found if f.path == "registers.0.name.sv")
    assert name.message(Lang.sv).startswith("Texten saknas på svenska: registrets namn")
    fixed = paths.set_path(bilingual, "registers.0.name.sv", "Allmänt kundregister")
    assert "registers.0.name.sv" not in {f.path for f in run_checks(fixed)}
    # the Swedish name is the one the Swedish finding names from now on
    other = next(f for f in run_checks(fixed) if f.path.startswith("registers.0.")
                 and f.rule_id == "translation_missing")
    assert "Allmänt kundregister" in other.message(Lang.sv)


def _closest_lang(element: Any, parents: dict[Any, Any]) -> str:
    while element is not None:
        if element.get("lang"):
            return str(element.get("lang"))
        element = parents.get(element)
    return ""


@pytest.mark.parametrize("name", NAMES)
def test_fallback_passages_are_marked_finnish_in_html(name: str) -> None:
    notice = _finnish_only(load_example(name))
    fragment = render(notice, Format.html, Lang.sv).decode()
    tree = html_tree(fragment)
    parents = {child: parent for parent in tree.iter() for child in parent}
    marked = [el for el in tree.iter() if el.get("lang") == LANG_TAGS[Lang.fi]]
    assert marked
    marked_texts = {_norm("".join(el.itertext())) for el in marked}
    for path, text in _texts(notice, Lang.fi):
        assert _norm(text) in marked_texts, path
    # only the answers are marked: the clause words around them stay Swedish
    for el in marked:
        assert el.tag == "span"
        assert _closest_lang(parents[el], parents) == LANG_TAGS[Lang.sv]
        assert _norm("".join(el.itertext())) in {_norm(t) for _, t in _texts(notice, Lang.fi)}
    # a fully translated draft marks nothing
    assert 'lang="fi-FI"' not in render(load_example(name), Format.html, Lang.sv).decode()


@pytest.mark.parametrize("name", NAMES)
def test_fallback_passages_are_marked_finnish_in_docx(name: str) -> None:
    notice = _finnish_only(load_example(name))
    document = docx.Document(io.BytesIO(render(notice, Format.docx, Lang.sv)))
    finnish_runs: list[str] = []
    # every run of the body, table cells included (purposes and recipients are tables)
    for run in document.element.body.iter(qn("w:r")):
        lang = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if lang is not None and lang.get(qn("w:val")) == "fi-FI":
            finnish_runs.append(text)
    joined = _norm(" ".join(finnish_runs))
    for path, text in _texts(notice, Lang.fi):
        assert _norm(text) in joined, path
    assert "Tietosuojaseloste" not in joined  # clause words are not marked


def test_a_text_in_no_published_language_is_still_printed_and_marked() -> None:
    notice = paths.set_path(load_example("keinuma"), "registers.0.name",
                            {"en": "General customer register"})
    assert notice.registers[0].name.languages() == [Lang.en]
    fragment = render(notice, Format.html, Lang.fi).decode()
    assert '<span lang="en">General customer register</span>' in fragment


# ---------------------------------------------------------------- the model and the migration


def test_v1_free_text_becomes_text_in_the_drafts_language() -> None:
    raw = json.loads((FIXTURES / "keinuma.json").read_text(encoding="utf-8"))
    raw_sv = copy.deepcopy(raw)
    raw_sv["language"] = "sv"
    for data, lang in ((raw, Lang.fi), (raw_sv, Lang.sv)):
        notice = parse_draft(json.dumps(data), "fi").notice
        assert notice is not None
        assert notice.published_languages() == [lang]
        given = [v for _, v in iter_localized(notice) if v.given()]
        assert given and all(v.languages() == [lang] for v in given)
    source = raw["registers"][0]["source_details"]
    notice = parse_draft(json.dumps(raw), "fi").notice
    assert notice is not None and notice.registers[0].source_details.fi == source


def test_a_plain_string_in_a_notice_is_its_own_language() -> None:
    notice = Notice.model_validate({"language": "sv", "registers": [{"name": "Kunder"}]})
    assert notice.registers[0].name == LocalizedShort(sv="Kunder")
    bad = {"language": "sv", "registers": [{"name": {"se": "Kunder"}}]}
    with pytest.raises(ValueError, match="se"):
        Notice.model_validate(bad)


def test_localized_text_has_no_string_of_its_own() -> None:
    value = LocalizedLong(fi="Teksti")
    with pytest.raises(TypeError):
        str(value)
    assert value and not LocalizedLong() and value.pick("sv") == "Teksti"


# ---------------------------------------------------------------- Nu checker and axe


@pytest.mark.slow
def test_marked_fallbacks_pass_the_nu_checker(tmp_path: Path) -> None:
    java, jar = clients.java(), clients.vnu_jar()
    if not (java and jar):
        pytest.skip("vnu.jar not installed (npm ci)")
    files = []
    for name in NAMES:
        page = render(_finnish_only(load_example(name)), Format.page, Lang.sv).decode()
        assert 'lang="fi-FI"' in page
        file = tmp_path / f"{name}-sv-fallback.html"
        file.write_text(page, encoding="utf-8")
        files.append(str(file))
    proc = subprocess.run([java, "-jar", jar, "--format", "json", "--errors-only", "--stdout",
                           *files], capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(proc.stdout)
    errors = [m for m in report.get("messages", []) if m.get("type") == "error"]
    assert not errors, errors


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_marked_fallbacks_pass_axe(shared_chromium: Any, name: str) -> None:
    from axe_helper import assert_no_serious, run_axe

    if clients.axe_js() is None:
        pytest.skip("axe-core not installed (npm ci)")
    page = shared_chromium.new_page()
    try:
        page.set_content(render(_finnish_only(load_example(name)), Format.page,
                                Lang.sv).decode(), wait_until="load")
        results = run_axe(page)
    finally:
        page.close()
    assert_no_serious(results)
    assert not [v for v in results.get("violations", []) if v["id"] == "valid-lang"]


def test_cli_check_names_every_answer_missing_in_the_notice_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from seloste.cli import main
    from seloste.draft_file import dump_draft

    notice = _finnish_only(load_example("meunier"))
    draft = tmp_path / "draft.json"
    draft.write_text(dump_draft(notice), encoding="utf-8")
    answers = [path for path, value in iter_localized(notice) if value.given()]
    main(["check", str(draft), "--lang", "en", "--notice-lang", "sv"])
    text = capsys.readouterr().out
    assert text.count("Text missing in Swedish") == len(answers)
    main(["check", str(draft), "--lang", "en"])
    assert "Text missing in Swedish" not in capsys.readouterr().out
