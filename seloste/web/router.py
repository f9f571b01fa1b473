"""Make sure every page runs inside app.py's router, never on its own.

Streamlit turns on its old multipage mode (every file in ``pages/`` is a page run *instead of*
the main script) whenever a ``pages/`` folder exists, and switches it off only when a run calls
``st.navigation``. So the first run in a fresh process that asks for a page by URL (a deep link
straight after a server start), and every page switch under AppTest (which resets the switch
before each run), would run the page file alone: no page config, no sidebar, no session set-up.
A page that finds itself in that mode switches it off and reruns; the rerun goes through app.py
and lands on the same page, because both modes derive the page id from the same URL path.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_router() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
