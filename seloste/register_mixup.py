"""Retention rules typed into the wrong register: a rule that speaks of another register's people.

Tried as a new user would, the first register's retention rules ("job applications: 2 years")
ended up in the applicants' register's neighbour because the step opened on the wrong tab; the
review said nothing. A rule refers to a group of people by its subject key (applications ->
job applicants) or by the group's name in its own words; when that group is not among this
register's subjects but is another register's, the rule is most likely in the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass

from seloste.i18n import Texts
from seloste.model import Notice, RetentionRule
from seloste.vocab import LANGUAGES, DataSubject, RetentionSubject

#: Whose data a retention subject is, where it belongs to one group of people only.
SUBJECT_PEOPLE: dict[RetentionSubject, frozenset[DataSubject]] = {
    RetentionSubject.applications: frozenset({DataSubject.job_applicants}),
    RetentionSubject.newsletter_data: frozenset({DataSubject.newsletter_subscribers}),
    RetentionSubject.order_data: frozenset({DataSubject.webshop_customers}),
    RetentionSubject.member_data: frozenset({DataSubject.members}),
    RetentionSubject.patient_records: frozenset({DataSubject.patients}),
    RetentionSubject.contact_requests: frozenset({DataSubject.contact_requesters}),
    RetentionSubject.course_data: frozenset({DataSubject.course_participants}),
    RetentionSubject.prospect_data: frozenset({DataSubject.prospects}),
    RetentionSubject.analytics_data: frozenset({DataSubject.website_visitors}),
}


@dataclass(frozen=True)
class Mixup:
    register: int
    rule: int
    subject: DataSubject
    other: int
    """The register whose subjects the rule speaks of."""


def _named(rule: RetentionRule, subject: DataSubject) -> bool:
    """Whether the rule's own words name ``subject`` (its label in any notice language)."""
    words = " ".join([*rule.what.all_texts(), *rule.reason.all_texts()]).casefold()
    if not words.strip():
        return False
    return any(Texts("seloste.clauses", lang)(f"subject.{subject.value}").casefold() in words
               for lang in LANGUAGES)


def retention_mixups(notice: Notice) -> list[Mixup]:
    """Every retention rule that speaks of people who are only in another register."""
    found: list[Mixup] = []
    for i, reg in enumerate(notice.registers):
        own = set(reg.data_subjects)
        for k, rule in enumerate(reg.retention):
            meant = set(SUBJECT_PEOPLE.get(rule.subject, frozenset())) if rule.subject else set()
            meant |= {s for s in DataSubject if _named(rule, s)}
            for subject in sorted(meant - own):
                other = next((j for j, r in enumerate(notice.registers)
                              if j != i and subject in r.data_subjects), None)
                if other is not None:
                    found.append(Mixup(i, k, subject, other))
                    break
    return found
