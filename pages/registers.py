"""Registers and purposes: whose data, why, and on which legal basis (Art. 13(1)(c))."""

from __future__ import annotations

import streamlit as st

from seloste.i18n import upper_first
from seloste.localized import TEXT_LANG
from seloste.model import PurposeEntry, Register
from seloste.presets import build_register, load_presets
from seloste.vocab import DataSubject, LegalBasis, Purpose, RegisterKind
from seloste.web import derived, proposals, state
from seloste.web import widgets as w
from seloste.web.state import clause, t

OTHER = "__other__"
CONFIRM = "_confirm_remove_register"


def _add_preset(preset_id: str) -> None:
    if state.list_add("registers", build_register(preset_id, state.draft().language)):
        w.open_item_box("registers", len(state.draft().registers) - 1)
    state.flash(t("registers.added", name=load_presets()[preset_id].name(state.ui_lang())))


def _add_blank() -> None:
    if state.list_add("registers", Register()):
        w.open_item_box("registers", len(state.draft().registers) - 1)


def _move(index: int, delta: int) -> None:
    """Move a register; its box stays open or closed with it."""
    state.list_move("registers", index, delta)
    w.swap_item_boxes("registers", index, index + delta)


def _add_purpose(index: int) -> None:
    base = f"purpose.{index}"
    choice = state.scratch_get(f"{base}.choice")
    description = str(state.scratch_get(f"{base}.description", "") or "").strip()
    if choice in (None, OTHER) and not description:
        state.scratch_set(f"{base}.error", "purpose")
        return
    entry = PurposeEntry.model_validate(
        {"purpose": None if choice in (None, OTHER) else Purpose(choice),
         "description": description if choice in (None, OTHER) else ""},
        context={TEXT_LANG: state.draft().language})
    if state.list_add(f"registers.{index}.purposes", entry):
        w.open_item_box(f"registers.{index}.purposes",
                        len(state.draft().registers[index].purposes) - 1)
    state.clear_scratch(base)


def _ask_remove(index: int) -> None:
    state.set_flag(CONFIRM, index)


def _remove(index: int) -> None:
    state.pop_flag(CONFIRM)
    count = len(state.draft().registers)
    state.list_remove("registers", index)
    w.close_item_box_gap("registers", index, count)


def _cancel_remove() -> None:
    state.pop_flag(CONFIRM)


def _basis_label(key: str) -> str:
    return t(f"basis.{key}.short")


def _unfinished(path: str, entry: PurposeEntry) -> bool:
    """Whether a purpose still lacks an answer the notice needs, holds a refused value or is
    what a fix button came for: its box opens on arrival, so nothing to fix is folded away."""
    lang = state.draft().language
    return (w.item_wanted(path)
            or entry.basis is None
            or (entry.purpose is None and not entry.description.pick(lang))
            or (entry.basis is LegalBasis.legitimate_interest
                and not entry.legitimate_interest.pick(lang)))


def _purpose_label(j: int, entry: PurposeEntry) -> str:
    """"2. Markkinointi · Suostumus": what the folded box says, so the list reads at a glance."""
    if entry.purpose is not None:
        what = clause(f"purpose.{entry.purpose.value}")
    else:
        own = entry.description.pick(state.draft().language).strip().splitlines()
        what = own[0] if own else t("registers.purpose_other")
        what = what if len(what) <= 60 else what[:59].rstrip() + "…"
    basis = _basis_label(entry.basis.value) if entry.basis else t("registers.basis_none")
    return f"{j + 1}. {w.md(upper_first(what))} · {basis}"


def _purpose(reg: int, j: int, count: int) -> None:
    """One purpose in its own box: a folded purpose costs one element on every rerun (issue
    #15); a visit opens the unfinished ones, and one just added."""
    path = f"registers.{reg}.purposes.{j}"
    list_path = f"registers.{reg}.purposes"
    entry = state.draft().registers[reg].purposes[j]
    box = w.item_box(list_path, j, _purpose_label(j, entry), icon=":material/target:",
                     default=_unfinished(path, entry))
    with box:
        if box.open is False:
            return
        a, b = st.columns(2)
        with a:
            w.select(f"{path}.purpose", [p.value for p in Purpose],
                     lambda v: clause(f"purpose.{v}"), t("registers.purpose"),
                     none_label=t("registers.purpose_other"))
        with b:
            w.select(f"{path}.basis", [b.value for b in LegalBasis], _basis_label,
                     t("registers.basis"), none_label=t("registers.basis_none"),
                     help=t("registers.basis_help"),
                     hint=t("hint.basis_missing") if entry.basis is None else None)
        w.text(f"{path}.description", t("registers.description"), area=True,
               help=t("registers.description_help"))
        if entry.basis is LegalBasis.legitimate_interest:
            w.text(f"{path}.legitimate_interest", t("registers.li"), area=True,
                   help=t("registers.li_help"), placeholder=t("registers.li_placeholder"),
                   hint=None if entry.legitimate_interest else t("hint.li_missing"))
        w.item_controls(list_path, j, count, remove_label=t("registers.remove_purpose"),
                        boxed=True)


@w.add_form
def _add_purpose_form(reg: int) -> None:
    base = f"purpose.{reg}"
    used = {p.purpose for p in state.draft().registers[reg].purposes}
    options: list[str | None] = [*(p.value for p in Purpose if p not in used), OTHER]
    st.markdown(f"**{t('registers.add_purpose')}**")
    a, b = st.columns([3, 1], vertical_alignment="bottom")
    with a:
        choice = w.scratch_select(
            f"{base}.choice", options,
            lambda v: t("registers.purpose_other") if v == OTHER else clause(f"purpose.{v}"),
            t("registers.new_purpose"), default=options[0])
    if choice == OTHER:
        with a:
            w.scratch("text_input", f"{base}.description", t("registers.description"), "")
    with b:
        st.button(t("common.add"), key=f"b.add_purpose.{reg}", icon=":material/add:",
                  on_click=_add_purpose, args=(reg,))
    if state.scratch_get(f"{base}.error"):
        st.error(t("registers.purpose_needs_text"), icon=":material/error:")
        state.clear_scratch(f"{base}.error")


def _register(index: int, count: int) -> None:
    reg = state.draft().registers[index]
    path = f"registers.{index}"
    title = w.md(derived.facts(state.ui_lang()).registers[index].name)
    with w.register_box(index, f"{index + 1}. {title}", icon=":material/folder_shared:") as box:
        if box.open is False:
            return
        w.text(f"{path}.name", t("registers.name"), placeholder=t("registers.name_placeholder"),
               help=t("registers.name_help"))
        w.select(f"{path}.kind", [k.value for k in RegisterKind], lambda v: t(f"kind.{v}"),
                 t("registers.kind"), radio=True, horizontal=True,
                 help=t("registers.kind_help"))
        w.multi(f"{path}.data_subjects", [s.value for s in DataSubject],
                lambda v: upper_first(clause(f"subject.{v}")), t("registers.subjects"))
        proposals.register_field(index, "data_subjects", lambda v: clause(f"subject.{v}"))
        w.lines(f"{path}.custom_data_subjects", t("registers.custom_subjects"),
                help=t("common.one_per_line"))
        st.subheader(t("registers.purposes"), anchor=False)
        st.caption(t("registers.purposes_text"))
        purposes = reg.purposes
        if not purposes:
            w.feedback(f"{path}.purposes", hint=t("hint.no_purposes"))
        for j in range(len(purposes)):
            _purpose(index, j, len(purposes))
        _add_purpose_form(index)
        st.divider()
        if state.flag(CONFIRM) == index:
            st.warning(t("registers.confirm_remove", name=title), icon=":material/warning:")
            yes, no = st.columns(2)
            yes.button(t("registers.remove_yes"), key=f"b.rm_yes.{index}", type="primary",
                       on_click=_remove, args=(index,))
            no.button(t("common.cancel"), key=f"b.rm_no.{index}", on_click=_cancel_remove)
        row = w.button_row()
        row.button(t("registers.move_up"), key=f"b.up.registers.{index}",
                   icon=":material/arrow_upward:", disabled=index == 0,
                   on_click=_move, args=(index, -1))
        row.button(t("registers.move_down"), key=f"b.down.registers.{index}",
                   icon=":material/arrow_downward:", disabled=index >= count - 1,
                   on_click=_move, args=(index, 1))
        row.button(t("registers.remove"), key=f"b.rm.registers.{index}",
                   icon=":material/delete:", on_click=_ask_remove, args=(index,))


with w.step("registers"):
    with st.expander(t("registers.guide_title"), icon=":material/help:"):
        st.markdown("\n\n".join([t("registers.guide"), *(
            f"**{t(f'basis.{basis.value}.short')}.** {t(f'basis.{basis.value}.help')}"
            for basis in LegalBasis)]))
    regs = state.draft().registers
    for i in range(len(regs)):
        _register(i, len(regs))
    if not regs:
        w.feedback("registers", hint=t("hint.no_registers"))

    st.subheader(t("registers.add_title"), anchor=False)
    st.caption(t("registers.add_text"))
    presets = load_presets()
    cols = st.columns(3)
    for n, preset_id in enumerate(presets):
        cols[n % 3].button(
            t(f"preset.{preset_id}.name"), key=f"b.preset.{preset_id}",
            icon=":material/library_add:", help=t(f"preset.{preset_id}.description"),
            on_click=_add_preset, args=(preset_id,), width="stretch",
        )
    st.button(t("registers.add_blank"), key="b.add_register", icon=":material/add:",
              on_click=_add_blank)
