"""The review page's summary of the answers: what the user said, step by step, in the UI language.

The review shows every answer once, grouped by the step that asks it, each group with a button
back to that step (issue #18, after docassemble's review screen), so the user can check the whole
draft without walking the wizard again. This module only collects the lines; `pages/review.py`
draws them. Vocabulary keys are labelled as their own step labels them (the clause library in the
UI language); the user's own words are shown as typed, Markdown made literal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.dates import format_date

from seloste.i18n import Texts, upper_first
from seloste.localized import LocalizedLong, LocalizedShort
from seloste.model import Notice, Person, PurposeEntry, Register, RetentionRule
from seloste.recipients import resolve
from seloste.web import state
from seloste.web.state import clause, t
from seloste.web.widgets import md, register_name
from seloste.wording import duration_text

CLAUSES = "seloste.clauses"

#: The steps the summary covers, in the wizard's order (start asks nothing that the notice says;
#: review is this page).
SUMMARY_STEPS: tuple[str, ...] = ("controller", "registers", "data", "services", "retention",
                                  "cookies")
#: Steps whose answers belong to one register: one block per register, each with its own button.
REGISTER_STEPS = frozenset({"registers", "data", "services", "retention"})


@dataclass(frozen=True)
class Line:
    """One answer: its label and the value as Markdown ("" = not answered)."""

    label: str
    value: str


@dataclass(frozen=True)
class Block:
    """The answers of one step, or of one register on a per-register step."""

    step: str
    register: int | None
    title: str
    lines: list[Line] = field(default_factory=list)


def _join(values: Iterable[str]) -> str:
    return ", ".join(v for v in values if v)


def _own(value: LocalizedShort | LocalizedLong | str) -> str:
    """The user's own text, in the notice's language when written in it, Markdown made literal."""
    if isinstance(value, str):
        return md(value)
    return md(value.pick(state.draft().language))


def _person(person: Person | None) -> str:
    if person is None:
        return ""
    return _join(md(x) for x in (person.name, person.email, person.phone, person.address))


def _date(day: dt.date) -> str:
    """A date as the UI language writes it (18.8.2022, 18 aug. 2022, 18 Aug 2022)."""
    return str(format_date(day, format="medium", locale=state.ui_lang().value))


def _controller(notice: Notice) -> Block:
    c = notice.controller
    lines = [
        Line(t("review.summary.company"), _join((md(c.name), md(c.business_id)))),
        Line(t("review.summary.address"), _join((md(c.street), md(" ".join(
            x for x in (c.postal_code, c.city) if x))))),
        Line(t("review.summary.contacts"), _join(md(x) for x in (c.email, c.phone, c.website))),
        Line(t("review.summary.privacy_contact"), _person(notice.privacy_contact)),
        Line(t("review.summary.requests"), _own(notice.request_instructions)),
    ]
    if notice.dpo is not None:
        lines.append(Line(t("review.summary.dpo"), _person(notice.dpo)))
    if notice.eu_representative is not None:
        lines.append(Line(t("review.summary.eu_representative"), _person(notice.eu_representative)))
    if notice.targets_children:
        lines.append(Line(t("review.summary.children"), t("common.answer_yes")))
    dates = [t("review.summary.created", date=_date(notice.created)) if notice.created else "",
             t("review.summary.updated", date=_date(notice.updated)) if notice.updated else ""]
    lines.append(Line(t("review.summary.dates"), _join(dates)))
    return Block("controller", None, t("step.controller.nav"), lines)


def _purpose_name(entry: PurposeEntry) -> str:
    return upper_first(_join((clause(f"purpose.{entry.purpose.value}") if entry.purpose else "",
                              _own(entry.description))))


def _purposes(reg: Register) -> str:
    out = []
    for entry in reg.purposes:
        name = _purpose_name(entry)
        basis = t(f"basis.{entry.basis.value}.short") if entry.basis else t(
            "review.summary.no_basis")
        out.append(f"{name} ({basis})")
    return "; ".join(out)


def _registers(reg: Register) -> list[Line]:
    subjects = [clause(f"subject.{s.value}") for s in reg.data_subjects]
    subjects += [_own(s) for s in reg.custom_data_subjects]
    return [Line(t("review.summary.subjects"), upper_first(_join(subjects))),
            Line(t("review.summary.purposes"), _purposes(reg))]


def _lower_first(text: str) -> str:
    """A choice's label ("Vapaaehtoista", "Ihmiseltä itseltään") inside a sentence."""
    return text[:1].lower() + text[1:]


def _data(reg: Register) -> list[Line]:
    data = [clause(f"data.{d.value}") for d in reg.data_categories]
    data += [_own(d) for d in reg.custom_data_categories]
    lines = [Line(t("review.summary.data"), upper_first(_join(data)))]
    if reg.special_categories:
        special = _join(clause(f"special_category.{s.value}") for s in reg.special_categories)
        if reg.art9_condition is not None:
            special += f" ({t(f'art9.{reg.art9_condition.value}')})"
        lines.append(Line(t("review.summary.special"), upper_first(special)))
    # The source labels are list items ("Ihmiseltä itseltään"); in a sentence only the first
    # keeps its capital.
    sources = [t(f"source.{s.value}") for s in reg.sources]
    sources = [x if n == 0 else _lower_first(x) for n, x in enumerate(sources)]
    lines.append(Line(t("review.summary.sources"), _join(sources)))
    if reg.source_details:
        lines.append(Line(t("review.summary.source_details"), _own(reg.source_details)))
    required = [f"{_purpose_name(entry)}: {_lower_first(t(f'requirement.{r.value}'))}"
                for entry in reg.purposes if (r := entry.requirement) is not None]
    if required:
        lines.append(Line(t("review.summary.requirement"), "; ".join(required)))
    if reg.automated_decisions or reg.profiling:
        said = [t("review.summary.automated") if reg.automated_decisions else "",
                t("review.summary.profiling") if reg.profiling else ""]
        lines.append(Line(t("review.summary.automated_title"), _join(said)))
    return lines


def _services(reg: Register) -> list[Line]:
    lang = state.ui_lang()
    names = [md(resolve(use, lang).name) for use in reg.services]
    if not names and reg.no_recipients_confirmed:
        names = [t("review.summary.no_recipients")]
    lines = [Line(t("review.summary.services"), _join(names))]
    if reg.other_recipients:
        lines.append(Line(t("review.summary.other_recipients"), _own(reg.other_recipients)))
    return lines


def rule_text(rule: RetentionRule) -> str:
    """One retention rule in a line: what, and for how long (or until when, or why)."""
    if rule.preset is not None:
        # The preset's clause is "What: period (law)." or "What: period. Law.": the summary
        # shows its first sentence, without the full stop, as the other rules.
        return clause(f"retention.preset.{rule.preset.value}").split(". ")[0].rstrip(".")
    what = _own(rule.what) if rule.what else (
        clause(f"retention.subject.{rule.subject.value}") if rule.subject
        else clause("retention.what_default"))
    if rule.amount is not None and rule.unit is not None:
        lang = state.ui_lang()
        amount = duration_text(rule.amount, rule.unit.value, lang, Texts(CLAUSES, lang))
        start = clause(f"retention.from.{rule.start.value}") if rule.start else ""
        period = f"{amount} {start}".strip()
        if rule.until is not None:  # "until <event>, but no longer than <period>"
            period = clause("retention.period_until_max", maximum=period,
                            until=clause(f"retention.until.{rule.until.value}"))
    elif rule.start is not None:
        period = clause(f"retention.until.{rule.start.value}")
    else:
        period = _own(rule.reason)
    return f"{what}: {period}" if period else what


def _retention(reg: Register) -> list[Line]:
    rules = "; ".join(rule_text(rule) for rule in reg.retention)
    measures = len(reg.security_manual) + len(reg.security_electronic)
    security = t("review.summary.security_count", count=measures) if measures else ""
    security = _join((security, _own(reg.security_note)))
    return [Line(t("review.summary.retention"), rules),
            Line(t("review.summary.security"), security)]


def _cookies(notice: Notice) -> Block:
    ck = notice.cookies
    lines = [Line(t("review.summary.uses_cookies"),
                  t("common.answer_yes") if ck.uses_cookies else t("common.answer_no"))]
    if ck.uses_cookies:
        lines.append(Line(t("review.summary.mechanism"),
                          t(f"mechanism.{ck.mechanism.value}") if ck.mechanism else ""))
        lines.append(Line(t("review.summary.withdraw"), _join((
            t(f"withdraw.{ck.withdraw.value}") if ck.withdraw else "",
            _own(ck.withdraw_note)))))
        if ck.custom_cookies:
            lines.append(Line(t("review.summary.own_cookies"),
                              _join(md(c.name) for c in ck.custom_cookies)))
    return Block("cookies", None, t("step.cookies.nav"), lines)


_PER_REGISTER = {"registers": _registers, "data": _data, "services": _services,
                 "retention": _retention}


def blocks(step: str) -> list[Block]:
    """The summary of ``step``: one block, or one per register (none when there are none)."""
    notice = state.draft()
    if step == "controller":
        return [_controller(notice)]
    if step == "cookies":
        return [_cookies(notice)]
    lines_of = _PER_REGISTER[step]
    return [Block(step, i, register_name(i), lines_of(reg))
            for i, reg in enumerate(notice.registers)]
