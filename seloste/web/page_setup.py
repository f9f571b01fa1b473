"""What app.py sets up on every run, built once instead: the favicon and the page objects.

Every rerun of every step runs app.py from the top (issue #15: a light page paid ~25 % of its
script time here). `st.set_page_config` with a file path reads, hashes and registers the icon
as a media file on each run; `st.Page` resolves its script's path on the disk for each of the
ten pages. The icon becomes a ``data:`` URL once per process (the content security policy
allows ``data:`` images); the pages are kept per session and UI language, because a page
object is mutated by `st.navigation` during a run and must not be shared by two sessions.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from seloste.steps import STEP_KEYS
from seloste.web import state
from seloste.web.state import t
from seloste.web.steps import ICONS, extra_pages, page_path

_PAGES = "_seloste_pages"


@cache
def favicon() -> str:
    """The wizard's own icon as a ``data:`` URL: a Material icon would make every page load
    fetch it from Google's font servers, telling Google each visitor's IP address."""
    data = (Path(__file__).resolve().parent / "favicon.png").read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def pages() -> list[Any]:
    """The steps' pages, then the extra pages, titled in the session's UI language."""
    lang = state.ui_lang()
    kept = st.session_state.get(_PAGES)
    if kept is not None and kept[0] == lang:
        return list(kept[1])
    made = [
        st.Page(page_path(step), title=t(f"step.{step}.nav"), icon=ICONS[step], url_path=step,
                default=step == "start")
        for step in STEP_KEYS
    ]
    made += [
        st.Page(f"pages/{name}.py", title=t(f"extra.{name}"), icon=":material/find_in_page:",
                url_path=name.replace("_", "-"))
        for name in extra_pages()
    ]
    st.session_state[_PAGES] = (lang, made)
    return list(made)
