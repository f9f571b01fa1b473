"""Session state: one canonical draft, and widgets bound to it by field path.

The draft is a `Notice` in one non-widget key (`DRAFT`). Streamlit deletes the state of every
widget that is not drawn in a run (a page switch), so widgets never own an answer: each widget's
key is derived from its field path (`paths.widget_key`), its value is copied in from the draft on
every run (`seed`) and copied out by its on_change callback (`change`). Lists are edited in the
draft and the widgets re-seeded, so reordering moves values with their items.

`commit_draft` is the only place the draft changes, and each commit bumps the revision;
autosave (`seloste.web.autosave`) saves once per run when the revision moved, rather than from a
commit hook, because one user action may commit several times.

A value the model rejects (a mistyped email) is not committed: it is kept as the widget's *raw*
value with its errors, so the typed text stays visible next to the message while the draft keeps
its last valid value.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Final, Literal

import streamlit as st
from pydantic import ValidationError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from seloste.i18n import Texts
from seloste.model import Notice
from seloste.vocab import LANGUAGES, Lang
from seloste.web import paths, widget_state

DRAFT = "_draft"
REVISION = "_revision"
RAW = "_raw"
ERRORS = "_errors"
SCRATCH = "_scratch"
UI_LANG = "_ui_lang"
NOTICE_LANG_CHOSEN = "_notice_lang_chosen"
#: The field path of the notice language (the widget that sets NOTICE_LANG_CHOSEN).
NOTICE_LANG_PATH = "language"
VISITED = "_visited"
PENDING = "_pending"
FLASH = "_flash"

Kind = Literal["text", "enum", "choice", "enums", "lines", "bool", "int", "date"]

#: The option of a radio that stands for "not answered" (kind ``choice``): Streamlit draws a
#: radio whose value is None with no option selected, so "not answered" needs a real value.
NOT_ANSWERED = "_not_answered"
ErrorInfo = tuple[str, dict[str, Any]]
LANG_CODES = frozenset(lang.value for lang in Lang)

# ---------------------------------------------------------------- the draft


_MISSING: Final = object()
_RUN_DRAFT: Final = "_seloste_draft"
_RUN_LANG: Final = "_seloste_ui_lang"


def _run_kept(name: str) -> Any:
    """What `_keep_for_run` kept under ``name`` in this script run, else ``_MISSING``.

    A value read from ``st.session_state`` goes through Streamlit's locks and widget-id mapping
    on every read, and a page asks for the UI language and the draft hundreds of times a run.
    The value is kept on the run's context with the run's cursor table, which Streamlit
    replaces at the start of every run (fragment runs too), so a change made between runs (a
    test, another run) is seen by the next run.
    """
    ctx = get_script_run_ctx()
    kept = getattr(ctx, name, None) if ctx is not None else None
    if kept is not None and ctx is not None and kept[0] is ctx.cursors:
        return kept[1]
    return _MISSING


def _keep_for_run(name: str, value: Any) -> None:
    ctx = get_script_run_ctx()
    if ctx is not None:
        setattr(ctx, name, (ctx.cursors, value))


def _forget_for_run(name: str) -> None:
    ctx = get_script_run_ctx()
    if ctx is not None and hasattr(ctx, name):
        delattr(ctx, name)


def init() -> None:
    ss = st.session_state
    widget_state.install()
    if UI_LANG not in ss:
        ss[UI_LANG] = browser_lang()
        _forget_for_run(_RUN_LANG)
    if DRAFT not in ss:
        # The notice language defaults to the UI language (see `set_ui_lang`).
        ss[DRAFT] = Notice(language=ui_lang())
        ss[REVISION] = 0
        _forget_for_run(_RUN_DRAFT)
    for key in (RAW, ERRORS, SCRATCH):
        if key not in ss:
            ss[key] = {}
    if VISITED not in ss:
        ss[VISITED] = set()


def draft() -> Notice:
    """The session's draft, read once per script run (`_run_kept`); `commit_draft` keeps the
    run's copy current."""
    kept = _run_kept(_RUN_DRAFT)
    if isinstance(kept, Notice):
        return kept
    value = st.session_state[DRAFT]
    assert isinstance(value, Notice)
    _keep_for_run(_RUN_DRAFT, value)
    return value


def revision() -> int:
    return int(st.session_state.get(REVISION, 0))


def commit_draft(new: Notice) -> None:
    """Make ``new`` the canonical draft. The only place the draft changes."""
    st.session_state[DRAFT] = new
    st.session_state[REVISION] = revision() + 1
    _keep_for_run(_RUN_DRAFT, new)


def replace_draft(new: Notice) -> None:
    """Start over with ``new`` (a new draft, an example, a loaded file)."""
    commit_draft(new)
    st.session_state[RAW] = {}
    st.session_state[ERRORS] = {}
    st.session_state[SCRATCH] = {}


@cache
def _blank() -> Notice:
    """An empty draft, built once: `is_blank` runs on every save check of every rerun."""
    return Notice()


def is_blank(notice: Notice) -> bool:
    """True when nothing but the notice language has been answered.

    Field by field, stopping at the first answer: a copy of the whole draft to compare took
    ~8 % of a light page's script time on every save check (issue #15).
    """
    blank = _blank()
    return all(getattr(notice, name) == getattr(blank, name)
               for name in Notice.model_fields if name != "language")


def mark_visited(step: str) -> None:
    st.session_state[VISITED].add(step)


def visited() -> set[str]:
    return set(st.session_state.get(VISITED, set()))


def flash(message: str, kind: str = "success") -> None:
    """A message shown once at the top of the next page drawn."""
    st.session_state[FLASH] = (kind, message)


def take_flash() -> tuple[str, str] | None:
    value = st.session_state.pop(FLASH, None)
    return value if isinstance(value, tuple) else None


# ---------------------------------------------------------------- languages


def browser_lang() -> Lang:
    """The browser's language if the app has it (`vocab.LANGUAGES`), else Finnish."""
    try:
        locale = st.context.locale or ""
    except Exception:
        locale = ""
    code = locale.split("-")[0].split("_")[0].lower()
    return Lang(code) if code in LANGUAGES else Lang.fi


def ui_lang() -> Lang:
    """The session's UI language, read once per script run (`_run_kept`: every `t` and
    `clause` asks); `set_ui_lang` updates it within a run."""
    kept = _run_kept(_RUN_LANG)
    if isinstance(kept, Lang):
        return kept
    lang = Lang(st.session_state.get(UI_LANG, Lang.fi))
    _keep_for_run(_RUN_LANG, lang)
    return lang


def set_ui_lang(lang: Lang | str) -> None:
    """Switch the UI language; the notice language follows it while it is only a default.

    A Swedish-speaking user who switches the UI to Swedish before answering anything gets a
    Swedish notice. It stops following once the user picks the notice language, and once the
    draft holds answers: those were typed in the language shown, and switching the UI to read
    a help text must not turn a Finnish notice Swedish under the user's hands.
    """
    st.session_state[UI_LANG] = Lang(lang)
    _forget_for_run(_RUN_LANG)
    current = draft()
    if (not st.session_state.get(NOTICE_LANG_CHOSEN) and is_blank(current)
            and current.language != Lang(lang)):
        commit_draft(paths.set_path(current, NOTICE_LANG_PATH, Lang(lang)))


@cache
def _texts(package: str, lang: Lang) -> Texts:
    """One `Texts` per package and language for the process (the texts are read-only data)."""
    return Texts(package, lang)


def t(key: str, /, **values: object) -> str:
    """A UI string in the UI language."""
    return _texts("seloste.web.ui", ui_lang())(key, **values)


def clause(key: str, /, **values: object) -> str:
    """A notice text (used as the label of a domain key) in the UI language."""
    return _texts("seloste.clauses", ui_lang())(key, **values)


# ---------------------------------------------------------------- binding


def to_widget(kind: Kind, value: Any) -> Any:
    if kind == "choice":
        return NOT_ANSWERED if value is None else to_widget("enum", value)
    if kind == "enum":
        return None if value is None else str(value.value if hasattr(value, "value") else value)
    if kind == "enums":
        return [str(v.value if hasattr(v, "value") else v) for v in value]
    if kind == "lines":
        return "\n".join(value)
    if kind == "text":
        return "" if value is None else str(value)
    return value


def from_widget(kind: Kind, value: Any, current: Any) -> Any:
    if kind == "choice":
        return None if value in (None, NOT_ANSWERED) else value
    if kind == "text":
        return value or ""
    if kind == "enums":
        chosen = [str(v) for v in (value or [])]
        kept = [str(c.value) for c in current if str(c.value) in chosen]
        return kept + [v for v in chosen if v not in kept]
    if kind == "lines":
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]
    if kind == "int":
        return None if value is None else int(value)
    if kind == "date":
        return value if isinstance(value, dt.date) or value is None else None
    return value


def _error_infos(exc: ValidationError) -> list[ErrorInfo]:
    found: list[ErrorInfo] = []
    for err in exc.errors(include_url=False):
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, str | int | float)}
        found.append((err["type"], ctx))
    return found


def _answer_group(path: str) -> str:
    """The object whose fields are only valid together: the path's parent, counting a
    per-language text (``….description.fi``) as its answer (``….description``).

    A purpose switched to "Muu tarkoitus" waits for its description, which the user types in
    the description's language field: both must be in one group for the pair to commit.
    """
    head, _, last = path.rpartition(".")
    if last in LANG_CODES:
        path = head
    return paths.parent(path)


def raw_values() -> dict[str, tuple[Kind, Any]]:
    value: dict[str, tuple[Kind, Any]] = st.session_state[RAW]
    return value


def errors() -> dict[str, list[ErrorInfo]]:
    value: dict[str, list[ErrorInfo]] = st.session_state[ERRORS]
    return value


def seed(path: str, kind: Kind, key_path: str | None = None) -> str:
    """Copy the draft's value (or the pending raw text) into the widget of ``path``.

    ``key_path``: the path the widget is *named* after when it differs from the value's (a
    free-text answer in a one-language notice keeps the answer's key, ``f.registers.0.name``,
    while it edits ``registers.0.name.fi``)."""
    key = paths.widget_key(key_path or path)
    raw = raw_values().get(path)
    desired = raw[1] if raw is not None else to_widget(kind, paths.get_path(draft(), path))
    ss = st.session_state
    if key not in ss or ss[key] != desired:
        ss[key] = desired
    return key


def change(path: str, kind: Kind, widget_value: Any) -> bool:
    """Apply a widget's new value to the draft; on rejection keep it raw with its errors.

    A value that is only valid together with a pending sibling (a retention period's number
    and unit) is committed with it, whichever the user gave first.
    """
    current = draft()
    raws = raw_values()
    errs = errors()
    value = from_widget(kind, widget_value, paths.get_path(current, path))
    group = _answer_group(path)
    siblings = {p: r for p, r in raws.items() if p != path and _answer_group(p) == group}
    try:
        new = paths.set_path(current, path, value)
    except ValidationError as exc:
        pending = {
            p: from_widget(k, v, paths.get_path(current, p)) for p, (k, v) in siblings.items()
        }
        try:
            new = paths.set_values(current, {**pending, path: value})
        except ValidationError:
            raws[path] = (kind, widget_value)
            errs[path] = _error_infos(exc)
            return False
        commit_draft(new)
        for p in [path, *pending]:
            raws.pop(p, None)
            errs.pop(p, None)
        return True
    commit_draft(new)
    if path == NOTICE_LANG_PATH:
        st.session_state[NOTICE_LANG_CHOSEN] = True
    raws.pop(path, None)
    errs.pop(path, None)
    for p, (k, v) in siblings.items():
        try:
            retry = paths.set_path(draft(), p, from_widget(k, v, paths.get_path(draft(), p)))
        except ValidationError:
            continue
        commit_draft(retry)
        raws.pop(p, None)
        errs.pop(p, None)
    return True


def on_widget_change(path: str, kind: Kind, key: str | None = None) -> None:
    """on_change callback of a bound widget (``key``: its key when not named after ``path``)."""
    change(path, kind, st.session_state[key or paths.widget_key(path)])


def forget_under(prefix: str) -> None:
    """Drop raw values and errors at or below ``prefix`` (after a list changed shape)."""
    for store in (raw_values(), errors()):
        for p in [p for p in store if p == prefix or p.startswith(prefix + ".")]:
            del store[p]


# ---------------------------------------------------------------- list edits


def list_add(path: str, item: Any) -> bool:
    try:
        commit_draft(paths.list_insert(draft(), path, item))
    except ValidationError:
        return False
    return True


def list_remove(path: str, index: int) -> None:
    forget_under(path)
    commit_draft(paths.list_remove(draft(), path, index))


def list_move(path: str, index: int, delta: int) -> None:
    forget_under(path)
    commit_draft(paths.list_move(draft(), path, index, delta))


def set_value(path: str, value: Any) -> bool:
    """Set one value from code (a toggle that adds or removes a sub-record)."""
    try:
        commit_draft(paths.set_path(draft(), path, value))
    except ValidationError:
        return False
    forget_under(path)
    return True


# ---------------------------------------------------------------- page flags


def flag(name: str, default: Any = None) -> Any:
    """A page's short-lived flag (a pending confirmation, the last upload's problems).

    Pages keep such flags through these three functions, never through ``st.session_state``
    itself: the session's keys have one owner (this module), and a test can find every key a
    page uses by reading the page's constants."""
    return st.session_state.get(name, default)


def set_flag(name: str, value: Any) -> None:
    st.session_state[name] = value


def pop_flag(name: str) -> Any:
    return st.session_state.pop(name, None)


def widget_value(key: str) -> Any:
    """A widget's current value read by its key (the file uploader's file in a callback)."""
    return st.session_state.get(key)


# ---------------------------------------------------------------- scratch (add forms, UI prefs)


def scratch_key(name: str) -> str:
    return f"s.{name}"


def scratch_get(name: str, default: Any = None) -> Any:
    """A form field's value: as last changed, else as drawn, else ``default``."""
    store = st.session_state[SCRATCH]
    if name in store:
        return store[name]
    return st.session_state.get(scratch_key(name), default)


def scratch_chosen(name: str) -> Any:
    """A form field's value only once the user changed it (None while it shows its default)."""
    return st.session_state[SCRATCH].get(name)


def scratch_set(name: str, value: Any) -> None:
    st.session_state[SCRATCH][name] = value


def seed_scratch(name: str, default: Any) -> str:
    """Like `seed`, for form fields that are not in the draft yet (kept across page switches)."""
    key = scratch_key(name)
    value = st.session_state[SCRATCH].get(name, default)
    if key not in st.session_state or st.session_state[key] != value:
        st.session_state[key] = value
    return key


def on_scratch_change(name: str) -> None:
    st.session_state[SCRATCH][name] = st.session_state[scratch_key(name)]


def clear_scratch(prefix: str) -> None:
    store = st.session_state[SCRATCH]
    for name in [n for n in store if n == prefix or n.startswith(prefix + ".")]:
        del store[name]
