"""Cookies: whether the site stores anything on visitors' devices and how consent is asked
(Laki sähköisen viestinnän palveluista 917/2014, 205 §)."""

from __future__ import annotations

import streamlit as st

from seloste.facts import service_cookie_rows
from seloste.i18n import Texts
from seloste.model import CustomCookie
from seloste.vocab import ConsentMechanism, CookiePurpose, DurationUnit, WithdrawMethod
from seloste.web import add_form, state
from seloste.web import widgets as w
from seloste.web.state import clause, t
from seloste.wording import duration_text

PATH = "cookies"


def _service_cookies() -> list[dict[str, str]]:
    lang = state.ui_lang()
    clauses = Texts("seloste.clauses", lang)
    return [
        {
            t("cookies.col_name"): f"`{c.name}`",
            t("cookies.col_service"): c.provider,
            t("cookies.col_purpose"): clause(f"cookies.purpose.{c.purpose.value}"),
            t("cookies.col_duration"): duration_text(c.amount, c.unit, lang, clauses),
            t("cookies.col_consent"): t("common.answer_yes") if c.needs_consent
            else t("common.answer_no"),
        }
        for c in service_cookie_rows(state.draft(), lang)
    ]


FORM = "cookie"
FIELD_LABELS = {
    "name": "cookies.name",
    "provider": "cookies.provider",
    "purpose": "cookies.purpose",
    "duration_amount": "cookies.amount",
    "duration_unit": "cookies.unit",
    "description": "cookies.description",
}


FIELDS = tuple(FIELD_LABELS)


def _add_cookie() -> None:
    add_form.submit(FORM, FIELDS, CustomCookie, f"{PATH}.custom_cookies")


def _custom_cookie(k: int, count: int) -> None:
    path = f"{PATH}.custom_cookies.{k}"
    with st.container(border=True):
        a, b, c = st.columns(3)
        with a:
            w.text(f"{path}.name", t("cookies.name"))
        with b:
            w.text(f"{path}.provider", t("cookies.provider"))
        with c:
            w.select(f"{path}.purpose", [p.value for p in CookiePurpose],
                     lambda v: clause(f"cookies.purpose.{v}"), t("cookies.purpose"))
        a, b = st.columns(2)
        with a:
            w.number(f"{path}.duration_amount", t("cookies.amount"), min_value=1,
                     max_value=1000)
        with b:
            w.select(f"{path}.duration_unit", [u.value for u in DurationUnit],
                     lambda v: t(f"unit.{v}"), t("cookies.unit"))
        w.text(f"{path}.description", t("cookies.description"))
        w.item_controls(f"{PATH}.custom_cookies", k, count, remove_label=t("cookies.remove"))


def _add_form() -> None:
    with st.expander(t("cookies.add_title"), icon=":material/add:"):
        a, b, c = st.columns(3)
        with a:
            w.scratch("text_input", "cookie.name", t("cookies.name"), "")
        with b:
            w.scratch("text_input", "cookie.provider", t("cookies.provider"), "")
        with c:
            w.scratch_select("cookie.purpose", [p.value for p in CookiePurpose],
                             lambda v: clause(f"cookies.purpose.{v}"), t("cookies.purpose"),
                             default=CookiePurpose.necessary.value)
        a, b = st.columns(2)
        with a:
            w.scratch("number_input", "cookie.duration_amount", t("cookies.amount"), None,
                      min_value=1, max_value=1000, step=1)
        with b:
            w.scratch_select("cookie.duration_unit", [u.value for u in DurationUnit],
                             lambda v: t(f"unit.{v}"), t("cookies.unit"),
                             default=DurationUnit.session.value)
        w.scratch("text_input", "cookie.description", t("cookies.description"), "")
        st.button(t("cookies.add"), key="b.add_cookie", icon=":material/add:",
                  on_click=_add_cookie)
        add_form.show_problems(FORM, FIELD_LABELS)


with w.step("cookies"):
    uses = w.flag(f"{PATH}.uses_cookies", t("cookies.uses"), help=t("cookies.uses_help"))
    rows = _service_cookies()
    if not uses and not rows:
        # The explicit "none": without it an untouched step is not done (issue #18).
        w.flag(f"{PATH}.no_cookies_confirmed", t("cookies.none"), help=t("cookies.none_help"))
    if rows:
        st.subheader(t("cookies.from_services"), anchor=False)
        st.caption(t("cookies.from_services_text"))
        st.table(rows)
        if not uses:
            st.warning(t("hint.cookies_off"), icon=":material/warning:")
    if uses:
        st.subheader(t("cookies.consent"), anchor=False)
        w.select(f"{PATH}.mechanism", [m.value for m in ConsentMechanism],
                 lambda v: t(f"mechanism.{v}"), t("cookies.mechanism"), radio=True,
                 help=t("cookies.mechanism_help"), none_label=t("common.not_answered"))
        w.select(f"{PATH}.withdraw", [m.value for m in WithdrawMethod],
                 lambda v: t(f"withdraw.{v}"), t("cookies.withdraw"), radio=True,
                 none_label=t("common.not_answered"))
        if state.draft().cookies.withdraw is WithdrawMethod.other:
            w.text(f"{PATH}.withdraw_note", t("cookies.withdraw_note"))
        st.subheader(t("cookies.custom_title"), anchor=False)
        st.caption(t("cookies.custom_text"))
        custom = state.draft().cookies.custom_cookies
        for k in range(len(custom)):
            _custom_cookie(k, len(custom))
        _add_form()
        w.text(f"{PATH}.note", t("cookies.note"), area=True, help=t("cookies.note_help"))
