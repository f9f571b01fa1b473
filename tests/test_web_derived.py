"""Per-revision caching (`seloste.web.derived`): a rerun that changes nothing reuses what the
draft derives, and an edit recomputes it, so the preview, the downloads, the findings and the
sidebar follow every change. Counted in computations, never timed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_web_support import download_bytes, downloads, draft, goto, new_app, ok, open_review_tab

from seloste.checks import run_checks
from seloste.render import render, render_fragment
from seloste.web import derived

__all__ = ["downloads"]

WATCHED = ("findings", "preview", "statuses", "render.docx", "render.page", "render.md",
           "render.html", "draft_file")


def counts() -> dict[str, int]:
    return {name: derived.COUNTS[name] for name in WATCHED}


def review_of_keinuma() -> AppTest:
    at = new_app()
    at.button(key="start.example.keinuma").click()
    ok(at.run())
    return open_review_tab(goto(at, "review"), "preview")


def test_an_unchanged_rerun_reuses_and_an_edit_recomputes(downloads: dict[str, bytes]) -> None:
    at = review_of_keinuma()
    before = counts()
    ok(at.run())
    ok(at.run())
    assert counts() == before, "a rerun without a change recomputed something"

    at.radio(key="f.language").set_value("sv")
    ok(at.run())
    after = counts()
    assert all(after[name] == before[name] + 1 for name in WATCHED), (before, after)
    notice = draft(at)
    assert notice.language == "sv"
    # What the page shows is the edited draft's, not the cached one's.
    assert [h.value for h in at.html] == [render_fragment(notice, "sv").strip()]
    assert at.code[0].value == render(notice, "html").decode().rstrip("\n")
    assert download_bytes(at, "dl.docx") == render(notice, "docx")
    assert download_bytes(at, "dl.md") == render(notice, "md")

    ok(at.run())
    assert counts() == after


def test_findings_and_sidebar_follow_an_edit_on_another_page() -> None:
    at = review_of_keinuma()
    goto(at, "controller")
    name_key = "f.controller.name"
    assert at.text_input(key=name_key).value
    at.text_input(key=name_key).set_value("")
    ok(at.run())
    notice = draft(at)
    expected = run_checks(notice)
    assert any(f.path == "controller.name" for f in expected)
    assert at.session_state["_derived"]["findings"][1] == expected
    goto(at, "review")
    shown = [str(box.value) for kind in ("error", "warning", "info") for box in at.get(kind)]
    messages = [f.message("fi").replace("\\", "") for f in expected
                if f.path == "controller.name"]
    assert messages and all(any(m in s.replace("\\", "") for s in shown) for m in messages)
    # The sidebar's controller step is no longer done.
    labels = [str(p.proto.label) for p in at.get("page_link")]
    controller = next(label for label in labels if label.startswith("2. "))
    done = next(label for label in labels if label.startswith("1. "))
    assert controller.split("·")[-1] != done.split("·")[-1], labels


def test_the_preview_shows_each_publication_language() -> None:
    """A notice published in Finnish, Swedish and English can be previewed in each, on the
    review's preview tab and beside the form; a one-language notice shows no switch."""
    at = review_of_keinuma()
    key = "s.pref.preview_lang"
    switch = next(s for s in at.segmented_control if s.key == key)
    assert switch.value == "fi"
    notice = draft(at)
    assert [h.value for h in at.html] == [render_fragment(notice, "fi").strip()]
    switch.set_value("sv")
    ok(at.run())
    assert [h.value for h in at.html] == [render_fragment(notice, "sv").strip()]
    # the choice holds on another step's side preview
    goto(at, "controller")
    assert [h.value for h in at.html] == [render_fragment(notice, "sv").strip()]
    goto(at, "start")
    at.checkbox(key="pub_lang.sv").uncheck()
    ok(at.run())
    at.checkbox(key="pub_lang.en").uncheck()
    ok(at.run())
    open_review_tab(goto(at, "review"), "preview")
    assert not [s for s in at.segmented_control if s.key == key]
    assert [h.value for h in at.html] == [render_fragment(draft(at), "fi").strip()]
