"""Controller: who is responsible for the data, how to reach them, and the notice's dates."""

from __future__ import annotations

import streamlit as st

from seloste.model import Person
from seloste.web import widgets as w
from seloste.web.state import t


def _person(prefix: str) -> None:
    """A person's fields, labelled with whose they are for the privacy contact, so that a screen
    reader tells them from the company's own email and phone (issue #18)."""
    own = "contact_" if prefix == "privacy_contact" else ""
    a, b = st.columns(2)
    with a:
        w.text(f"{prefix}.name", t(f"person.{own}name"))
        w.text(f"{prefix}.email", t(f"person.{own}email"))
    with b:
        w.text(f"{prefix}.phone", t(f"person.{own}phone"))
        w.text(f"{prefix}.address", t(f"person.{own}address"))


def _optional_person(field: str) -> None:
    present = w.presence_toggle(field, t(f"controller.{field}_toggle"), Person)
    w.help_note(t(f"controller.{field}_help"))
    w.feedback(field)  # findings about the person as a whole (a DPO may be needed)
    if present:
        _person(field)


with w.step("controller"):
    st.header(t("controller.company"), anchor=False)
    w.text("controller.name", t("controller.name"), placeholder=t("controller.name_placeholder"))
    a, b = st.columns(2)
    with a:
        w.text("controller.business_id", t("controller.business_id"),
               help=t("controller.business_id_help"),
               placeholder=t("controller.business_id_placeholder"))
    with b:
        w.text("controller.website", t("controller.website"),
               placeholder=t("controller.website_placeholder"))
    w.text("controller.street", t("controller.street"))
    a, b = st.columns([1, 2])
    with a:
        w.text("controller.postal_code", t("controller.postal_code"))
    with b:
        w.text("controller.city", t("controller.city"))
    a, b = st.columns(2)
    with a:
        w.text("controller.email", t("controller.email"),
               placeholder=t("controller.email_placeholder"))
    with b:
        w.text("controller.phone", t("controller.phone"),
               placeholder=t("controller.phone_placeholder"))

    st.header(t("controller.contact"), anchor=False)
    st.markdown(t("controller.contact_text"))
    _person("privacy_contact")
    w.text("request_instructions", t("controller.requests"), area=True,
           help=t("controller.requests_help"), placeholder=t("controller.requests_placeholder"))

    st.header(t("controller.more"), anchor=False)
    _optional_person("dpo")
    _optional_person("eu_representative")
    w.flag("targets_children", t("controller.children"), help=t("controller.children_help"))

    st.header(t("controller.dates"), anchor=False)
    a, b, c = st.columns(3)
    with a:
        w.date("created", t("controller.created"))
    with b:
        w.date("updated", t("controller.updated"), help=t("controller.updated_help"))
    with c:
        w.text("version_label", t("controller.version"))
