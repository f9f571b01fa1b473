"""What the wizard derives from one draft revision, computed once per revision and session.

A widget change reruns the whole script, and most reruns change nothing (a page drawn again,
a click that only moves the view). The downloads, the preview, the findings and the sidebar's
step states are pure functions of the draft, so each is kept with the draft's revision
(`state.revision`, bumped by `state.commit_draft`, the only place the draft changes) and
recomputed only when the revision moved. The key may add what else the value depends on (the
output language, the visited steps).

Kept in the session, not in ``st.cache_data``: one user's notice must never be served to
another, and any websocket client can clear Streamlit's caches for everybody.

`COUNTS` counts the computations per name (not their time), so a test can tell a reuse from a
recomputation on a noisy machine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

from seloste.checks import Finding
from seloste.draft_file import dump_draft
from seloste.facts import NoticeFacts, notice_facts
from seloste.render import Format, render
from seloste.vocab import Lang
from seloste.web import state
from seloste.web.steps import Status, statuses

T = TypeVar("T")

_STORE = "_derived"

#: Computations done per name, across sessions of this process (tests read the difference).
COUNTS: Counter[str] = Counter()


def per_revision(name: str, compute: Callable[[], T], *extra: Hashable) -> T:
    """``compute()`` for the draft as it is now, reused while the revision and ``extra`` stay.

    Only the latest value per name is kept: an edit makes the previous one useless.
    """
    store: dict[str, tuple[tuple[Hashable, ...], object]] = st.session_state.setdefault(
        _STORE, {})
    key = (state.revision(), *extra)
    cached = store.get(name)
    if cached is not None and cached[0] == key:
        value: T = cached[1]  # type: ignore[assignment]
        return value
    value = compute()
    COUNTS[name] += 1
    store[name] = (key, value)
    return value


def rendered(fmt: Format | str) -> bytes:
    """The notice as ``fmt`` (the review page's downloads and the fragment to paste)."""
    fmt = Format(fmt)
    return per_revision(f"render.{fmt.value}", lambda: render(state.draft(), fmt))


def all_languages(fmt: Format | str) -> bytes:
    """The notice in every publication language, one after the other (issue #13): DOCX or page."""
    from seloste.render import bilingual

    fmt = Format(fmt)
    notice = state.draft()
    langs = notice.published_languages()

    def compute() -> bytes:
        if fmt is Format.docx:
            return bilingual.render_bilingual_docx(notice, langs)
        return bilingual.render_bilingual_page(notice, langs).encode("utf-8")

    return per_revision(f"all_languages.{fmt.value}", compute)


def facts(lang: Lang | str | None = None) -> NoticeFacts:
    """The facts layer of the draft, texts in ``lang`` (default: the notice's language).

    `notice_facts` caches on the draft's JSON, and dumping a whole draft to JSON costs a
    millisecond; a page that asks once per register paid it each time (issue #15).
    """
    language = Lang(lang) if lang else state.draft().language
    return per_revision(f"facts.{language.value}",
                        lambda: notice_facts(state.draft(), language))


def draft_file() -> str:
    """The draft as a draft file (JSON), for its download button."""
    return per_revision("draft_file", lambda: dump_draft(state.draft()))


def step_statuses(visited: frozenset[str], found: list[Finding]) -> dict[str, Status]:
    """The sidebar's state of each step; ``found`` are the findings of this revision."""
    return per_revision("statuses", lambda: statuses(state.draft(), visited, found), visited)
