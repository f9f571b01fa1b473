"""A retention rule about another register's people is flagged (issue #18, wrong register)."""

from __future__ import annotations

from seloste.checks import run_checks
from seloste.model import Notice, Register, RetentionRule
from seloste.register_mixup import retention_mixups
from seloste.vocab import DataSubject, PeriodUnit, RetentionStart, RetentionSubject


def _two(customer_rules: list[RetentionRule]) -> Notice:
    return Notice(registers=[
        Register(name="Asiakkaat", data_subjects=[DataSubject.customers],
                 retention=customer_rules),
        Register(name="Hakijat", data_subjects=[DataSubject.job_applicants],
                 retention=[RetentionRule(subject=RetentionSubject.applications, amount=2,
                                          unit=PeriodUnit.years,
                                          start=RetentionStart.end_of_recruitment)]),
    ])


def _flagged(notice: Notice) -> list[str]:
    return [f.path for f in run_checks(notice) if f.rule_id == "retention_other_register"]


def test_applications_rule_in_the_customer_register_fires() -> None:
    notice = _two([RetentionRule(subject=RetentionSubject.applications, amount=2,
                                 unit=PeriodUnit.years, start=RetentionStart.end_of_recruitment)])
    assert _flagged(notice) == ["registers.0.retention.0.subject"]
    finding = next(f for f in run_checks(notice) if f.rule_id == "retention_other_register")
    assert "työnhakijat" in finding.message("fi")
    assert "job applicants" in finding.message("en")


def test_own_words_naming_the_other_registers_people_fire() -> None:
    notice = _two([RetentionRule(what="Työnhakijat ja hakemukset", amount=1,
                                 unit=PeriodUnit.years, start=RetentionStart.collection)])
    assert [(m.register, m.rule, m.subject, m.other) for m in retention_mixups(notice)] == [
        (0, 0, DataSubject.job_applicants, 1)]


def test_rules_about_the_registers_own_people_pass() -> None:
    notice = _two([RetentionRule(subject=RetentionSubject.customer_data, amount=2,
                                 unit=PeriodUnit.years, start=RetentionStart.last_contact)])
    assert _flagged(notice) == []


def test_a_group_in_no_other_register_passes() -> None:
    only = Notice(registers=[Register(
        data_subjects=[DataSubject.customers],
        retention=[RetentionRule(subject=RetentionSubject.applications, amount=2,
                                 unit=PeriodUnit.years, start=RetentionStart.end_of_recruitment)])])
    assert _flagged(only) == []
