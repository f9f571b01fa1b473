"""Data and sources: what is collected, from where, whether it must be given, automated
decisions and profiling (Art. 13(2)(e)-(f), 14(1)(d), 14(2)(f))."""

from __future__ import annotations

import streamlit as st

from seloste.i18n import upper_first
from seloste.vocab import (
    Art9Condition,
    Art22Exception,
    DataCategory,
    Requirement,
    Source,
    SpecialCategory,
)
from seloste.web import derived, proposals, state
from seloste.web import widgets as w
from seloste.web.state import clause, t


def _register(i: int) -> None:
    reg = state.draft().registers[i]
    path = f"registers.{i}"
    st.subheader(t("data.categories"), anchor=False)
    w.multi(f"{path}.data_categories", [d.value for d in DataCategory],
            lambda v: upper_first(clause(f"data.{v}")), t("data.categories_label"),
            help=t("data.categories_help"))
    proposals.register_field(i, "data_categories", lambda v: clause(f"data.{v}"))
    w.lines(f"{path}.custom_data_categories", t("data.custom_categories"),
            help=t("common.one_per_line"))

    with st.container(border=True):
        st.markdown(f"**{t('data.special')}**")
        st.caption(t("data.special_text"))
        w.multi(f"{path}.special_categories", [s.value for s in SpecialCategory],
                lambda v: upper_first(clause(f"special_category.{v}")), t("data.special_label"),
                placeholder=t("data.special_none"))
        proposals.register_field(i, "special_categories",
                                 lambda v: clause(f"special_category.{v}"))
        if reg.special_categories or reg.special_note:
            w.select(f"{path}.art9_condition", [c.value for c in Art9Condition],
                     lambda v: t(f"art9.{v}"), t("data.art9"), none_label=t("common.choose"),
                     help=t("data.art9_help"),
                     hint=t("hint.art9_missing") if reg.special_categories
                     and reg.art9_condition is None else None)
            proposals.register_field(i, "art9_condition", lambda v: t(f"art9.{v}"))
            w.text(f"{path}.special_note", t("data.special_note"), area=True)

    st.subheader(t("data.sources"), anchor=False)
    w.multi(f"{path}.sources", [s.value for s in Source], lambda v: t(f"source.{v}"),
            t("data.sources_label"), help=t("data.sources_help"))
    proposals.register_field(i, "sources", lambda v: t(f"source.{v}"))
    w.text(f"{path}.source_details", t("data.source_details"), area=True,
           help=t("data.source_details_help"))

    st.subheader(t("data.requirement"), anchor=False)
    w.help_note(t("data.requirement_help"))
    for j, pf in enumerate(derived.facts().registers[i].purposes):
        ppath = f"{path}.purposes.{j}"
        with st.container(border=True):
            st.markdown(f"**{w.md(pf.name) or t('common.unnamed_purpose', number=j + 1)}**")
            w.select(f"{ppath}.requirement", [r.value for r in Requirement],
                     lambda v: t(f"requirement.{v}"), t("data.requirement_label"),
                     none_label=t("common.not_answered"), radio=True)
            if pf.entry.requirement is None and pf.requirement_proposal is not None:
                proposals.accept_button(f"{ppath}.requirement", pf.requirement_proposal.value,
                                  t(f"requirement.{pf.requirement_proposal.value}"))
            w.text(f"{ppath}.requirement_consequence", t("data.consequence"), area=True,
                   help=t("data.consequence_help"))

    st.subheader(t("data.automated"), anchor=False)
    w.flag(f"{path}.profiling", t("data.profiling"), help=t("data.profiling_help"))
    if reg.profiling:
        w.text(f"{path}.profiling_description", t("data.profiling_description"), area=True,
               placeholder=t("data.profiling_placeholder"))
    w.flag(f"{path}.automated_decisions", t("data.automated_decisions"),
           help=t("data.automated_help"))
    if reg.automated_decisions:
        w.text(f"{path}.automated_logic", t("data.automated_logic"), area=True)
        w.select(f"{path}.automated_exception", [e.value for e in Art22Exception],
                 lambda v: t(f"art22.{v}"), t("data.automated_exception"),
                 none_label=t("common.not_answered"), radio=True,
                 help=t("data.automated_exception_help"))
    for d in derived.facts(state.ui_lang()).registers[i].decisions:
        if d.by:
            st.info(t("data.automated_by", service=d.by), icon=":material/gavel:")


with w.step("data"):
    if w.need_registers():
        for i, tab in w.register_tabs():
            with tab:
                _register(i)
