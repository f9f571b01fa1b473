"""Tietosuojaseloste: the wizard's router.

Sets up the page, the session's draft and UI language, draws the sidebar (language, every step
with its state, the preview switch) and runs the current step's page from `pages/`. Pages draw
widgets only; the draft lives in `seloste.web.state`.

The draft link (`seloste.web.autosave`): a session's first run opens ``?draft=…`` and resumes at
the saved step; every run saves what changed (before the page is drawn, and again after it ran)
and writes the link into the URL again, because page switches clear query parameters.
"""

from __future__ import annotations

import streamlit as st

from seloste.steps import STEP_KEYS
from seloste.vocab import LANGUAGE_NAMES, LANGUAGES, Lang
from seloste.web import autosave, derived, findings, page_setup, state
from seloste.web.state import t
from seloste.web.steps import (
    STATUS_ICONS,
    page_path,
)
from seloste.web.widgets import PREF_PREVIEW, help_note, take_goto

state.init()
autosave.open_from_link()
# After the session's UI language is known (the browser's, or the one saved with the draft),
# so that the browser tab's title is in the language the page speaks.
st.set_page_config(
    page_title=t("app.title"),
    page_icon=page_setup.favicon(),  # local, as a data: URL (see page_setup)
    layout="wide",
    initial_sidebar_state="expanded",
    menu_items={"Get help": None, "Report a bug": None, "About": t("app.title")},
)


def _on_lang() -> None:
    state.set_ui_lang(st.session_state["ui.lang"])
    # Streamlit re-sends a keyed widget's option labels only when its state is set again; without
    # this, selects keep showing the old language and the next edit garbles the answer.
    for key in [k for k in st.session_state if str(k).startswith(("f.", "s."))]:
        st.session_state[key] = st.session_state[key]


pages = page_setup.pages()
current = st.navigation(pages, position="hidden")
target = take_goto()
resume = autosave.take_resume()
if target is None and resume is not None and resume != autosave.step_of(current.url_path):
    target = resume
if target is not None:
    st.switch_page(page_path(target), query_params=autosave.link_params())
autosave.sync(current.url_path)
autosave.keep_link()

with st.sidebar:
    # No Material icon in Markdown: it is an image named in English ("policy icon").
    st.markdown(f"**{t('app.title')}**")
    st.caption(t("app.tagline"))
    if st.session_state.get("ui.lang") != state.ui_lang():
        st.session_state["ui.lang"] = state.ui_lang()
    st.segmented_control(
        t("sidebar.ui_lang"), options=LANGUAGES, format_func=lambda v: LANGUAGE_NAMES[Lang(v)],
        key="ui.lang", on_change=_on_lang, required=True,
    )
    st.markdown(f"**{t('sidebar.steps')}**")
    status = derived.step_statuses(frozenset(state.visited() | {current.url_path or ""}),
                                   findings.current())
    for number, (step, page) in enumerate(zip(STEP_KEYS, pages, strict=False), start=1):
        word = t(f"status.{status[step].value}")
        st.page_link(page, label=f"{number}. {t(f'step.{step}.nav')} · :gray[{word}]",
                     icon=STATUS_ICONS[status[step]])
    for page in pages[len(STEP_KEYS):]:
        st.page_link(page, icon=":material/find_in_page:")
    st.divider()
    key = state.seed_scratch(PREF_PREVIEW, True)
    st.toggle(t("sidebar.preview"), key=key, on_change=state.on_scratch_change,
              args=(PREF_PREVIEW,))
    help_note(t("sidebar.preview_help"))
    autosave.sidebar_status()
# Outside the sidebar: a fragment copies the container stack it is called in on every run.
autosave.rerun_after_reconnect()

autosave.notices()
try:
    current.run()
finally:
    # Answers given while the page ran (and the step it marked visited) are saved now, not
    # only on the next run: a tab closed right after this run loses nothing.
    autosave.sync(current.url_path)
autosave.keep_link()
