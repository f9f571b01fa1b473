"""The review step: findings grouped by severity with a button to the step that fixes each,
the Art. 13/14 completeness view, the preview, and downloads identical to the renderers'."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_web_support import download_bytes, downloads, draft, goto, new_app, ok, shown_step

from seloste.checks import completeness, run_checks
from seloste.draft_file import dump_draft
from seloste.examples import load_example
from seloste.render import render, render_fragment

__all__ = ["downloads"]


def run(at: AppTest) -> AppTest:
    return ok(at.run())


def plain(markdown: str) -> str:
    """Displayed text without the escapes that keep user text literal."""
    return markdown.replace("\\", "")


def open_review(name: str | None) -> AppTest:
    at = new_app()
    if name:
        at.button(key=f"start.example.{name}").click()
        run(at)
    return goto(at, "review")


@pytest.mark.parametrize("name", ["keinuma", "meunier"])
def test_downloads_are_the_renderers_bytes(name: str, downloads: dict[str, bytes]) -> None:
    at = open_review(name)
    notice = load_example(name)
    assert download_bytes(at, "dl.docx") == render(notice, "docx")
    assert download_bytes(at, "dl.page") == render(notice, "page")
    assert download_bytes(at, "dl.md") == render(notice, "md")
    assert download_bytes(at, "dl.draft").decode() == dump_draft(notice)
    assert at.code[0].value == render(notice, "html").decode().rstrip("\n")
    assert at.code[0].language == "html"
    names = {b.key: b.proto for b in at.get("download_button")}
    assert names["dl.docx"].url and all(not p.disabled for p in names.values())


def test_the_notice_language_is_chosen_here_and_not_the_ui_language(
    downloads: dict[str, bytes],
) -> None:
    at = open_review("keinuma")
    at.radio(key="f.language").set_value("sv")
    run(at)
    notice = draft(at)
    assert notice.language == "sv"
    assert at.title[0].value == "Tarkista ja lataa seloste"
    assert [h.value for h in at.html] == [render_fragment(notice, "sv").strip()]
    assert download_bytes(at, "dl.docx") == render(notice, "docx")


def test_findings_are_grouped_and_each_opens_its_step() -> None:
    at = open_review(None)
    findings = run_checks(draft(at))
    errors = [f for f in findings if f.severity == "error"]
    assert errors
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Korjattavaa") for label in labels)
    shown = [plain(e.value) for e in at.error]
    assert any(errors[0].message("fi") in s for s in shown)
    fix = [b for b in at.button if b.key and b.key.startswith("fix.error.")]
    assert len(fix) == len(errors)
    target = errors[0].step
    fix[0].click()
    run(at)
    assert shown_step(at)[0] == target


def test_the_completeness_view_lists_every_item() -> None:
    at = open_review("meunier")
    status = completeness(draft(at), run_checks(draft(at)))
    text = "\n".join(m.value for m in at.markdown)
    for item in ("C1", "P1", "T1", "S1", "RT", "K1", "SRC", "F1"):
        assert f"**{item}**" in text
    assert set(status) >= {"C1", "P1", "S1"}


def test_a_step_shows_its_findings_from_the_second_visit_on() -> None:
    at = new_app()
    goto(at, "controller")
    first = [plain(e.value) for e in at.error]
    goto(at, "registers")
    goto(at, "controller")
    second = [plain(e.value) for e in at.error]
    messages = [f.message("fi") for f in run_checks(draft(at)) if f.step == "controller"
                and f.severity == "error"]
    assert messages
    assert not any(m in first for m in messages)
    assert all(any(m in s for s in second) for m in messages)


def test_a_notice_in_several_languages_downloads_them_in_one_file(
    downloads: dict[str, bytes],
) -> None:
    """Issue #13: with two or more publication languages, one DOCX and one page hold them all."""
    import io

    from docx import Document as read_docx  # python-docx

    from seloste.render.bilingual import render_bilingual_docx, render_bilingual_page

    at = open_review("keinuma")
    notice = draft(at)
    langs = notice.published_languages()
    assert len(langs) > 1  # the example is published in fi, sv and en
    docx = download_bytes(at, "dl.docx_all")
    assert docx == render_bilingual_docx(notice, langs)
    page = download_bytes(at, "dl.page_all").decode("utf-8")
    assert page == render_bilingual_page(notice, langs)
    for lang in langs:
        assert f'lang="{lang.value}' in page
    text = "\n".join(p.text for p in read_docx(io.BytesIO(docx)).paragraphs)
    assert "På svenska" in text and "In English" in text


def test_a_notice_in_one_language_offers_no_combined_file(downloads: dict[str, bytes]) -> None:
    at = new_app()
    run(at)
    keys = {b.key for b in goto(at, "review").get("download_button")}
    assert "dl.docx" in keys and "dl.docx_all" not in keys
