"""Widgets bound to the draft, list controls, field feedback and the page frame of a step.

Every bound widget is drawn the same way: seed its state from the draft (`state.seed`), draw it
with a key derived from its path and an on_change callback that copies the value out
(`state.on_widget_change`), then show what is wrong with exactly this field: a rejected value's
error, the checks' findings for this path, or a local hint. Pages only say which path, which
label, which options.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final, Literal, ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from seloste.errors import error_message, waiting_message
from seloste.localized import LocalizedLong, LocalizedShort, edit_list_language
from seloste.render import render_fragment
from seloste.rules import Finding, Severity
from seloste.vocab import Lang
from seloste.web import derived, findings, paths, state
from seloste.web.router import require_router
from seloste.web.state import Kind, t
from seloste.web.steps import ICONS, next_step, previous_step

DRAWN = "_drawn_paths"
CURRENT = "_current_step"
FINDINGS_ON = "_findings_on"
ARRIVAL = "_step_arrival"
"""Counts arrivals at a step: the register tabs get a fresh key on each, so a step never opens
on the tab last used on another step (issue #18: rules typed into the wrong register)."""
OPEN_REGISTER = "_open_register"
"""The register the link that led to this step names (a fix button), opened instead of the first."""
OPEN_PATH = "_open_path"
"""The field the link that led to this step names (a fix button): the box holding it opens."""
PREF_PREVIEW = "pref.preview"
PAGE_REVISION = "_page_revision"
"""The draft's revision when the current page was last drawn whole (see `add_form`)."""

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


def mark_drawn(path: str) -> None:
    """The finding or error at ``path`` is on the page: the step frame does not list it again."""
    drawn: set[str] = st.session_state.setdefault(DRAWN, set())
    drawn.add(path)


def feedback(path: str, *, hint: str | None = None) -> None:
    """What is wrong with the field at ``path``, right under it, in the UI language."""
    mark_drawn(path)
    for kind, ctx in state.errors().get(path, []):
        waiting = waiting_message(kind, state.ui_lang())
        if waiting is not None:  # not wrong, only not whole yet: say what to fill in next
            st.info(waiting, icon=":material/edit_note:")
            continue
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
           key_path: str | None = None, **kw: Any) -> Any:
    key = state.seed(path, kind, key_path)
    note = kw.pop("help", None)
    value = _draw(widget, key, label, state.on_widget_change, (path, kind, key), **kw)
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
    widget = "text_area" if area else "text_input"
    value = paths.get_path(state.draft(), path)
    if isinstance(value, LocalizedShort | LocalizedLong):
        return _localized(widget, path, value, label, hint=hint, **kw)
    return str(_bound(widget, path, "text", label, hint=hint, **kw))


def reference(lang: Lang, text: str) -> str:
    """One line of Markdown showing another language's text under a field ("**Suomi:** ...").

    All the references of a field go into one caption: one element per field instead of a
    column pair with a caption and a text per language, which a rerun paid for on every
    localized field of the registers page.
    """
    lines = [md(line) for line in text.splitlines()] or [""]
    label = t("l10n.reference", language=t(f"lang.{lang.value}"))
    return f"**{md(label)}** " + "  \n".join(lines)


def _localized(widget: str, path: str, value: LocalizedShort | LocalizedLong, label: str, *,
               hint: str | None, **kw: Any) -> str:
    """A free-text answer: one field per publication language; under a field still empty in
    its language, the others' text to translate from.

    Each field is bound to the language's own path (``registers.0.name.sv``), where its
    errors and its `translation_missing` finding are shown. With one language the field looks
    exactly like a plain text field. Once a field is filled its own language's text is on
    screen beside the others', so the reference goes: it would repeat what the fields show
    (and cost an element per field on every rerun, issue #15).
    """
    langs = state.draft().published_languages()
    note = kw.pop("help", None)
    feedback(path, hint=hint)  # findings about the answer as a whole (e.g. it is missing)
    if len(langs) == 1:
        _bound(widget, f"{path}.{langs[0].value}", "text", label, key_path=path, **kw)
    else:
        for lang in langs:
            _bound(widget, f"{path}.{lang.value}", "text",
                   t("l10n.field_in", label=label, language=t(f"lang.{lang.value}")), **kw)
            others = [reference(o, text) for o in langs if o is not lang
                      and (text := value.get(o))]
            if others and not value.get(lang):
                st.caption("  \n".join(others))
    help_note(note)
    return value.get(langs[0])


def lines(path: str, label: str, *, help: str | None = None,
          placeholder: str | None = None) -> None:
    """A list of short texts, one per line (per publication language for free text).

    A localized list has one box per language, kept in step line by line: line 2 of the
    Swedish box is the translation of line 2 of the Finnish one (an edit is aligned with the
    box's old lines, so deleting a line does not shift the others onto the wrong translation).
    """
    current = paths.get_path(state.draft(), path)
    if not (isinstance(current, list) and current
            and isinstance(current[0], LocalizedShort)) and not _localized_list(path):
        _bound("text_area", path, "lines", label, help=help, placeholder=placeholder, height=80)
        return
    langs = state.draft().published_languages()
    feedback(path)
    for lang in langs:
        key = _lines_key(path, lang.value, len(langs))
        desired = "\n".join(item.get(lang) for item in current)
        if st.session_state.get(key) != desired:
            st.session_state[key] = desired
        shown = label if len(langs) == 1 else t("l10n.field_in", label=label,
                                                   language=t(f"lang.{lang.value}"))
        st.text_area(shown, key=key, on_change=_lines_changed, args=(path, lang.value, key),
                     placeholder=placeholder, height=80)
        for k in range(len(current)):
            feedback(f"{path}.{k}.{lang.value}")
    help_note(help)


def _localized_list(path: str) -> bool:
    """Whether the list at ``path`` holds free text per language (the model says so)."""
    return path.rsplit(".", 1)[-1] in ("custom_data_subjects", "custom_data_categories")


def _lines_key(path: str, lang: str, count: int) -> str:
    """The box's key: the list's own key in a one-language notice, else one per language."""
    return paths.widget_key(path if count == 1 else f"{path}@{lang}")


def _lines_changed(path: str, lang: str, key: str) -> None:
    """One language's box of a localized list changed: that language of each item, aligned
    with the box's old lines (`seloste.localized.edit_list_language`)."""
    typed = [line.strip() for line in str(st.session_state.get(key) or "").splitlines()]
    items = [item.model_dump() for item in paths.get_path(state.draft(), path)]
    kept = edit_list_language(items, lang, typed)
    state.commit_draft(paths.set_path(state.draft(), path, kept))


def publication_languages(label: str, help: str | None = None) -> None:
    """Which languages the notice is published in besides its main language (checkboxes:
    a multiselect would bring Streamlit's English "Remove …" labels)."""
    notice = state.draft()
    st.markdown(f"**{md(label)}**")
    for lang in Lang:
        if lang is notice.language:
            continue
        key = f"pub_lang.{lang.value}"
        chosen = lang in notice.published_languages()
        if st.session_state.get(key) != chosen:
            st.session_state[key] = chosen
        st.checkbox(t(f"lang.{lang.value}"), key=key, on_change=_publication_changed,
                    args=(lang.value,))
    feedback("languages")
    help_note(help)


def _publication_changed(code: str) -> None:
    notice = state.draft()
    langs = notice.published_languages()
    lang = Lang(code)
    if st.session_state.get(f"pub_lang.{code}"):
        langs = [*langs, lang] if lang not in langs else langs
    else:
        langs = [x for x in langs if x is not lang]
    state.commit_draft(paths.set_path(notice, "languages", [x.value for x in langs]))


def select(path: str, options: Sequence[str], fmt: Fmt, label: str, *,
           none_label: str | None = None, help: str | None = None, radio: bool = False,
           horizontal: bool = False, hint: str | None = None) -> str | None:
    """One choice of a key; with ``none_label`` the answer may also be "not chosen"."""
    opts: list[str | None] = [None, *options] if none_label is not None else list(options)
    show = labeller(opts, fmt, none_label)

    if radio and none_label is not None:
        # "Not answered" is drawn as the selected option, not as a radio with nothing chosen.
        choices = [state.NOT_ANSWERED, *options]
        value = _bound("radio", path, "choice", label, hint=hint, options=choices,
                       format_func=lambda v: show(None if v == state.NOT_ANSWERED else v),
                       help=help, horizontal=horizontal)
        value = None if value == state.NOT_ANSWERED else value
    elif radio:
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


def presence_toggle(path: str, label: str, make: Callable[[], Any]) -> bool:
    """A toggle for an optional part of the answers (a DPO, an EU representative): on adds
    ``make()`` at ``path``, off removes it (None). Shows, and returns, whether it is there.

    The toggle's state follows the draft, so loading a draft with a DPO shows it switched on.
    """
    present = paths.get_path(state.draft(), path) is not None
    key = f"t.{path}"
    if st.session_state.get(key) != present:
        st.session_state[key] = present
    st.toggle(label, key=key, on_change=_presence_changed, args=(path, key, make))
    return present


def _presence_changed(path: str, key: str, make: Callable[[], Any]) -> None:
    state.set_value(path, make() if st.session_state[key] else None)


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


# ---------------------------------------------------------------- partial reruns


def in_fragment_run() -> bool:
    """Whether this run reruns only `st.fragment`s (a widget inside one changed)."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


P = ParamSpec("P")


def add_form(draw: Callable[P, None]) -> Callable[P, None]:
    """An add form of a list editor as an `st.fragment`: its fields rerun only the form.

    An add form's fields hold what is typed before "Add" (scratch state, not the draft), so
    choosing a kind, typing a description or a wrong add (its error shown in the form)
    changes nothing the rest of the page, the preview, the findings, the sidebar or autosave
    read: only the form is drawn again. A click that changes the draft (the item was added)
    asks for the whole page at once, before the form is drawn, so everything else follows the
    new draft and app.py saves it, exactly as before. The page records the revision it was
    drawn with (`step`), which is how the form tells the two apart.
    """

    @st.fragment
    @functools.wraps(draw)
    def form(*args: P.args, **kwargs: P.kwargs) -> None:
        if in_fragment_run() and st.session_state.get(PAGE_REVISION) != state.revision():
            st.rerun(scope="app")
        draw(*args, **kwargs)

    return form


# ---------------------------------------------------------------- list controls

RowAlignment = Literal["left", "right", "distribute"]


def button_row(alignment: RowAlignment = "left") -> Any:
    """A row of buttons side by side: one flex container instead of a column per button.

    Columns cost a block per button on every rerun of a page with many list items (three
    per item on the registers page); a horizontal container lays them out the same way.
    """
    return st.container(horizontal=True, horizontal_alignment=alignment, gap="small")


def item_controls(path: str, index: int, count: int, *, remove_label: str | None = None,
                  on_remove: Callable[[], None] | None = None, boxed: bool = False) -> None:
    """Move up, move down and remove buttons for item ``index`` of the list at ``path``;
    ``boxed``: the items sit in `item_box`es, whose open state moves with them."""
    row = button_row()
    base = f"{path}.{index}"

    def move(delta: int) -> None:
        state.list_move(path, index, delta)
        if boxed:
            swap_item_boxes(path, index, index + delta)

    row.button(t("common.up"), key=f"b.up.{base}", icon=":material/arrow_upward:",
                   disabled=index == 0, on_click=move, args=(-1,), type="tertiary")
    row.button(t("common.down"), key=f"b.down.{base}", icon=":material/arrow_downward:",
                   disabled=index >= count - 1, on_click=move, args=(1,), type="tertiary")

    def remove() -> None:
        state.list_remove(path, index)
        if boxed:
            close_item_box_gap(path, index, count)
        if on_remove:
            on_remove()

    row.button(remove_label or t("common.remove"), key=f"b.rm.{base}",
                   icon=":material/delete:", on_click=remove, type="tertiary")


# ---------------------------------------------------------------- the frame of a step


def findings_on() -> bool:
    """Findings show from the second visit of a step on: a fresh form is not a list of errors.

    Rejected values (a mistyped email) and local hints show at once.
    """
    return bool(st.session_state.get(FINDINGS_ON, True))


PREF_PREVIEW_LANG = "pref.preview_lang"


def preview_lang() -> Lang:
    """The language the preview shows: one of the publication languages, the main one first.

    A notice published in Finnish and Swedish is read in both; without this choice the
    Swedish version could be seen only by downloading it.
    """
    langs = state.draft().published_languages()
    chosen = state.scratch_chosen(PREF_PREVIEW_LANG)
    return Lang(chosen) if chosen in langs else langs[0]


class _Html:
    """Markup handed to `st.html` as is: a plain string is dedented and stripped by Streamlit
    on every rerun (textwrap's regexes over the whole notice, ~4 % of a heavy step's script
    time, issue #15); an object with ``_repr_html_`` is taken as it comes."""

    __slots__ = ("body",)

    def __init__(self, body: str) -> None:
        self.body = body

    def _repr_html_(self) -> str:
        return self.body


def _preview_html(lang: Lang) -> _Html:
    """The notice as the renderer's HTML fragment, cached per draft revision and language."""
    notice = state.draft()
    return derived.per_revision("preview", lambda: _Html(render_fragment(notice, lang).strip()),
                                lang)


def _preview_language_choice() -> Lang:
    """The preview's language switch, drawn only when the notice has more than one language."""
    langs = state.draft().published_languages()
    current = preview_lang()
    if len(langs) > 1:
        # Shows what the preview shows: the user's choice, else the notice's main language
        # (which follows a change of the main language until the user picks one).
        key = state.scratch_key(PREF_PREVIEW_LANG)
        if st.session_state.get(key) != current.value:
            st.session_state[key] = current.value
        st.segmented_control(t("preview.language"), options=[x.value for x in langs],
                             format_func=lambda v: t(f"lang.{v}"), key=key, required=True,
                             on_change=state.on_scratch_change, args=(PREF_PREVIEW_LANG,))
    return current


def preview(height: int = 720, *, heading: bool = True) -> None:
    """The live preview (beside a step's form, or as the review's tab without a heading)."""
    if heading:
        st.header(t("preview.title"), anchor=False)
    st.caption(t("preview.caption"))
    shown = _preview_language_choice()
    with st.container(height=height, border=True, key="preview_box"):
        st.html(_preview_html(shown))


def preview_wanted() -> bool:
    return bool(state.scratch_get(PREF_PREVIEW, True))


GOTO = "_goto"


def go_to(step: str) -> None:
    """Button callback: open ``step`` (app.py switches page on the next run).

    A callback, not ``if st.button(): st.switch_page()``, because a click must survive a run
    that is restarted before the page is drawn (see `seloste.web.router`).
    """
    st.session_state[GOTO] = step


def go_to_register(step: str, register: int | None, path: str | None = None) -> None:
    """Button callback: open ``step`` on register ``register``'s tab (None: the first), and
    with the box that holds the field at ``path`` open (a fix button's finding)."""
    st.session_state[OPEN_REGISTER] = register
    st.session_state[OPEN_PATH] = path
    go_to(step)


def arrival_path() -> str | None:
    """The field this visit of the step was opened for (`go_to_register`), if any."""
    value = st.session_state.get(f"{OPEN_PATH}.arrived")
    return value if isinstance(value, str) else None


def item_wanted(*paths: str) -> bool:
    """Whether the item at any of ``paths`` must not be folded on arrival: the visit came for a
    field in it (a fix button), or a field in it holds a refused value."""
    target = arrival_path() or ""
    errors = state.errors()
    return any(target == p or target.startswith(p + ".")
               or any(key == p or key.startswith(p + ".") for key in errors) for p in paths)


def take_goto() -> str | None:
    value = st.session_state.pop(GOTO, None)
    return str(value) if value else None


def nav_buttons(step: str) -> None:
    back, nxt = previous_step(step), next_step(step)
    st.divider()
    alignment: RowAlignment = (
        "distribute" if back is not None and nxt is not None
        else "right" if nxt is not None else "left")
    row = button_row(alignment)
    if back is not None:
        row.button(t("nav.back"), key="nav.back", icon=":material/arrow_back:",
                   on_click=go_to, args=(back,))
    if nxt is not None:
        row.button(t("nav.next"), key="nav.next", type="primary",
                   icon=":material/arrow_forward:", icon_position="right",
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
        st.session_state[ARRIVAL] = st.session_state.get(ARRIVAL, 0) + 1
        st.session_state[f"{OPEN_REGISTER}.arrived"] = st.session_state.pop(OPEN_REGISTER, None)
        st.session_state[f"{OPEN_PATH}.arrived"] = st.session_state.pop(OPEN_PATH, None)
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
    st.session_state[PAGE_REVISION] = state.revision()


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


def register_name(index: int) -> str:
    """Register ``index`` as the user knows it: their name, the preset's, or "Register n"."""
    from seloste.presets import preset_by_id

    reg = state.draft().registers[index]
    preset = preset_by_id(reg.preset)
    own = md(reg.name.pick(state.draft().language))
    return (own or (preset.name(state.ui_lang()) if preset else "")
            or t("common.unnamed_register", number=index + 1))


class _RegisterTab:
    """A register's tab that names the register in large type above its fields, so the user
    always sees which register they are editing (issue #18: answers typed into the wrong one)."""

    def __init__(self, tab: Any, title: str) -> None:
        self.tab = tab
        self.title = title

    def __enter__(self) -> Any:
        entered = self.tab.__enter__()
        st.subheader(self.title, anchor=False)
        return entered

    def __exit__(self, *exc: object) -> Any:
        return self.tab.__exit__(*exc)


def register_tabs() -> list[tuple[int, Any]]:
    """The open register's tab: [(index, tab)], the other registers' tabs left empty.

    A salon's three registers then cost a third of the elements (issue #15); see
    `tracked_tabs`.
    """
    regs = state.draft().registers
    names = [f"{i + 1}. {register_name(i)}" for i in range(len(regs))]
    shown = tracked_tabs(names, register_tabs_key(), default=_arrival_register(len(names)))
    return [(i, _RegisterTab(tab, names[i])) for i, tab in shown]


def tracked_tabs(names: list[str], key: str, *, default: int = 0) -> list[tuple[int, Any]]:
    """Tabs of which only the open one is drawn: [(index, tab)] for the tab to fill.

    The tabs track which one is open (``on_change="rerun"``), so a rerun draws one tab's
    content, not every tab's (issue #15); switching a tab is a rerun that draws the tab it
    opens. A tab whose state Streamlit does not know (``open`` is None) is drawn, so nothing
    is ever hidden. A label may change under the open tab (a count in it, a register renamed
    or removed, another UI language): the same place stays open, or the default if it is gone.
    """
    index_key = f"{key}.index"
    opened = st.session_state.get(index_key)
    if st.session_state.get(key) not in (None, *names):
        if isinstance(opened, int) and 0 <= opened < len(names):
            st.session_state[key] = names[opened]
        else:
            del st.session_state[key]
    tabs = st.tabs(names, default=names[default], key=key, on_change="rerun")
    shown = [i for i, tab in enumerate(tabs) if tab.open is not False]
    if len(shown) == 1:
        st.session_state[index_key] = shown[0]  # the open tab, by its place
    return [(i, tabs[i]) for i in shown]


def _arrival_register(count: int) -> int:
    """The register this visit of the step opens on: the one a fix button asked for
    (`go_to_register`), else the first."""
    wanted = st.session_state.get(f"{OPEN_REGISTER}.arrived")
    return wanted if isinstance(wanted, int) and 0 <= wanted < count else 0


REVIEW_TABS: Final = "review.tabs"
"""The review tabs' widget key (tests open a tab by setting it to the tab's label, as a click
does)."""


def tabs_key(step: str, arrival: int) -> str:
    """The register tabs' widget key on visit ``arrival`` of ``step`` (tests set it as a
    click does)."""
    return f"tabs.{step}.{arrival}"


def box_key(index: int, arrival: int, list_path: str = "registers") -> str:
    """Item ``index``'s box of the list at ``list_path`` on visit ``arrival`` of its step
    (tests set it as a click does)."""
    return f"box.{list_path}.{index}.{arrival}"


def item_box_key(list_path: str, index: int) -> str:
    """Item ``index``'s expander of the list at ``list_path``, on this visit of the step: a new
    visit opens what the visit asks for, not the boxes last left open."""
    return box_key(index, st.session_state.get(ARRIVAL, 0), list_path)


def open_item_box(list_path: str, index: int) -> None:
    """Open item ``index``'s box on the next run (an item just added or moved there)."""
    st.session_state[item_box_key(list_path, index)] = True


def swap_item_boxes(list_path: str, a: int, b: int) -> None:
    """Items ``a`` and ``b`` changed places: their boxes stay open or closed with them."""
    ka, kb = item_box_key(list_path, a), item_box_key(list_path, b)
    st.session_state[ka], st.session_state[kb] = (bool(st.session_state.get(kb)),
                                                  bool(st.session_state.get(ka)))


def close_item_box_gap(list_path: str, removed: int, count: int) -> None:
    """Item ``removed`` of ``count`` is gone: the boxes below move up with their items."""
    for j in range(removed, count - 1):
        st.session_state[item_box_key(list_path, j)] = bool(
            st.session_state.get(item_box_key(list_path, j + 1)))


def item_box(list_path: str, index: int, label: str, *, icon: str, default: bool) -> Any:
    """Item ``index``'s expander; its ``open`` says whether to draw the item's fields.

    The expanders track their state (``on_change="rerun"``) so that a closed item costs one
    element, not its dozen or forty (issue #15); ``default`` is how a visit finds it.
    Streamlit makes a new widget when the label changes (the user renames the item, picks
    another basis), so the state is handed on explicitly or the box would close under the
    user's typing.
    """
    key = item_box_key(list_path, index)
    was = st.session_state.get(key)
    if was is not None:
        st.session_state[key] = was
    return st.expander(label, expanded=default, key=key, on_change="rerun", icon=icon)


def register_box_key(index: int) -> str:
    """Register ``index``'s expander on the registers step, on this visit of the step."""
    return item_box_key("registers", index)


def register_box(index: int, label: str, *, icon: str) -> Any:
    """Register ``index``'s box (`item_box`): a visit opens the register it asked for
    (`go_to_register`) or the first."""
    default = index == _arrival_register(len(state.draft().registers))
    return item_box("registers", index, label, icon=icon, default=default)


def register_tabs_key() -> str:
    """The register tabs' widget key on this visit of this step: a new visit opens the
    register the visit asked for (`go_to_register`) or the first, not the tab last used."""
    return tabs_key(str(st.session_state.get(CURRENT)), st.session_state.get(ARRIVAL, 0))
