"""Widgets bound to the draft, list controls, field feedback and the page frame of a step.

Every bound widget is drawn the same way: seed its state from the draft (`state.seed`), draw it
with a key derived from its path and an on_change callback that copies the value out
(`state.on_widget_change`), then show what is wrong with exactly this field: a rejected value's
error, the checks' findings for this path, or a local hint. Pages only say which path, which
label, which options.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from seloste.checks import Finding, Severity
from seloste.errors import error_message
from seloste.render import render_fragment
from seloste.web import findings, state
from seloste.web.router import require_router
from seloste.web.state import Kind, t
from seloste.web.steps import ICONS, next_step, previous_step

DRAWN = "_drawn_paths"
CURRENT = "_current_step"
FINDINGS_ON = "_findings_on"
PREVIEW = "_preview_cache"
PREF_PREVIEW = "pref.preview"

Fmt = Callable[[Any], str]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def md(text: object) -> str:
    """User text made literal inside Markdown (labels, alerts and tabs all render Markdown).

    A company or register name like ``[x](https://…)`` or ``:red[…]`` must show as typed.
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def labeller(options: Sequence[Any], fmt: Fmt, none_label: str | None = None) -> Fmt:
    """A format_func with every label computed now, in this run's UI language.

    Streamlit (and AppTest) may call a format_func after the run, when the language lookup
    would no longer see this session; a precomputed table cannot go stale.
    """
    table = {v: none_label if v is None and none_label is not None else fmt(v)
             for v in options}

    def show(value: Any) -> str:
        return table.get(value, str(value))

    return show


# ---------------------------------------------------------------- feedback


#: How each severity looks, wherever a finding is shown (the steps, the review, the lint page).
SEVERITY_ICONS: dict[Severity, str] = {
    Severity.error: ":material/error:",
    Severity.warning: ":material/warning:",
    Severity.tip: ":material/lightbulb:",
}


def severity_box(severity: Severity, text: str, *, container: Any = None) -> None:
    """A message in the box and with the icon of its severity (error, warning, info)."""
    target = container if container is not None else st
    box = {Severity.error: target.error, Severity.warning: target.warning,
           Severity.tip: target.info}[severity]
    box(text, icon=SEVERITY_ICONS[severity])


def show_finding(finding: Finding, *, container: Any = None) -> None:
    severity_box(finding.severity, md(finding.message(state.ui_lang())), container=container)


def feedback(path: str, *, hint: str | None = None) -> None:
    """What is wrong with the field at ``path``, right under it, in the UI language."""
    drawn: set[str] = st.session_state.setdefault(DRAWN, set())
    drawn.add(path)
    for kind, ctx in state.errors().get(path, []):
        st.error(error_message(kind, ctx, state.ui_lang()), icon=SEVERITY_ICONS[Severity.error])
    here = findings.at_path(path) if findings_on() else []
    for finding in here:
        show_finding(finding)
    if hint and not here:
        st.warning(hint, icon=":material/warning:")


# ---------------------------------------------------------------- bound widgets


def help_note(text: str | None) -> None:
    """A field's help as a visible note right under it, never as Streamlit's ``help=`` tooltip.

    Streamlit 1.67 draws ``help=`` as an icon button named "Help for <label>" in English,
    whatever the page's language, and shows the text only on hover, which touch screens and
    many keyboard users never do. A visible hint (as in the GOV.UK design system) is read by
    everyone, in the UI language.
    """
    if text:
        st.caption(text)


def _draw(widget: str, key: str, label: str, on_change: Callable[..., None],
          args: tuple[Any, ...], **kw: Any) -> Any:
    fn: Callable[..., Any] = getattr(st, widget)
    return fn(label, key=key, on_change=on_change, args=args, **kw)


def _bound(widget: str, path: str, kind: Kind, label: str, *, hint: str | None = None,
           **kw: Any) -> Any:
    key = state.seed(path, kind)
    note = kw.pop("help", None)
    value = _draw(widget, key, label, state.on_widget_change, (path, kind), **kw)
    # What is wrong comes first, right under the field; the standing help after it.
    feedback(path, hint=hint)
    help_note(note)
    return value


def text(path: str, label: str, *, help: str | None = None, area: bool = False,
         placeholder: str | None = None, hint: str | None = None, height: int | None = None,
         ) -> str:
    kw: dict[str, Any] = {"help": help, "placeholder": placeholder}
    if area:
        kw["height"] = height or 100
    return str(_bound("text_area" if area else "text_input", path, "text", label, hint=hint, **kw))


def lines(path: str, label: str, *, help: str | None = None,
          placeholder: str | None = None) -> None:
    """A list of short texts, one per line."""
    _bound("text_area", path, "lines", label, help=help, placeholder=placeholder, height=80)


def select(path: str, options: Sequence[str], fmt: Fmt, label: str, *,
           none_label: str | None = None, help: str | None = None, radio: bool = False,
           horizontal: bool = False, hint: str | None = None) -> str | None:
    """One choice of a key; with ``none_label`` the answer may also be "not chosen"."""
    opts: list[str | None] = [None, *options] if none_label is not None else list(options)
    show = labeller(opts, fmt, none_label)

    if radio:
        value = _bound("radio", path, "enum", label, hint=hint, options=opts, format_func=show,
                       help=help, horizontal=horizontal)
    else:
        # required: "not chosen" is an option of its own (none_label) where it is allowed, so
        # the clear button, which Streamlit names "Clear value" in English, is never needed.
        value = _bound("selectbox", path, "enum", label, hint=hint, options=opts,
                       format_func=show, help=help, required=True,
                       placeholder=none_label or t("common.choose"))
    return None if value is None else str(value)


def multi(path: str, options: Sequence[str], fmt: Fmt, label: str, *,
          help: str | None = None, placeholder: str | None = None) -> list[str]:
    # select_all=False: Streamlit's "Select all" option is English in every UI language (and
    # "all data categories" is never a sensible answer to pick in one click).
    value = _bound("multiselect", path, "enums", label, options=list(options),
                   format_func=labeller(list(options), fmt), select_all=False,
                   help=help, placeholder=placeholder or t("common.choose_many"))
    return [str(v) for v in value or []]


def flag(path: str, label: str, *, help: str | None = None) -> bool:
    return bool(_bound("toggle", path, "bool", label, help=help))


def number(path: str, label: str, *, min_value: int, max_value: int,
           help: str | None = None) -> int | None:
    value = _bound("number_input", path, "int", label, min_value=min_value, max_value=max_value,
                   step=1, value=None, help=help)
    return None if value is None else int(value)


def date(path: str, label: str, *, help: str | None = None) -> None:
    _bound("date_input", path, "date", label, value=None, help=help, format="DD.MM.YYYY")


# ---------------------------------------------------------------- scratch widgets (add forms)


def scratch(widget: str, name: str, label: str, default: Any = None, **kw: Any) -> Any:
    """A form field whose value is not in the draft yet, kept across page switches."""
    key = state.seed_scratch(name, default)
    if widget in ("number_input", "date_input"):
        kw.setdefault("value", None)
    note = kw.pop("help", None)
    fn: Callable[..., Any] = getattr(st, widget)
    value = fn(label, key=key, on_change=state.on_scratch_change, args=(name,), **kw)
    help_note(note)
    return value


def scratch_select(name: str, options: Sequence[str | None], fmt: Fmt, label: str,
                   default: str | None = None, **kw: Any) -> str | None:
    show = labeller(list(options), fmt)
    kw.setdefault("placeholder", show(None) if None in options else t("common.choose"))
    kw.setdefault("required", True)  # no English "Clear value" button (see `select`)
    value = scratch("selectbox", name, label, default, options=list(options),
                    format_func=show, **kw)
    return None if value is None else str(value)


def field_label(labels: Mapping[str, str], path: str) -> str:
    """The UI label of an add form's field, from the error path's first part ("" if none)."""
    key = labels.get(path.split(".")[0])
    return t(key) if key else ""


def show_errors(items: Sequence[tuple[str, str]]) -> None:
    """Errors of an add form: (field label, message) pairs."""
    for label, message in items:
        st.error(f"{label}: {message}" if label else message, icon=":material/error:")


# ---------------------------------------------------------------- list controls


def item_controls(path: str, index: int, count: int, *, remove_label: str | None = None,
                  on_remove: Callable[[], None] | None = None) -> None:
    """Move up, move down and remove buttons for item ``index`` of the list at ``path``."""
    cols = st.columns(3, gap="small")
    base = f"{path}.{index}"
    cols[0].button(t("common.up"), key=f"b.up.{base}", icon=":material/arrow_upward:",
                   disabled=index == 0, on_click=state.list_move, args=(path, index, -1),
                   type="tertiary")
    cols[1].button(t("common.down"), key=f"b.down.{base}", icon=":material/arrow_downward:",
                   disabled=index >= count - 1, on_click=state.list_move, args=(path, index, 1),
                   type="tertiary")

    def remove() -> None:
        state.list_remove(path, index)
        if on_remove:
            on_remove()

    cols[2].button(remove_label or t("common.remove"), key=f"b.rm.{base}",
                   icon=":material/delete:", on_click=remove, type="tertiary")


# ---------------------------------------------------------------- the frame of a step


def findings_on() -> bool:
    """Findings show from the second visit of a step on: a fresh form is not a list of errors.

    Rejected values (a mistyped email) and local hints show at once.
    """
    return bool(st.session_state.get(FINDINGS_ON, True))


def preview_html() -> str:
    """The notice as the renderer's HTML fragment, cached per draft revision."""
    notice = state.draft()
    key = (state.revision(), notice.language)
    cached = st.session_state.get(PREVIEW)
    if cached is not None and cached[0] == key:
        return str(cached[1])
    html = render_fragment(notice, notice.language)
    st.session_state[PREVIEW] = (key, html)
    return html


def preview(height: int = 720) -> None:
    st.header(t("preview.title"), anchor=False)
    st.caption(t("preview.caption"))
    with st.container(height=height, border=True, key="preview_box"):
        st.html(preview_html())


def preview_wanted() -> bool:
    return bool(state.scratch_get(PREF_PREVIEW, True))


GOTO = "_goto"


def go_to(step: str) -> None:
    """Button callback: open ``step`` (app.py switches page on the next run).

    A callback, not ``if st.button(): st.switch_page()``, because a click must survive a run
    that is restarted before the page is drawn (see `seloste.web.router`).
    """
    st.session_state[GOTO] = step


def take_goto() -> str | None:
    value = st.session_state.pop(GOTO, None)
    return str(value) if value else None


def nav_buttons(step: str) -> None:
    back, nxt = previous_step(step), next_step(step)
    st.divider()
    left, _, right = st.columns([1, 2, 1])
    if back is not None:
        left.button(t("nav.back"), key="nav.back", icon=":material/arrow_back:",
                    width="stretch", on_click=go_to, args=(back,))
    if nxt is not None:
        right.button(t("nav.next"), key="nav.next", type="primary",
                     icon=":material/arrow_forward:", icon_position="right", width="stretch",
                     on_click=go_to, args=(nxt,))


def _flash() -> None:
    note = state.take_flash()
    if note is None:
        return
    kind, message = note
    if kind == "error":
        st.error(message)
    elif kind == "warning":
        st.warning(message, icon=":material/info:")
    else:
        st.success(message, icon=":material/check:")


@contextmanager
def step(step_key: str, *, side_preview: bool = True) -> Iterator[None]:
    """The frame of a wizard page: title, intro, the form, this step's findings, Back/Next,
    and the live preview beside the form when the user wants it."""
    require_router()
    if st.session_state.get(CURRENT) != step_key:
        st.session_state[CURRENT] = step_key
        st.session_state[FINDINGS_ON] = step_key == "review" or step_key in state.visited()
    state.mark_visited(step_key)
    st.session_state[DRAWN] = set()
    show = side_preview and preview_wanted()
    if show:
        form_col, preview_col = st.columns([3, 2], gap="large")
    else:
        form_col, preview_col = st.container(), None
    with form_col:
        _flash()
        st.title(t(f"step.{step_key}.title"), anchor=False)
        st.markdown(t(f"step.{step_key}.intro"))
        summary = st.container()
        yield
        drawn: set[str] = st.session_state.get(DRAWN, set())
        rest = [f for f in findings.for_step(step_key) if f.path not in drawn]
        rest = rest if findings_on() else []
        if rest:
            with summary.expander(t("findings.step_title", count=len(rest)), expanded=True,
                                  icon=":material/fact_check:"):
                for finding in rest:
                    show_finding(finding)
        nav_buttons(step_key)
    if preview_col is not None:
        with preview_col:
            preview()


def step_link(step_key: str, label: str, *, key: str) -> None:
    """A button that opens another step."""
    st.button(label, key=key, icon=ICONS.get(step_key), on_click=go_to, args=(step_key,))


def need_registers() -> bool:
    """On a per-register step: False (after telling the user) when there are no registers."""
    if state.draft().registers:
        return True
    st.info(t("common.no_registers"), icon=":material/info:")
    step_link("registers", t("common.go_registers"), key="goto.registers")
    return False


def register_tabs() -> list[tuple[int, Any]]:
    """One tab per register: [(index, tab)]."""
    regs = state.draft().registers
    names = [f"{i + 1}. {md(r.name) or t('common.unnamed_register', number=i + 1)}"
             for i, r in enumerate(regs)]
    tabs = st.tabs(names)
    return list(enumerate(tabs))
