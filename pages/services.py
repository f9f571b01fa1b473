"""Services: which catalogue services (or own ones) receive each register's data (Art. 13(1)(e)-(f),
Art. 26), what their role is, where the data goes and what the company must do."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from seloste.catalogue import load_catalogue
from seloste.errors import translate
from seloste.geo import country_name, in_eea
from seloste.localized import TEXT_LANG
from seloste.model import CustomService, ServiceUse
from seloste.vocab import DpaState, Role, TransferBasis
from seloste.web import countries, derived, paths, proposals, service_card, state
from seloste.web import widgets as w
from seloste.web.state import clause, t

MAX_RESULTS = 15
ALL = "__all__"


def _lang() -> str:
    return state.ui_lang().value


def _add_catalogue(reg: int, service_id: str) -> None:
    state.list_add(f"registers.{reg}.services", ServiceUse(catalogue_id=service_id))


def _add_custom(reg: int) -> None:
    base = f"custom.{reg}"
    fields = ("name", "entity", "role", "country", "transfer_basis", "purpose", "privacy_policy")
    values = {f: state.scratch_get(f"{base}.{f}") for f in fields}
    if values["country"] and in_eea(str(values["country"])):
        values["transfer_basis"] = None
    data = {k: v for k, v in values.items() if v is not None}
    try:
        custom = CustomService.model_validate(
            data, context={TEXT_LANG: state.draft().language})
    except ValidationError as exc:
        state.set_flag(f"_custom_errors.{reg}", [
            (e.path, e.message) for e in translate(exc, state.ui_lang())
        ])
        return
    state.pop_flag(f"_custom_errors.{reg}")
    state.list_add(f"registers.{reg}.services", ServiceUse(custom=custom))
    state.clear_scratch(base)


def _catalogue_service(reg: int, k: int, service_id: str) -> None:
    cat = load_catalogue()
    entry = cat.get(service_id)
    text = cat.text(service_id, _lang())
    st.markdown(f"**{cat.display_name(service_id, _lang())}** – {text.description}")
    roles = "\n".join(
        f"- **{clause(f'recipient_role.{rf.role.value}')}**: {text.flows[rf.flow]}"
        for rf in entry.roles
    )
    st.markdown(f"{t('services.roles')}\n\n{roles}")
    service_card.draw(reg, k)
    if text.joint_essence:
        st.info(t("services.joint", text=text.joint_essence), icon=":material/handshake:")
    if text.actions:
        st.markdown(f"**{t('services.actions')}**\n\n"
                    + "\n".join(f"- {a}" for a in text.actions))
    w.text(f"registers.{reg}.services.{k}.note", t("services.note"),
           help=t("services.note_help"))


def _custom_fields(prefix: str, *, scratch: bool) -> None:
    """The fields of a custom service: bound to the draft, or to the add form (scratch)."""
    lang = _lang()
    codes = countries.country_codes(lang)

    def country_label(code: str | None) -> str:
        return country_name(code, lang) if code else t("common.choose")

    roles = [r.value for r in Role]
    bases = [b.value for b in TransferBasis]
    if scratch:
        w.scratch("text_input", f"{prefix}.name", t("services.custom_name"), "")
        w.scratch("text_input", f"{prefix}.entity", t("services.custom_entity"), "",
                  help=t("services.custom_entity_help"))
        w.scratch_select(f"{prefix}.role", roles, lambda v: t(f"role.{v}"),
                         t("services.custom_role"), default=Role.processor.value,
                         help=t("services.role_help"))
        country = w.scratch_select(f"{prefix}.country", codes, country_label,
                                   t("services.custom_country"), default="FI")
        if country and not in_eea(country):
            w.scratch_select(f"{prefix}.transfer_basis", [None, *bases],
                             lambda v: t(f"tbasis.{v}") if v else t("common.not_known"),
                             t("services.custom_transfer"), help=t("services.transfer_help"))
        w.scratch("text_area", f"{prefix}.purpose", t("services.custom_purpose"), "",
                  help=t("services.custom_purpose_help"))
        w.scratch("text_input", f"{prefix}.privacy_policy", t("services.custom_policy"), "")
        return
    w.text(f"{prefix}.name", t("services.custom_name"))
    w.text(f"{prefix}.entity", t("services.custom_entity"), help=t("services.custom_entity_help"))
    w.select(f"{prefix}.role", roles, lambda v: t(f"role.{v}"), t("services.custom_role"),
             help=t("services.role_help"))
    w.select(f"{prefix}.country", codes, country_label, t("services.custom_country"))
    custom = state.draft()
    country_now = str(paths.get_path(custom, f"{prefix}.country"))
    if not in_eea(country_now):
        w.select(f"{prefix}.transfer_basis", bases, lambda v: t(f"tbasis.{v}"),
                 t("services.custom_transfer"), none_label=t("common.not_known"),
                 help=t("services.transfer_help"))
    w.text(f"{prefix}.purpose", t("services.custom_purpose"), area=True)
    w.text(f"{prefix}.privacy_policy", t("services.custom_policy"))


def _picked(reg: int) -> None:
    services = state.draft().registers[reg].services
    if not services:
        st.caption(t("services.none_yet"))
    for k, use in enumerate(services):
        with st.container(border=True):
            if use.catalogue_id is not None:
                _catalogue_service(reg, k, use.catalogue_id)
            else:
                st.markdown(f"**{w.md(use.custom.name) if use.custom else ''}** "
                            f"– {t('services.custom_badge')}")
                _custom_fields(f"registers.{reg}.services.{k}.custom", scratch=False)
                w.text(f"registers.{reg}.services.{k}.note", t("services.note"))
            _answers(reg, k)
            w.feedback(f"registers.{reg}.services.{k}")  # e.g. "move it to the site register"
            w.item_controls(f"registers.{reg}.services", k, len(services),
                            remove_label=t("services.remove"))


def _answers(reg: int, k: int) -> None:
    """The user's own answer about a picked service's agreement (the service card asks the
    options and whether the facts were checked)."""
    sf = derived.facts(_lang()).registers[reg].services[k]
    path = sf.path
    if sf.dpa_applies:
        w.select(f"{path}.dpa", [d.value for d in DpaState], lambda v: t(f"dpa.{v}"),
                 t("services.dpa"), none_label=t("common.not_answered"), radio=True,
                 help=t("services.dpa_help"))
        if sf.dpa_state is None and sf.dpa_proposal is not None:
            proposals.accept_button(f"{path}.dpa", sf.dpa_proposal.value,
                                    t(f"dpa.{sf.dpa_proposal.value}"))


def _picker(reg: int) -> None:
    cat = load_catalogue()
    lang = _lang()
    st.subheader(t("services.add_title"), anchor=False)
    a, b = st.columns(2)
    with a:
        groups = [ALL, *[c.value for c in cat.by_category()]]
        category = w.scratch_select(
            f"pick.{reg}.category", groups,
            lambda v: t("services.all_categories") if v == ALL else cat.category_name(v, lang),
            t("services.category"), default=ALL)
    with b:
        query = str(w.scratch("text_input", f"pick.{reg}.query", t("services.search"), "",
                              placeholder=t("services.search_placeholder")) or "")
    if category == ALL and not query.strip():
        st.caption(t("services.pick_hint"))
        return
    results = cat.search(query, lang)
    if category != ALL:
        results = [e for e in results if e.category.value == category]
    if not results:
        st.caption(t("services.no_results"))
        return
    picked = {u.catalogue_id for u in state.draft().registers[reg].services}
    for entry in results[:MAX_RESULTS]:
        left, right = st.columns([4, 1], vertical_alignment="center")
        desc = cat.text(entry.id, lang).description
        name = cat.display_name(entry.id, lang)
        left.markdown(f"**{name}** · {cat.category_name(entry.category, lang)}  \n"
                      f":gray[{desc}]")
        right.button(t("services.added") if entry.id in picked else t("common.add"),
                     key=f"b.svc.{reg}.{entry.id}", icon=":material/add:",
                     disabled=entry.id in picked, on_click=_add_catalogue,
                     args=(reg, entry.id))
    if len(results) > MAX_RESULTS:
        st.caption(t("services.more_results", count=len(results) - MAX_RESULTS))


def _custom_form(reg: int) -> None:
    with st.expander(t("services.custom_title"), icon=":material/edit:"):
        st.caption(t("services.custom_text"))
        _custom_fields(f"custom.{reg}", scratch=True)
        st.button(t("services.custom_add"), key=f"b.custom.{reg}", icon=":material/add:",
                  on_click=_add_custom, args=(reg,))
        problems = state.flag(f"_custom_errors.{reg}")
        if problems:
            w.show_errors([(_field_label(p), m) for p, m in problems])


FIELD_LABELS = {
    "name": "services.custom_name",
    "entity": "services.custom_entity",
    "role": "services.custom_role",
    "country": "services.custom_country",
    "transfer_basis": "services.custom_transfer",
    "purpose": "services.custom_purpose",
    "privacy_policy": "services.custom_policy",
}


def _field_label(path: str) -> str:
    return w.field_label(FIELD_LABELS, path)


def _register(reg: int) -> None:
    proposals.register_field(reg, "services",
                             lambda use: load_catalogue().get(use.catalogue_id).name)
    _picked(reg)
    _picker(reg)
    _custom_form(reg)
    st.subheader(t("services.other_title"), anchor=False)
    w.text(f"registers.{reg}.other_recipients", t("services.other"), area=True,
           help=t("services.other_help"), placeholder=t("services.other_placeholder"))
    r = state.draft().registers[reg]
    if not (r.services or r.other_recipients):
        w.flag(f"registers.{reg}.no_recipients_confirmed", t("services.no_recipients"),
               help=t("services.no_recipients_help"))


with w.step("services"):
    with st.expander(t("services.guide_title"), icon=":material/help:"):
        st.markdown(t("services.guide"))
    if w.need_registers():
        for i, tab in w.register_tabs():
            with tab:
                _register(i)
