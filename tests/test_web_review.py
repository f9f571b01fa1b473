"""The review step: findings grouped by severity with a button to the step that fixes each,
the Art. 13/14 completeness view, the preview, and downloads identical to the renderers'."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest
from test_web_support import (
    download_bytes,
    downloads,
    draft,
    goto,
    new_app,
    ok,
    open_review_tab,
    shown_step,
)

from seloste.checks import completeness, run_checks
from seloste.draft_file import dump_draft
from seloste.examples import load_example
from seloste.i18n import Texts
from seloste.render import render, render_fragment
from seloste.web.widgets import REVIEW_TABS

__all__ = ["downloads"]

UI_FI = Texts("seloste.web.ui", "fi")


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
    assert at.code[0].language == "plaintext"  # the highlighting colours fail contrast
    names = {b.key: b.proto for b in at.get("download_button")}
    assert names["dl.docx"].url and all(not p.disabled for p in names.values())


def test_the_notice_language_is_chosen_here_and_not_the_ui_language(
    downloads: dict[str, bytes],
) -> None:
    at = open_review_tab(open_review("keinuma"), "preview")
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


# ---------------------------------------------------------------- issue #18: a review to act on


def _tab(at: AppTest, label_start: str) -> Any:
    """The review tab whose label starts so, opened as a click does (only it is drawn)."""
    tabs = [tab for tab in at.tabs if str(tab.label).startswith(label_start)]
    assert len(tabs) == 1, [tab.label for tab in at.tabs]
    at.session_state[REVIEW_TABS] = str(tabs[0].label)
    run(at)
    return next(tab for tab in at.tabs if str(tab.label).startswith(label_start))


def _register_tab_opened(at: AppTest) -> int:
    """The register tab a per-register step opened on (the tab container's default tab)."""
    found: list[int] = []

    def walk(block: Any) -> None:
        proto = getattr(block, "proto", None)
        if isinstance(proto, BlockProto) and proto.WhichOneof("type") == "tab_container":
            found.append(proto.tab_container.default_tab_index)
        for child in getattr(block, "children", {}).values():
            walk(child)

    walk(at._tree)
    assert len(found) == 1, found
    return found[0]


def _shown_texts(at: AppTest) -> list[str]:
    """Every text the page shows in Markdown, alerts and captions, escapes removed."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success")
    return [plain(str(e.value)) for kind in kinds for e in at.get(kind)]


@pytest.mark.parametrize(("key", "step", "register"), [
    ("edit.controller", "controller", None),
    ("edit.registers.1", "registers", None),
    ("edit.data.2", "data", 2),
    ("edit.services.1", "services", 1),
    ("edit.retention.2", "retention", 2),
    ("edit.cookies", "cookies", None),
])
def test_each_edit_button_of_the_summary_opens_its_step_on_its_register(
    key: str, step: str, register: int | None,
) -> None:
    at = open_review("keinuma")
    answers = _tab(at, "Vastauksesi")
    button = [b for b in answers.button if b.key == key]
    assert len(button) == 1, [b.key for b in answers.button]
    button[0].click()
    run(at)
    assert shown_step(at)[0] == step
    if register is not None:
        assert _register_tab_opened(at) == register


def test_the_summary_lists_the_answers_of_every_step_and_register() -> None:
    at = open_review("keinuma")
    notice = load_example("keinuma")
    answers = _tab(at, "Vastauksesi")
    text = "\n".join(plain(str(m.value)) for m in answers.markdown)
    assert notice.controller.name in text and notice.controller.business_id in text
    assert "ActiveCampaign" in text and "Google Analytics 4" in text  # the services step
    # A retention preset, in the UI language, as the clause library words it.
    preset = Texts("seloste.clauses", "fi")("retention.preset.accounting_vouchers")
    assert preset.split(":")[0] in text
    # An own rule: its subject, length and start as the retention step words them.
    assert "Asiakastiedot: 10 vuotta viimeisestä asioinnista tai aktiivisuudesta" in text
    assert "Evästebannerilla" in text  # the cookie step's mechanism, by its label
    # The per-purpose requirement (O1), answered on the data step, by its label.
    entry = next(p for r in notice.registers for p in r.purposes if p.requirement is not None)
    assert entry.requirement is not None
    requirement = UI_FI(f"requirement.{entry.requirement.value}")
    assert f": {requirement[:1].lower()}{requirement[1:]}" in text
    keys = {b.key for b in answers.button}
    per_register = {f"edit.{s}.{i}" for s in ("registers", "data", "services", "retention")
                    for i in range(len(notice.registers))}
    assert keys == {"edit.controller", "edit.cookies"} | per_register
    # The summary names how many findings a block has, never the findings themselves.
    messages = [f.message("fi") for f in run_checks(notice)]
    assert messages and not any(m in text for m in messages)


def test_the_summary_of_an_empty_draft_says_what_is_not_answered() -> None:
    at = open_review(None)
    answers = _tab(at, "Vastauksesi")
    text = "\n".join(plain(str(m.value)) for m in answers.markdown)
    assert "ei vastattu" in text
    assert text.count("Rekistereitä ei ole vielä lisätty.") == 4  # registers, data, ...
    assert {b.key for b in answers.button} >= {"edit.controller", "edit.registers",
                                                "edit.cookies"}
    answers.button(key="edit.data").click()  # nothing to edit there yet: add a register first
    run(at)
    assert shown_step(at)[0] == "registers"


@pytest.mark.parametrize("name", ["keinuma", None])
def test_each_finding_is_shown_once_tagged_with_its_items(name: str | None) -> None:
    from seloste.rules import item_title

    at = open_review(name)
    found = run_checks(draft(at))
    assert found
    shown = _shown_texts(at)
    tab = _tab(at, "Huomiot")
    assert str(tab.label) == f"Huomiot ({len(found)})"
    in_tab = [plain(str(e.value)) for kind in ("error", "warning", "info")
              for e in tab.get(kind)]
    for finding in found:
        message = finding.message("fi")
        where = [s for s in shown if message in s]
        assert len(where) == 1, (finding.rule_id, where)  # not also above, nor in the summary
        assert where[0] in in_tab, finding.rule_id
        for item in finding.items:
            assert f"{item} · {item_title(item, 'fi')}" in where[0], finding.rule_id
    # The items are tags now, not a sentence under every finding.
    assert not any("Koskee kohtia" in s for s in shown)


def test_the_preview_has_its_own_tab() -> None:
    from seloste.render import render_fragment

    at = open_review("keinuma")
    notice = draft(at)
    preview = _tab(at, "Esikatselu")
    assert [h.value for h in preview.get("html")] == [render_fragment(notice, "fi").strip()]
    for other in ("Huomiot", "Vastauksesi"):
        assert not _tab(at, other).get("html")


def test_only_the_open_review_tab_is_drawn() -> None:
    """Issue #15: a rerun of the review draws one tab's content, not all three; opening another
    tab draws it and empties the one left."""
    at = open_review("keinuma")
    findings_tab, answers_tab, preview_tab = (_tab_now(at, p) for p in TAB_PREFIXES)
    assert findings_tab.expander and not answers_tab.children and not preview_tab.children
    open_review_tab(at, "answers")
    findings_tab, answers_tab, preview_tab = (_tab_now(at, p) for p in TAB_PREFIXES)
    assert answers_tab.button and not findings_tab.children and not preview_tab.children
    open_review_tab(at, "preview")
    findings_tab, answers_tab, preview_tab = (_tab_now(at, p) for p in TAB_PREFIXES)
    assert preview_tab.get("html") and not findings_tab.children and not answers_tab.children


TAB_PREFIXES = ("Huomiot", "Vastauksesi", "Esikatselu")


def _tab_now(at: AppTest, label_start: str) -> Any:
    """The review tab whose label starts so, as it is drawn now (not opened)."""
    return next(tab for tab in at.tabs if str(tab.label).startswith(label_start))


def test_the_summary_says_a_capped_retention_rule_whole() -> None:
    """"Until the customer asks, at most 3 years" (issue #18) reads as one rule in the summary."""
    from seloste.model import Notice

    at = open_review(None)
    notice = Notice.model_validate({"registers": [{"name": "Asiakkaat", "retention": [
        {"subject": "customer_data", "amount": 3, "unit": "years",
         "start": "last_activity", "until": "end_of_customer_relationship"}]}]})
    at.session_state["_draft"] = notice
    at.session_state["_revision"] = 99_999
    run(at)
    clauses = Texts("seloste.clauses", "fi")
    text = "\n".join(plain(str(m.value)) for m in _tab(at, "Vastauksesi").markdown)
    until = clauses("retention.until.end_of_customer_relationship")
    assert f"{clauses('retention.subject.customer_data')}: {until}, kuitenkin enintään 3 vuotta" \
        in text, text
