"""A trade's starting point walked in the wizard (AppTest): choose the trade on the start page,
add its registers, accept every proposal on every step, give the company's details, and reach
the review with no errors. The action count (pointer actions + typed fields) is printed."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_web_support import draft, goto, new_app, ok, open_register

from seloste.checks import Severity, run_checks
from seloste.facts import notice_facts
from seloste.trades import load_trades

STEPS_WITH_PROPOSALS = ("registers", "data", "services", "retention")


class Walk:
    def __init__(self, at: AppTest) -> None:
        self.at = at
        self.clicks = 0
        self.typed = 0

    def run(self) -> None:
        ok(self.at.run())

    def click(self, key: str) -> None:
        self.at.button(key=key).click()
        self.clicks += 1
        self.run()

    def choose(self, widget: object, value: object) -> None:
        widget.set_value(value)  # type: ignore[attr-defined]
        self.clicks += 1
        self.run()

    def type(self, key: str, text: str) -> None:
        self.at.text_input(key=key).input(text)
        self.typed += 1

    def accept_all(self, step: str) -> int:
        """Press every proposal's Accept button on ``step`` until none is left, register by
        register (opening a register's tab is a click too)."""
        goto(self.at, step)
        pressed = 0
        for index in range(max(1, len(draft(self.at).registers))):
            if index:
                open_register(self.at, index)
                self.clicks += 1
            while True:
                keys = [b.key for b in self.at.button
                        if b.key and b.key.startswith("b.accept.")]
                if not keys:
                    break
                self.click(keys[0])
                pressed += 1
        return pressed


def _controller(walk: Walk) -> None:
    goto(walk.at, "controller")
    for field, value in (("name", "Testi Oy"), ("business_id", "2617416-4"),
                         ("street", "Katu 1"), ("postal_code", "00100"), ("city", "Helsinki"),
                         ("email", "info@testi.fi"), ("phone", "040 1234567")):
        walk.type(f"f.controller.{field}", value)
    for field, value in (("name", "Maija Meikäläinen"), ("email", "maija@testi.fi")):
        walk.type(f"f.privacy_contact.{field}", value)
    walk.run()


@pytest.mark.parametrize("trade_id", list(load_trades()))
def test_trade_starting_point_reaches_a_review_without_errors(trade_id: str) -> None:
    walk = Walk(new_app())
    walk.choose(walk.at.selectbox(key="start.trade"), trade_id)
    walk.click("start.trade_add")
    offered = load_trades()[trade_id].offered()
    assert [r.preset for r in draft(walk.at).registers] == [p.id for p in offered]
    # Nothing proposed is an answer yet.
    assert all(not r.data_categories and not r.services for r in draft(walk.at).registers)

    _controller(walk)
    accepted = {step: walk.accept_all(step) for step in STEPS_WITH_PROPOSALS}
    accepted["services"] += walk.accept_all("services")  # agreement states of added services
    notice = draft(walk.at)
    if notice_facts(notice).site_needs_consent:
        goto(walk.at, "cookies")
        if not draft(walk.at).cookies.uses_cookies:
            walk.choose(walk.at.toggle(key="f.cookies.uses_cookies"), True)
        walk.choose(walk.at.radio(key="f.cookies.mechanism"), "banner")
        walk.choose(walk.at.radio(key="f.cookies.withdraw"), "footer_link")

    notice = draft(walk.at)
    assert notice_facts(notice).pending_proposals == 0
    errors = [(f.rule_id, f.path) for f in run_checks(notice) if f.severity is Severity.error]
    assert errors == []
    goto(walk.at, "review")
    assert not walk.at.exception
    total = walk.clicks + walk.typed
    print(f"\ntrade {trade_id}: {total} actions ({walk.clicks} pointer actions + "
          f"{walk.typed} typed fields); proposals accepted per step {accepted}")
