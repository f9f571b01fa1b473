"""Retention "until X, at most N" (issue #18): "until deleted by the customer, at most 3 years"
could not be said in one rule. A rule's `until` event with its length as the maximum, printed in
fi/sv/en in the notice and in the change log; an event without a maximum is refused."""

from __future__ import annotations

import pytest
from helpers import docx_text, html_text
from pydantic import ValidationError

from seloste.changes import describe_changes
from seloste.examples import load_example
from seloste.model import Notice, RetentionRule
from seloste.render import Format, render, render_fragment
from seloste.vocab import UNTIL_EVENTS, Lang, PeriodUnit, RetentionStart, RetentionSubject

EXPECTED = {
    Lang.fi: "Asiakastiedot: kunnes pyydät tietojesi poistamista, kuitenkin enintään 3 vuotta "
             "viimeisestä asioinnista tai aktiivisuudesta.",
    Lang.sv: "tills du begär att uppgifterna raderas, dock högst 3 år",
    Lang.en: "until you ask us to erase them, but no longer than 3 years",
}


def _rule(**extra: object) -> RetentionRule:
    return RetentionRule.model_validate({
        "subject": "customer_data", "amount": 3, "unit": "years", "start": "last_activity",
        **extra})


def _with_rule(rule: RetentionRule) -> Notice:
    notice = load_example("keinuma")
    notice.registers[0].retention = [rule, *notice.registers[0].retention[1:]]
    return Notice.model_validate(notice.model_dump())


@pytest.mark.parametrize("lang", list(Lang))
def test_until_with_a_maximum_is_printed_in_every_language(lang: Lang) -> None:
    notice = _with_rule(_rule(until="erasure_requested"))
    fragment = " ".join(html_text(render_fragment(notice, lang)).split())
    assert EXPECTED[lang] in fragment
    assert EXPECTED[lang] in " ".join(docx_text(render(notice, Format.docx, lang)).split())
    # Without `until` the same rule is the plain length it was before.
    plain = " ".join(html_text(render_fragment(_with_rule(_rule()), lang)).split())
    assert EXPECTED[lang] not in plain


def test_an_event_needs_a_maximum_and_the_wording_needs_an_event() -> None:
    with pytest.raises(ValidationError) as caught:
        RetentionRule(subject=RetentionSubject.customer_data,
                      until=RetentionStart.erasure_requested)
    assert caught.value.errors()[0]["type"] == "maximum_missing"
    # The events offered as an early end are events, not counting points.
    assert RetentionStart.erasure_requested in UNTIL_EVENTS
    assert RetentionStart.collection not in UNTIL_EVENTS
    assert RetentionStart.end_of_financial_year not in UNTIL_EVENTS
    rule = RetentionRule(subject=RetentionSubject.customer_data, amount=3,
                         unit=PeriodUnit.years, until=RetentionStart.unsubscribe)
    fragment = " ".join(html_text(render_fragment(_with_rule(rule), Lang.fi)).split())
    assert "kunnes peruat tilauksen, kuitenkin enintään 3 vuotta." in fragment


def test_the_change_log_says_the_new_period() -> None:
    old = _with_rule(_rule())
    new = _with_rule(_rule(until="erasure_requested"))
    said = " ".join(describe_changes(old, new, Lang.fi))
    assert "kunnes pyydät tietojesi poistamista, kuitenkin enintään 3 vuotta" in said
