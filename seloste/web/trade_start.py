"""The start page's "what kind of business is this?" box: a trade's registers as proposals.

Adding a trade's registers gives each register its preset's id and purposes only; everything
else the trade knows (data, sources, services, retention) waits on each step as a proposal with
one click to accept (seloste.web.proposals), so nothing reaches the notice unaccepted.
"""

from __future__ import annotations

import streamlit as st

from seloste.trades import load_trades
from seloste.trades.start import registers_for
from seloste.web import state
from seloste.web.state import t

TRADE_KEY = "start.trade"


def _add(trade_id: str) -> None:
    trade = load_trades()[trade_id]
    for register in registers_for(trade):
        state.list_add("registers", register)
    state.flash(t("start.trade_added", name=trade.name(state.ui_lang()),
                  count=len(trade.offered())))


def trade_box() -> None:
    """Choose a trade, see what it proposes, add its registers in one click."""
    lang = state.ui_lang()
    trades = load_trades()
    with st.container(border=True, key="trade_box"):
        st.header(t("start.trade_title"), anchor=False)
        st.markdown(t("start.trade_text"))
        chosen = st.selectbox(t("start.trade_label"), list(trades), index=None,
                              format_func=lambda tid: trades[tid].name(lang), key=TRADE_KEY,
                              placeholder=t("common.choose"))
        if chosen is None:
            return
        trade = trades[chosen]
        st.markdown(trade.description(lang))
        st.markdown(t("start.trade_registers"))
        st.markdown("\n".join(f"- **{p.name(lang)}**: {t_description(p.id, p.texts, lang)}"
                              for p in trade.offered()))
        for text in trade.verify_texts(lang):
            st.warning(text, icon=":material/fact_check:")
        st.caption(t("start.trade_proposals"))
        st.button(t("start.trade_add"), key="start.trade_add", type="primary",
                  icon=":material/library_add:", on_click=_add, args=(chosen,))


def t_description(preset_id: str, texts: str | None, lang: str) -> str:
    """A preset's one-line description from its own text package (UI strings or the trade's)."""
    from seloste.i18n import Texts

    return Texts(texts or "seloste.web.ui", lang)(f"preset.{preset_id}.description")
