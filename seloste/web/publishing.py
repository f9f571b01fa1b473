"""Review-step additions: the notice as PDF, publishing a version (with what changed, and the
history of earlier versions to download again), and the record of processing activities with
its record-only answers.

One call from `pages/review.py` (`show()`) draws all of it, so the review page keeps one line for
this. Files that take seconds to make (PDF) or that exist once per published version are passed
to `st.download_button` as callables: Streamlit runs them only when the button is pressed, so a
rerun of the review step does not pay for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import streamlit as st

from seloste.draft_file import dump_draft
from seloste.i18n import Texts
from seloste.model import Notice
from seloste.record.docx import render_record_docx
from seloste.record.html import render_record_html
from seloste.record.xlsx import render_record_xlsx
from seloste.render import MIME, Format, render
from seloste.render.document import format_day
from seloste.render.pdf import PDF_MIME, pdf_from_html, render_pdf
from seloste.versions import SnapshotError, pending_changes, publish, snapshot_notice
from seloste.web import state
from seloste.web import widgets as w

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def u(key: str, /, **values: object) -> str:
    """A string of this section in the UI language."""
    return Texts("seloste.web.ui_publishing", state.ui_lang())(key, **values)


def record_pdf(notice: Notice) -> bytes:
    return pdf_from_html(render_record_html(notice), notice.updated or notice.created)


def record_files(notice: Notice) -> dict[str, Callable[[], bytes]]:
    """The record's downloads, as the buttons get them (also what the tests compare)."""
    return {
        "xlsx": partial(render_record_xlsx, notice),
        "docx": partial(render_record_docx, notice),
        "pdf": partial(record_pdf, notice),
    }


def _publish(label_key: str) -> None:
    label = str(st.session_state.get(label_key) or "").strip()
    day = dt.date.today()
    state.commit_draft(publish(state.draft(), label, day))
    st.session_state[label_key] = ""
    state.flash(u("publish.done", date=format_day(day, state.ui_lang())))


def pdf_button(stem: str) -> None:
    notice = state.draft()
    st.download_button(u("pdf.button"), data=partial(render_pdf, notice), key="dl.pdf",
                       file_name=f"{stem}.pdf", mime=PDF_MIME, on_click="ignore",
                       icon=":material/picture_as_pdf:", help=u("pdf.help"))


def publish_section() -> None:
    notice = state.draft()
    lang = state.ui_lang()
    st.header(u("publish.heading"), anchor=False)
    st.caption(u("publish.text"))
    changes = pending_changes(notice, notice.language.value)
    if changes is None:
        st.info(u("publish.first"), icon=":material/info:")
    elif not changes:
        st.info(u("publish.no_changes"), icon=":material/info:")
    else:
        last = notice.versions[-1].published
        st.markdown(u("publish.changes", date=format_day(last, lang)))
        st.markdown("\n".join(f"- {w.md(line)}" for line in changes))
    label_key = "publish.label"
    # The help as a visible note, not help=: Streamlit names that icon "Help for <label>" in
    # English whatever the UI language (see `widgets.help_note`).
    st.text_input(u("publish.label"), key=label_key, max_chars=200)
    w.help_note(u("publish.label_help"))
    st.button(u("publish.button"), key="publish.go", type="primary",
              icon=":material/publish:", on_click=_publish, args=(label_key,))
    w.flag("show_change_log", u("publish.show_log"), help=u("publish.show_log_help"))
    history(notice)


def history(notice: Notice) -> None:
    lang = state.ui_lang()
    st.subheader(u("publish.history"), anchor=False)
    if not notice.versions:
        st.caption(u("publish.history_none"))
        return
    for number in range(len(notice.versions), 0, -1):
        version = notice.versions[number - 1]
        day = format_day(version.published, lang)
        title = (u("publish.version_label", date=day, label=version.label) if version.label
                 else u("publish.version", date=day))
        try:
            old = snapshot_notice(version)
        except SnapshotError as exc:
            st.warning(f"{title}: {u('publish.broken', error=exc)}")
            continue
        stem = f"{version.published.isoformat()}-v{number}"
        a, b, c, d = st.columns([3, 1, 1, 2], vertical_alignment="center")
        a.markdown(f"**{w.md(title)}**")
        b.download_button(u("publish.docx"), data=partial(render, old, Format.docx),
                          key=f"dl.version.{number}.docx", file_name=f"{stem}.docx",
                          mime=MIME[Format.docx], on_click="ignore")
        c.download_button(u("publish.pdf"), data=partial(render_pdf, old),
                          key=f"dl.version.{number}.pdf", file_name=f"{stem}.pdf",
                          mime=PDF_MIME, on_click="ignore")
        d.download_button(u("publish.draft"), data=partial(_draft_bytes, old),
                          key=f"dl.version.{number}.json", file_name=f"{stem}.json",
                          mime="application/json", on_click="ignore")


def _draft_bytes(notice: Notice) -> bytes:
    return dump_draft(notice).encode("utf-8")


def record_section(stem: str) -> None:
    notice = state.draft()
    st.header(u("record.heading"), anchor=False)
    st.caption(u("record.text"))
    if not notice.registers:
        st.caption(u("record.no_registers"))
        return
    for i, reg in enumerate(notice.registers):
        name = (reg.name.pick(state.draft().language)
                or state.clause("doc.unnamed_register", number=i + 1))
        # Tracked boxes (`widgets.item_box`): a folded register's two fields are not drawn
        # on every rerun of the review (issue #15); a fix button for one of them opens it.
        box = w.item_box("record", i, name, icon=":material/lock:", default=w.item_wanted(
            f"registers.{i}.record_access", f"registers.{i}.record_location"))
        with box:
            if box.open is False:
                continue
            st.caption(u("record.only"))
            w.text(f"registers.{i}.record_access", u("record.access"), area=True,
                   help=u("record.access_help"))
            w.text(f"registers.{i}.record_location", u("record.location"), area=True,
                   help=u("record.location_help"))
    files = record_files(state.draft())
    a, b, c = st.columns(3)
    a.download_button(u("record.xlsx"), data=files["xlsx"], key="dl.record.xlsx",
                      file_name=f"{stem}.xlsx", mime=XLSX_MIME, on_click="ignore",
                      icon=":material/table:", width="stretch")
    b.download_button(u("record.docx"), data=files["docx"], key="dl.record.docx",
                      file_name=f"{stem}.docx", mime=MIME[Format.docx], on_click="ignore",
                      icon=":material/description:", width="stretch")
    c.download_button(u("record.pdf"), data=files["pdf"], key="dl.record.pdf",
                      file_name=f"{stem}.pdf", mime=PDF_MIME, on_click="ignore",
                      icon=":material/picture_as_pdf:", width="stretch")


RECORD_BASE = {"fi": "seloste-kasittelytoimista", "sv": "register-over-behandling",
               "en": "record-of-processing"}


def record_stem(name_slug: str) -> str:
    base = RECORD_BASE[state.draft().language.value]
    return f"{base}-{name_slug}" if name_slug else base


def show(stem: str, name_slug: str) -> None:
    """Everything this module adds to the review step, below the notice downloads."""
    pdf_button(stem)
    publish_section()
    record_section(record_stem(name_slug))
