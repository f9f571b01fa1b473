"""The catalogue service card: each fact with the page it was read on and when.

A catalogue is only worth trusting if the user can see where a fact comes from. So the card
does not assert "Mailchimp transfers data to the US on DPF": it shows the fact, a link to the
vendor's page that states it and the date that page was read, and marks a fact nobody could
confirm from the vendor's own pages in place ("tarkistamatta"). The user's own contract is the
final word: "checked against my own contract" stores the date in the draft
(``ServiceUse.checked_on``), which silences the transfer finding in the review.

Options the vendor offers (data region, a feature in use) are answers like any other: the
choice is stored by key in ``ServiceUse.options`` and the resolved facts follow it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from seloste.catalogue import ServiceEntry, Source, load_catalogue
from seloste.geo import country_name
from seloste.model import ServiceUse
from seloste.recipients import resolve
from seloste.render.document import format_day
from seloste.vocab import Lang
from seloste.web import state
from seloste.web import widgets as w
from seloste.web.state import t


def _lang() -> Lang:
    return state.ui_lang()


def _countries(codes: list[str]) -> str:
    return ", ".join(country_name(c, _lang().value) for c in codes) or t("card.none")


def _sources_md(sources: list[Source]) -> str:
    newest = sorted(sources, key=lambda s: s.checked, reverse=True)[:2]
    links = [f"[{w.md(s.host)}]({s.url}) {format_day(s.checked, _lang())}" for s in newest]
    return t("card.source", links=", ".join(links))


def _values(entry: ServiceEntry, use: ServiceUse) -> dict[str, str]:
    """Each fact of the entry as the user reads it, after the chosen options."""
    lang = _lang()
    rs = resolve(use, lang)
    vendor = entry.vendor
    values: dict[str, str] = {}
    if vendor is not None:
        values["vendor.entity"] = vendor.entity
        values["vendor.address"] = vendor.address or t("card.unknown")
        values["vendor.country"] = country_name(vendor.country, lang.value)
    values["roles"] = ", ".join(sorted({t(f"role.{role.value}") for role, _ in rs.flows}))
    values["processing_countries"] = _countries(rs.processing_countries)
    values["transfer.countries"] = _countries(rs.transfer_countries)
    if entry.transfer.countries:
        values["transfer.bases"] = ", ".join(t(f"tbasis.{b.value}") for b in rs.transfer_bases)
    values["dpa"] = t(f"card.dpa.{entry.dpa.value}")
    values["cookies"] = ", ".join(f"`{c.name}`" for c in entry.cookies) or t("card.none")
    url = entry.privacy_url(lang.value)
    values["privacy_policy"] = f"[{w.md(url)}]({url})"
    return values


def _status_path(entry: ServiceEntry, use: ServiceUse, path: str) -> str:
    """Which fact's sources vouch for ``path``: an answered option that changes it, or itself."""
    for key, answer in use.options.items():
        option = entry.option(key)
        chosen = option.values.get(answer) if option else None
        if chosen is None:
            continue
        if path == "processing_countries" and chosen.processing_countries is not None:
            return f"options.{key}"
        if path.startswith("transfer.") and chosen.transfer is not None:
            return f"options.{key}"
    return path


def facts_markdown(entry: ServiceEntry, use: ServiceUse) -> list[str]:
    """One markdown line per fact: label, value, and its source and date or the mark.

    Only the facts that can reach the notice (``entry.fact_paths``): a back-office service's
    cookies row would be marked "tarkistamatta" for a fact the notice can never print.
    """
    lines = []
    reaching = set(entry.fact_paths)
    for path, value in _values(entry, use).items():
        if path not in reaching:
            continue
        sources = entry.sources_for(_status_path(entry, use, path))
        label = t(f"verify.{path.replace('.', '_')}")
        status = _sources_md(sources) if sources else f":orange[**{t('card.unconfirmed')}**]"
        lines.append(f"- **{label}**: {value} — {status}")
    return lines


def _set_option(base: str, key: str, widget_key: str) -> None:
    use = _use(base)
    answers = dict(use.options)
    value = st.session_state.get(widget_key)
    if value:
        answers[key] = str(value)
    else:
        answers.pop(key, None)
    state.set_value(f"{base}.options", answers)


def _use(base: str) -> ServiceUse:
    reg, k = (int(p) for p in base.split(".")[1::2])
    return state.draft().registers[reg].services[k]


def _options(entry: ServiceEntry, base: str, use: ServiceUse) -> None:
    cat = load_catalogue()
    text = cat.text(entry.id, _lang().value)
    for option in entry.options:
        labels: dict[str, str] = dict(text.options[option.key])
        labels[""] = t("card.not_chosen")
        choices: list[str] = ["", *option.values]
        widget_key = f"opt.{base}.{option.key}"
        current = use.options.get(option.key, "")
        st.session_state[widget_key] = current if current in choices else ""
        st.selectbox(labels["label"], choices, key=widget_key, format_func=labels.__getitem__,
                     on_change=_set_option, args=(base, option.key, widget_key))


def _mark_checked(base: str, checked: bool) -> None:
    state.set_value(f"{base}.checked_on", dt.date.today() if checked else None)


def draw(reg: int, k: int) -> None:
    """The facts, options and "checked against my own contract" control of one service."""
    base = f"registers.{reg}.services.{k}"
    use = _use(base)
    if use.catalogue_id is None:
        return
    entry = load_catalogue().get(use.catalogue_id)
    _options(entry, base, use)
    use = _use(base)
    unconfirmed = [p for p in entry.fact_paths if not entry.sources_for(p)]
    with st.container(key=f"card_{reg}_{k}"):
        st.markdown(f"**{t('card.facts')}**\n\n" + "\n".join(facts_markdown(entry, use)))
        if unconfirmed and use.checked_on is None:
            st.caption(t("card.unconfirmed_help"))
    automated = resolve(use, _lang()).automated_logic
    if automated:
        st.info(t("card.automated", text=automated), icon=":material/gavel:")
    if use.checked_on is not None:
        st.success(t("card.checked", date=format_day(use.checked_on, _lang())),
                   icon=":material/verified:")
        st.button(t("card.uncheck"), key=f"b.uncheck.{reg}.{k}", on_click=_mark_checked,
                  args=(base, False))
    else:
        st.button(t("card.check"), key=f"b.check.{reg}.{k}", icon=":material/fact_check:",
                  on_click=_mark_checked, args=(base, True))
    w.feedback(f"{base}.checked_on")
