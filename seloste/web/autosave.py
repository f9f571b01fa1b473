"""Autosave and the draft link: the wizard's answers kept in the draft store, opened by a link.

Why it looks like this:

* **The link is the key.** A draft's token (see `seloste.drafts`) lives in session state and in
  the URL as ``?draft=…``. Streamlit clears query parameters on every page switch, so `keep_link`
  writes the parameter again on every run; reloading the tab or opening the link later (on any
  server that shares the database) resumes the draft at the step where the user was.
* **One write per run at most.** `sync` runs at the start of every run (after the callbacks,
  which is where widgets commit answers) and again after the page has run; it saves only when
  something saved has changed: the draft (its revision), the step, the UI language or the
  visited steps. So every answer is saved before the next page is drawn.
* **Lazily.** A row is created at the first real answer, not for a blank draft or an untouched
  example, so visitors who only look do not fill the database.
* **An envelope, not a pickle.** The store keeps JSON: ``{"format": "seloste-session",
  "step": …, "ui_lang": …, "visited": […], "draft": <the draft file's JSON>}``. The draft part is
  read back through `seloste.draft_file.parse_draft`, so older schema versions are migrated by
  the same code as imported files.
* **No silent loss between tabs.** A save names the version it started from; when another tab
  (or server) saved in between, the store refuses. If the other save changed only where that tab
  was (step, language), our answers still build on the stored ones and are saved on top;
  otherwise the user is told and chooses: load the newer version, or keep these answers as a new
  draft with its own link. Nothing is overwritten without the user's say.
* **Storage can be off** (``SELOSTE_SERVER_STORAGE=off``): then no store is ever opened, nothing
  is written, and the answers live only in the session and in exported files.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final
from urllib.parse import urlsplit

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from seloste.draft_file import dump_draft, parse_draft
from seloste.drafts import DraftNotFound, DraftStore, StoreTimeout, VersionConflict
from seloste.limits import MAX_DRAFT_BYTES, export_problem
from seloste.model import SCHEMA_VERSION, Notice
from seloste.settings import Settings, get_settings
from seloste.steps import STEP_KEYS
from seloste.vocab import Lang
from seloste.web import derived, state
from seloste.web.state import t

log = logging.getLogger(__name__)

PARAM: Final = "draft"
ENVELOPE_FORMAT: Final = "seloste-session"
ENVELOPE_VERSION: Final = 1
#: Stored drafts were checked when saved; this only guards against a corrupt row.
_STORED_MAX_BYTES: Final = MAX_DRAFT_BYTES + 100_000
#: How often the purge runs (and once at start-up).
PURGE_EVERY: Final = timedelta(hours=1)
#: Rows one browser session may create (new, example, import: each starts a new link); after
#: that, starting anew overwrites the session's current draft under the same link, so one
#: session cannot fill the disk with drafts.
MAX_NEW_DRAFTS_PER_SESSION: Final = 5
#: What a database that cannot be reached, or does not answer in time, raises.
STORE_ERRORS: Final = (SQLAlchemyError, StoreTimeout)

TOKEN = "_store_token"
VERSION = "_store_version"
SAVED = "_store_saved"
BASE = "_store_base"
STEP = "_store_step"
CONFLICT = "_store_conflict"
PROBLEM = "_store_problem"
LINK_DONE = "_store_link_done"
RESUME = "_store_resume"
PRISTINE = "_store_pristine"
CREATED = "_store_created"
TOO_LARGE = "_store_too_large"

Snapshot = tuple[int, str, str, tuple[str, ...]]


# ---------------------------------------------------------------- the stored envelope (pure)


@dataclass(frozen=True)
class Saved:
    """What a stored draft brings back: the answers and where the user was."""

    notice: Notice
    step: str = "start"
    ui_lang: Lang = Lang.fi
    visited: tuple[str, ...] = ()


def dump_envelope(saved: Saved) -> str:
    """The JSON the store keeps for a session; the draft part is the draft file's content."""
    return json.dumps(
        {
            "format": ENVELOPE_FORMAT,
            "version": ENVELOPE_VERSION,
            "step": saved.step,
            "ui_lang": saved.ui_lang.value,
            "visited": list(saved.visited),
            "draft": saved.notice.model_dump(mode="json"),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def parse_envelope(text: str) -> Saved | None:
    """Read an envelope back; ``None`` when it cannot be opened (corrupt, or a newer schema).

    The draft goes through `parse_draft`, so an older schema version is migrated.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or data.get("format") != ENVELOPE_FORMAT:
        return None
    draft = data.get("draft")
    if not isinstance(draft, dict):
        return None
    result = parse_draft(json.dumps(draft), Lang.en, max_bytes=_STORED_MAX_BYTES)
    if result.notice is None:
        return None
    step = data.get("step")
    lang = data.get("ui_lang")
    visited = data.get("visited")
    return Saved(
        notice=result.notice,
        step=step if isinstance(step, str) and step in STEP_KEYS else "start",
        ui_lang=Lang(lang) if lang in {v.value for v in Lang} else Lang.fi,
        visited=tuple(v for v in visited if isinstance(v, str))
        if isinstance(visited, list) else (),
    )


# ---------------------------------------------------------------- the store, once per process

_stores: dict[str, DraftStore] = {}
_stores_lock = threading.Lock()
_purger_started: set[str] = set()


def _open_store(url: str) -> DraftStore:
    """The process's one store for ``url``.

    A module-level registry, deliberately not ``st.cache_resource``: any websocket client can
    send Streamlit's ``clear_cache`` message, which drops every cached resource for every
    session; 20 clients doing so pushed PostgreSQL to 76 of 100 connections.
    """
    with _stores_lock:
        opened = _stores.get(url)
        if opened is None:
            opened = _stores[url] = DraftStore(url)
        return opened


def purge_now(url: str, days: int) -> int:
    """Delete drafts unused for ``days`` (not saved and not opened by link); how many went."""
    removed = _open_store(url).purge_unused(timedelta(days=days))
    log.info("draft store: purged %d draft(s) unused for %d days", removed, days)
    return removed


#: Set to end the running purge threads; replaced by a fresh one for the next start.
_stop_purging: list[threading.Event] = [threading.Event()]


def stop_purging() -> None:
    """Stop the scheduled purges of this process (tests; a process exit also ends them)."""
    with _stores_lock:
        _stop_purging[0].set()
        _stop_purging[0] = threading.Event()
        _purger_started.clear()


def _purge_forever(url: str, days: int, every_s: float, stop: threading.Event) -> None:
    while not stop.wait(every_s):
        try:
            purge_now(url, days)
        except STORE_ERRORS:
            log.exception("draft store: the purge failed; trying again in %.0f s", every_s)


def start_purging(config: Settings | None = None) -> bool:
    """Purge now (synchronously), then every `PURGE_EVERY` in a daemon thread.

    Once per process and database URL.

    The launcher (`seloste.web.serve`) calls this at start-up, before the first visitor;
    `store()` calls it too, so a server started some other way still purges.
    """
    config = config or get_settings()
    if not config.server_storage:
        return False
    with _stores_lock:
        if config.database_url in _purger_started:
            return False
        _purger_started.add(config.database_url)
        stop = _stop_purging[0]
    try:
        purge_now(config.database_url, config.draft_retention_days)
    except STORE_ERRORS:
        log.exception("draft store: the start-up purge failed; it runs again in an hour")
    threading.Thread(target=_purge_forever, name="draft-purge", daemon=True,
                     args=(config.database_url, config.draft_retention_days,
                           PURGE_EVERY.total_seconds(), stop)).start()
    return True


def settings() -> Settings:
    """The settings for the process's environment, rebuilt only when a ``SELOSTE_`` variable
    changes: every rerun asks several times, and building them took ~2 % of a light page's
    script time (issue #15)."""
    return _settings_for(tuple(sorted(
        (name, value) for name, value in os.environ.items() if name.startswith("SELOSTE_"))))


@functools.lru_cache(maxsize=8)
def _settings_for(env: tuple[tuple[str, str], ...]) -> Settings:
    return get_settings(dict(env))


def enabled() -> bool:
    """Whether answers may be stored on the server at all."""
    return settings().server_storage


def store() -> DraftStore | None:
    """The process's store (``None`` when server storage is off); the purge runs beside it.

    Raises one of `STORE_ERRORS` when the database cannot be reached or does not answer in
    time; callers turn that into a message and try again on the next run.
    """
    config = settings()
    if not config.server_storage:
        return None
    start_purging(config)
    return _open_store(config.database_url)


# ---------------------------------------------------------------- session helpers


def token() -> str | None:
    value = st.session_state.get(TOKEN)
    return value if isinstance(value, str) else None


def conflict() -> str | None:
    value = st.session_state.get(CONFLICT)
    return value if isinstance(value, str) else None


def problem() -> bool:
    return bool(st.session_state.get(PROBLEM))


def step_of(url_path: str) -> str:
    """The wizard step of a page's url path (the default page's is empty)."""
    return url_path or "start"


def _step() -> str:
    value = st.session_state.get(STEP)
    return value if isinstance(value, str) else "start"


def _visited() -> tuple[str, ...]:
    # The current step counts as visited already: the page marks it only while it runs, and
    # counting it now spares a second write after the run.
    return tuple(sorted(state.visited() | {_step()}))


def _snapshot() -> Snapshot:
    return (state.revision(), _step(), state.ui_lang().value, _visited())


def _saved_now() -> Saved:
    return Saved(state.draft(), _step(), state.ui_lang(), _visited())


def _worth_storing(notice: Notice) -> bool:
    """A first row only for real answers: not a blank draft, not an untouched example."""
    if state.is_blank(notice):
        return False
    pristine = st.session_state.get(PRISTINE)
    return pristine is None or notice != pristine


def detach(*, pristine: Notice | None = None) -> None:
    """Forget this session's link: the next real answer starts a new stored draft.

    The old draft stays in the store under its own link. After `MAX_NEW_DRAFTS_PER_SESSION`
    new drafts in one session the link is kept instead and the next save overwrites it.
    ``pristine`` is a draft (an example) that should not be stored until the user changes it.
    """
    ss = st.session_state
    reuse = token() is not None and int(ss.get(CREATED, 0)) >= MAX_NEW_DRAFTS_PER_SESSION
    # At the session's cap the link stays: the next save overwrites the current draft.
    for key in (CONFLICT, PROBLEM, TOO_LARGE) if reuse else (
            TOKEN, VERSION, SAVED, BASE, CONFLICT, PROBLEM, TOO_LARGE):
        ss.pop(key, None)
    if reuse:
        ss.pop(SAVED, None)
    if pristine is None:
        ss.pop(PRISTINE, None)
    else:
        ss[PRISTINE] = pristine


def _adopt(token_: str, version: int, saved: Saved) -> None:
    """Make the stored draft this session's draft (after opening a link or reloading)."""
    ss = st.session_state
    state.replace_draft(saved.notice)
    state.set_ui_lang(saved.ui_lang)
    ss[state.VISITED] = set(saved.visited)
    ss[TOKEN] = token_
    ss[VERSION] = version
    ss[BASE] = saved.notice
    ss.pop(CONFLICT, None)
    ss.pop(PROBLEM, None)
    ss.pop(PRISTINE, None)


# ---------------------------------------------------------------- opening a link


def open_from_link() -> None:
    """On a session's first run: open the draft named by ``?draft=`` if there is one.

    Unknown, malformed, deleted and purged tokens get one and the same friendly message, so
    the answer never tells whether a draft ever existed. A database that does not answer
    leaves the parameter in the URL and tries again on the next run.
    """
    ss = st.session_state
    if ss.get(LINK_DONE):
        return
    raw = st.query_params.get(PARAM)
    if not raw:
        ss[LINK_DONE] = True
        try:
            store()  # opening the store runs the start-up purge (once per process and day)
        except STORE_ERRORS:
            log.exception("draft store: the database does not answer; saving will retry")
        return
    try:
        opened = store()
        stored = opened.load(raw, touch=True) if opened is not None else None
    except STORE_ERRORS:
        log.exception("draft store: could not open a draft link")
        ss[PROBLEM] = "load"
        return
    ss[LINK_DONE] = True
    ss.pop(PROBLEM, None)
    if opened is None:
        state.flash(t("drafts.link_storage_off"), "warning")
        return
    saved = parse_envelope(stored.json) if stored is not None else None
    if stored is None or saved is None:
        state.flash(t("drafts.link_not_found", days=settings().draft_retention_days), "warning")
        return
    _adopt(raw, stored.version, saved)
    ss[STEP] = saved.step
    ss[SAVED] = _snapshot()
    ss[RESUME] = saved.step
    state.flash(t("drafts.resumed"), "success")


def take_resume() -> str | None:
    """The step to open after a link was opened (once)."""
    value = st.session_state.pop(RESUME, None)
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- saving


def _save(opened: DraftStore, token_: str, payload: str) -> int | None:
    """Save over the version this session started from; ``None`` after a conflict."""
    ss = st.session_state
    try:
        return opened.save(token_, payload, SCHEMA_VERSION, int(ss.get(VERSION, 0)))
    except DraftNotFound:
        ss[CONFLICT] = "deleted"
        return None
    except VersionConflict:
        latest = opened.load(token_)
    if latest is None:
        ss[CONFLICT] = "deleted"
        return None
    theirs = parse_envelope(latest.json)
    if theirs is not None and theirs.notice == ss.get(BASE):
        # The other save changed only where that tab was, not the answers: ours build on the
        # stored answers, so saving them loses nothing.
        try:
            return opened.save(token_, payload, SCHEMA_VERSION, latest.version)
        except (VersionConflict, DraftNotFound):
            pass
    ss[CONFLICT] = "changed"
    return None


def sync(url_path: str | None = None) -> None:
    """Save the session's draft if anything saved has changed since the last save.

    Called by app.py at the start of every run and after the page ran. Never raises for a
    database problem: the user is told (`notices`) and the next run tries again.
    """
    ss = st.session_state
    if url_path is not None and step_of(url_path) in STEP_KEYS:
        ss[STEP] = step_of(url_path)
    if not ss.get(LINK_DONE) or conflict() is not None or not enabled():
        return
    snapshot = _snapshot()
    if ss.get(SAVED) == snapshot:
        return
    notice = state.draft()
    current = token()
    if current is None and not _worth_storing(notice):
        return
    too_large = export_problem(len(dump_draft(notice).encode("utf-8")), file_limit())
    if too_large is not None:
        # Saving it would store a draft that neither the link's page nor the import could
        # open again: keep the last saved version and say why.
        ss[PROBLEM] = "too_large"
        ss[TOO_LARGE] = too_large
        return
    ss.pop(TOO_LARGE, None)
    payload = dump_envelope(_saved_now())
    try:
        opened = store()
        if opened is None:
            return
        if current is None:
            current, version = opened.create(payload, SCHEMA_VERSION)
            ss[CREATED] = int(ss.get(CREATED, 0)) + 1
            ss[TOKEN] = current
            ss.pop(PRISTINE, None)
        else:
            saved_version = _save(opened, current, payload)
            if saved_version is None:
                return
            version = saved_version
    except STORE_ERRORS:
        log.exception("draft store: saving a draft failed; will retry on the next run")
        ss[PROBLEM] = "save"
        return
    ss[VERSION] = version
    ss[SAVED] = snapshot
    ss[BASE] = notice
    ss.pop(PROBLEM, None)


def keep_link() -> None:
    """Put the token in the URL again (page switches clear query parameters)."""
    current = token()
    params = st.query_params
    if current is not None:
        if params.get(PARAM) != current:
            params[PARAM] = current
    elif st.session_state.get(LINK_DONE) and PARAM in params:
        del params[PARAM]


#: How often an open tab reruns the (empty) reconnect marker; see `rerun_after_reconnect`.
RECONNECT_MARKER_EVERY: Final = timedelta(minutes=15)


@st.fragment(run_every=RECONNECT_MARKER_EVERY)
def _reconnect_marker() -> None:
    """Draws nothing; its ``run_every`` is what makes the browser rerun after a reconnect."""


def rerun_after_reconnect() -> None:
    """Make the browser rerun the page when its connection comes back (failover).

    Streamlit 1.67's frontend, after its websocket reconnects, requests a script run only if
    it never had a session, a run was under way, or the page has a fragment that reruns on a
    timer (``run_every``). Otherwise it keeps showing what the old process drew, and a new
    process behind the balancer, which knows nothing of the tab, runs nothing: the first
    answer typed there was overwritten when the link was opened in that same run, and a click
    on a sidebar step dropped ``?draft=`` (an empty wizard). With this empty timed fragment on
    every page, the reconnected tab reruns at once with its URL, so the new process opens the
    draft link before the user acts. The timer itself costs one empty fragment run per tab
    every `RECONNECT_MARKER_EVERY`. ``tests/test_cluster.py`` proves it through HAProxy.
    """
    _reconnect_marker()


def link_params() -> dict[str, str]:
    """Query parameters for `st.switch_page`, so a switch keeps the link in the URL."""
    current = token()
    return {PARAM: current} if current is not None else {}


def link_url() -> str | None:
    """The full link to this draft, for the user to keep (``None`` before the first save)."""
    current = token()
    if current is None:
        return None
    try:
        base = st.context.url or ""
    except Exception:
        base = ""
    if base and not urlsplit(base).path:
        base += "/"  # Streamlit drops the root's slash: http://host?draft=… -> http://host/?…
    return f"{base}?{PARAM}={current}"


# ---------------------------------------------------------------- user actions


def reload_latest() -> None:
    """Button callback: replace this tab's answers with the stored, newer version."""
    current = token()
    try:
        opened = store()
        stored = opened.load(current) if opened is not None and current else None
    except STORE_ERRORS:
        log.exception("draft store: reloading a draft failed")
        st.session_state[PROBLEM] = "load"
        return
    saved = parse_envelope(stored.json) if stored is not None else None
    if current is None or stored is None or saved is None:
        st.session_state[CONFLICT] = "deleted"
        return
    _adopt(current, stored.version, saved)
    state.flash(t("drafts.reloaded"), "success")


def keep_as_new() -> None:
    """Button callback: keep this tab's answers as a new draft with a new link."""
    detach()
    state.flash(t("drafts.kept_as_new"), "success")


def delete_current() -> bool:
    """Delete this session's stored draft and start a blank one; ``False`` on a database error."""
    current = token()
    try:
        opened = store()
        if opened is not None and current is not None:
            opened.delete(current)
    except STORE_ERRORS:
        log.exception("draft store: deleting a draft failed")
        return False
    detach()
    state.replace_draft(Notice(language=state.draft().language))
    return True


# ---------------------------------------------------------------- what the user sees


def file_limit() -> int:
    """The largest draft file the import accepts here, so the largest one we may write."""
    return min(MAX_DRAFT_BYTES, settings().max_upload_bytes)


def draft_download(where: Any, notice: Notice, *, label: str, key: str, file_name: str,
                   icon: str) -> None:
    """The draft file's download button, or why there is none: a file over the import's
    limit would be a file the wizard could not open again."""
    data = (derived.draft_file() if notice is state.draft() else dump_draft(notice)).encode("utf-8")
    too_large = export_problem(len(data), file_limit())
    if too_large is not None:
        where.warning(t("drafts.too_large_to_export", **too_large), icon=":material/warning:")
        return
    where.download_button(label, data=data, key=key, file_name=file_name,
                          mime="application/json", on_click="ignore", icon=icon)



def notices() -> None:
    """Above every page: a conflict with another tab, or a database that does not answer."""
    kind = conflict()
    if kind is not None:
        with st.container(border=True, key="draft_conflict"):
            st.warning(t(f"drafts.conflict_{kind}"), icon=":material/sync_problem:")
            cols: list[Any] = list(st.columns(2))
            if kind == "changed":
                cols[0].button(t("drafts.reload"), key="draft.reload", type="primary",
                               icon=":material/refresh:", on_click=reload_latest)
            cols[1].button(t("drafts.keep_as_new"), key="draft.keep_as_new",
                           icon=":material/call_split:", on_click=keep_as_new)
        return
    if problem():
        figures = st.session_state.get(TOO_LARGE) or {}
        st.warning(t(f"drafts.problem_{st.session_state.get(PROBLEM)}", **figures),
                   icon=":material/cloud_off:")


def sidebar_status() -> None:
    """One line under the steps: where the answers are kept."""
    if not enabled():
        st.caption(t("sidebar.privacy"))
    elif conflict() is not None:
        st.caption(t("sidebar.not_saved"))
    elif token() is not None:
        st.caption(t("sidebar.saved"))
    else:
        st.caption(t("sidebar.not_yet_saved"))
