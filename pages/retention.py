"""Retention and security: how long each kind of data is kept (Art. 13(2)(a)) and how it is
protected (Art. 32, customary in Finnish notices)."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from seloste.errors import translate
from seloste.i18n import upper_first
from seloste.localized import TEXT_LANG
from seloste.model import RetentionRule
from seloste.vocab import (
    UNTIL_EVENTS,
    PeriodUnit,
    RetentionPreset,
    RetentionStart,
    RetentionSubject,
    SecurityElectronic,
    SecurityManual,
)
from seloste.web import proposals, state
from seloste.web import widgets as w
from seloste.web.state import clause, t

OWN = "own"


def _subject_label(v: str | None) -> str:
    return t("retention.subject_other") if v is None else clause(f"retention.subject.{v}")


def _add_rule(reg: int) -> None:
    base = f"rule.{reg}"
    kind = state.scratch_get(f"{base}.kind", RetentionPreset.accounting_vouchers.value)
    state.pop_flag(f"_rule_errors.{reg}")
    if kind != OWN:
        rule = RetentionRule(preset=RetentionPreset(kind))
    else:
        data: dict[str, Any] = {
            f: state.scratch_get(f"{base}.{f}")
            for f in ("subject", "what", "amount", "unit", "start", "until", "reason")
        }
        data = {k: v for k, v in data.items() if v not in (None, "")}
        try:
            rule = RetentionRule.model_validate(
                data, context={TEXT_LANG: state.draft().language})
        except ValidationError as exc:
            state.set_flag(f"_rule_errors.{reg}", [
                e.message for e in translate(exc, state.ui_lang())
            ])
            return
        if rule.subject is None and not rule.what:
            state.set_flag(f"_rule_errors.{reg}", [t("retention.what_needed")])
            return
    if state.list_add(f"registers.{reg}.retention", rule):
        w.open_item_box(f"registers.{reg}.retention",
                        len(state.draft().registers[reg].retention) - 1)
    state.clear_scratch(base)


def _unfinished(path: str, rule: RetentionRule) -> bool:
    """Whether an own rule still says neither for how long nor until when, holds a refused
    value or is what a fix button came for: its box opens on arrival."""
    return (w.item_wanted(path)
            or (rule.preset is None and rule.until is None
                and (rule.amount is None or rule.unit is None)))


def _rule(reg: int, k: int, count: int) -> None:
    """One rule in its own box: a folded rule costs one element on every rerun (issue #15);
    a visit opens the unfinished ones, and one just added."""
    path = f"registers.{reg}.retention.{k}"
    list_path = f"registers.{reg}.retention"
    rule = state.draft().registers[reg].retention[k]
    label = f"{k + 1}. {w.md(upper_first(_rule_label(rule)))}"
    box = w.item_box(list_path, k, label, icon=":material/schedule:",
                     default=_unfinished(path, rule))
    with box:
        if box.open is False:
            return
        if rule.preset is not None:
            # "§", not a Material icon: in Markdown that is an image named "gavel icon".
            st.markdown(f"§ {clause(f'retention.preset.{rule.preset.value}')}")
        else:
            a, b = st.columns(2)
            with a:
                w.select(f"{path}.subject", [s.value for s in RetentionSubject], _subject_label,
                         t("retention.subject"), none_label=t("retention.subject_other"))
            with b:
                if rule.subject is None or rule.what:
                    w.text(f"{path}.what", t("retention.what"))
            a, b, c = st.columns([1, 1, 2])
            with a:
                w.number(f"{path}.amount", t("retention.amount"), min_value=1, max_value=100)
            with b:
                w.select(f"{path}.unit", [u.value for u in PeriodUnit],
                         lambda v: t(f"unit.{v}"), t("retention.unit"),
                         none_label=t("common.dash"))
            with c:
                w.select(f"{path}.start", [s.value for s in RetentionStart],
                         lambda v: clause(f"retention.from.{v}"), t("retention.start"),
                         none_label=t("common.dash"), help=t("retention.start_help"))
            w.select(f"{path}.until", [s.value for s in UNTIL_EVENTS],
                     lambda v: clause(f"retention.until.{v}"), t("retention.until"),
                     none_label=t("common.dash"), help=t("retention.until_help"))
            w.text(f"{path}.reason", t("retention.reason"), area=True,
                   help=t("retention.reason_help"))
        w.item_controls(list_path, k, count, remove_label=t("retention.remove"), boxed=True)


@w.add_form
def _add_form(reg: int) -> None:
    base = f"rule.{reg}"
    st.markdown(f"**{t('retention.add_title')}**")
    kinds = [RetentionPreset.accounting_vouchers.value, RetentionPreset.accounting_books.value,
             OWN]
    kind = w.scratch("radio", f"{base}.kind", t("retention.kind"), kinds[0], options=kinds,
                     format_func=w.labeller(kinds, lambda v: t(f"retention.kind_{v}")))
    if kind == OWN:
        a, b = st.columns(2)
        with a:
            w.scratch_select(f"{base}.subject", [None, *[s.value for s in RetentionSubject]],
                             _subject_label, t("retention.subject"))
        with b:
            w.scratch("text_input", f"{base}.what", t("retention.what"), "")
        a, b, c = st.columns([1, 1, 2])
        with a:
            w.scratch("number_input", f"{base}.amount", t("retention.amount"), None,
                      min_value=1, max_value=100, step=1)
        with b:
            w.scratch_select(f"{base}.unit", [None, *[u.value for u in PeriodUnit]],
                             lambda v: t(f"unit.{v}") if v else t("common.dash"),
                             t("retention.unit"))
        with c:
            w.scratch_select(f"{base}.start", [None, *[s.value for s in RetentionStart]],
                             lambda v: clause(f"retention.from.{v}") if v else t("common.dash"),
                             t("retention.start"), help=t("retention.start_help"))
        w.scratch_select(f"{base}.until", [None, *[s.value for s in UNTIL_EVENTS]],
                         lambda v: clause(f"retention.until.{v}") if v else t("common.dash"),
                         t("retention.until"), help=t("retention.until_help"))
        w.scratch("text_area", f"{base}.reason", t("retention.reason"), "",
                  help=t("retention.reason_help"))
    st.button(t("retention.add"), key=f"b.add_rule.{reg}", icon=":material/add:",
              on_click=_add_rule, args=(reg,))
    for message in state.flag(f"_rule_errors.{reg}", []):
        st.error(message, icon=":material/error:")


def _rule_label(rule: RetentionRule) -> str:
    if rule.preset is not None:
        return clause(f"retention.preset.{rule.preset.value}")
    what = (clause(f"retention.subject.{rule.subject.value}") if rule.subject
            else rule.what.pick(state.draft().language))
    if rule.amount is not None and rule.unit is not None:
        return f"{what} {rule.amount} {t(f'unit.{rule.unit.value}')}"
    return what


def _register(reg: int) -> None:
    path = f"registers.{reg}"
    rules = state.draft().registers[reg].retention
    st.subheader(t("retention.rules"), anchor=False)
    if not rules:
        w.feedback(f"{path}.retention", hint=t("hint.no_retention"))
        proposals.register_field(reg, "retention", _rule_label)
    for k in range(len(rules)):
        _rule(reg, k, len(rules))
    if rules:
        w.feedback(f"{path}.retention")  # findings about the rules as a whole
    _add_form(reg)
    st.subheader(t("retention.security"), anchor=False)
    st.caption(t("retention.security_text"))
    w.multi(f"{path}.security_manual", [s.value for s in SecurityManual],
            lambda v: upper_first(clause(f"security_manual.{v}")), t("retention.manual"))
    w.multi(f"{path}.security_electronic", [s.value for s in SecurityElectronic],
            lambda v: upper_first(clause(f"security_electronic.{v}")), t("retention.electronic"))
    w.text(f"{path}.security_note", t("retention.security_note"), area=True)


with w.step("retention"):
    with st.expander(t("retention.guide_title"), icon=":material/help:"):
        st.markdown(t("retention.guide"))
    if w.need_registers():
        for i, tab in w.register_tabs():
            with tab:
                _register(i)
