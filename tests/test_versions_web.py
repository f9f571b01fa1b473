"""The review step's additions (issue #17) in AppTest: publishing a version stores a dated,
labelled snapshot in the draft; what changed is listed before publishing; earlier versions can be
downloaded again; the record-only answers are asked and kept; PDF and record downloads exist."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest
from test_web_support import draft, goto, new_app, ok

from seloste.examples import load_example
from seloste.model import ServiceUse
from seloste.versions import publish
from seloste.web.widgets import ARRIVAL, box_key


def run(at: AppTest) -> AppTest:
    return ok(at.run())


def review_with(name: str = "keinuma") -> AppTest:
    at = new_app()
    at.button(key=f"start.example.{name}").click()
    run(at)
    return goto(at, "review")


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value.replace("\\", "") for m in at.markdown)


def test_publish_stores_a_dated_labelled_version_and_lists_it() -> None:
    at = review_with()
    assert any("ensimmäinen versio" in i.value for i in at.info)
    at.text_input(key="publish.label").set_value("Kevät 2026")
    at.button(key="publish.go").click()
    run(at)
    notice = draft(at)
    today = dt.date.today()
    assert [(v.published, v.label) for v in notice.versions] == [(today, "Kevät 2026")]
    assert notice.updated == today and notice.version_label == "Kevät 2026"
    assert notice.versions[0].answers["controller"]["name"] == "Keinuma Oy"
    assert any("on julkaistu" in s.value for s in at.success)
    keys = {b.key for b in at.get("download_button")}
    assert {"dl.version.1.docx", "dl.version.1.pdf", "dl.version.1.json"} <= keys
    assert any("Vastaukset ovat samat" in i.value for i in at.info)


def test_changes_are_listed_before_publishing() -> None:
    at = review_with()
    published = publish(load_example("keinuma"), "", dt.date(2025, 1, 2))
    changed = published.model_copy(deep=True)
    changed.registers[1].services.append(ServiceUse(catalogue_id="mailchimp"))
    at.session_state["_draft"] = changed
    run(at)
    text = markdown_text(at)
    assert "Muutokset edelliseen julkaistuun versioon (2.1.2025):" in text
    assert "Uutena palveluna Mailchimp (Yhdysvallat)." in text


def test_record_only_answers_are_asked_and_kept_and_downloads_exist() -> None:
    at = review_with()
    # Each register's record answers sit in a folded box, drawn once it is opened (issue #15).
    assert not [a for a in at.text_area if str(a.key).endswith(".record_access")]
    at.session_state[box_key(0, at.session_state[ARRIVAL], "record")] = True
    run(at)
    assert [str(a.key) for a in at.text_area if str(a.key).endswith(".record_access")] == [
        "f.registers.0.record_access"]
    at.text_area(key="f.registers.0.record_access").set_value("Heidi ja kirjanpitäjä")
    run(at)
    assert draft(at).registers[0].record_access == "Heidi ja kirjanpitäjä"
    assert any("ei julkaista" in c.value for c in at.caption)
    keys = {b.key for b in at.get("download_button")}
    assert {"dl.pdf", "dl.record.xlsx", "dl.record.docx", "dl.record.pdf"} <= keys


def test_change_log_toggle_is_bound_to_the_draft() -> None:
    at = review_with()
    at.toggle(key="f.show_change_log").set_value(True)
    run(at)
    assert draft(at).show_change_log is True
