"""What the record of processing activities says: one row per register and purpose.

Finnish companies keep the Art. 30 record as a spreadsheet with one row per processing activity
(a register and one of its purposes), so that is the unit here: `Record.rows` is the XLSX, and
the DOCX/PDF group the same rows under one heading per register. Every value is built from the
answers and the derived facts (`source.py`); words for keys come from the notice's clause
library, so the record and the notice name a purpose, a basis or a role the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from seloste.facts import NoticeFacts, RegisterFacts, notice_facts
from seloste.geo import country_name
from seloste.i18n import Texts
from seloste.model import Notice, Person
from seloste.render.document import _Builder, format_day
from seloste.vocab import Lang, Role

#: Columns in order (Art. 30(1)(a)-(g)); `access` and `location` are the record-only answers.
COLUMNS: tuple[str, ...] = (
    "register", "controller", "contact", "dpo", "representative", "purpose", "basis",
    "legitimate_interest", "subjects", "data", "special", "sources", "recipients", "transfers",
    "retention", "security", "access", "location",
)
CONTROLLER_COLUMNS = ("controller", "contact", "dpo", "representative")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    article: str


@dataclass
class RegisterPart:
    name: str
    values: dict[str, str]
    purposes: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Record:
    lang: Lang
    title: str
    intro: str
    updated: str
    author: str
    columns: list[Column]
    rows: list[dict[str, str]]
    registers: list[RegisterPart]
    controller: dict[str, str]

    def plain_text(self) -> str:
        """Every value in the record, one a line (for tests)."""
        lines = [self.title, self.intro, self.updated]
        lines += [c.label for c in self.columns]
        lines += [v for row in self.rows for v in row.values()]
        return "\n".join(lines)


def _lines(*items: str) -> str:
    return "\n".join(i for i in items if i)


def _person(person: Person | None) -> str:
    if person is None:
        return ""
    return _lines(person.name, person.address, person.email, person.phone)


class _RecordBuilder:
    def __init__(self, facts: NoticeFacts) -> None:
        self.facts = facts
        self.n = facts.notice
        self.lang = facts.lang
        self.t = Texts("seloste.record.texts", self.lang)
        self.c = Texts("seloste.clauses", self.lang)
        # The notice's own wording of a retention rule and of a register's name, so that the
        # record says exactly what the published notice says.
        self.notice_words = _Builder(self.n, self.lang)

    def country(self, code: str) -> str:
        return country_name(code, self.lang.value) if code else ""

    def controller(self) -> str:
        c = self.n.controller
        address = ", ".join(x for x in (c.street, " ".join(x for x in (c.postal_code, c.city)
                                                             if x)) if x)
        business_id = f"{self.c('controller.business_id')} {c.business_id}" if c.business_id \
            else ""
        return _lines(c.name, business_id, address, c.email, c.phone, c.website)

    def recipients(self, reg: RegisterFacts) -> str:
        lines = []
        for s in reg.services:
            r = s.resolved
            roles = ", ".join(self.c(f"recipient_role.{role.value}") for role in Role
                              if role in r.roles())
            details = ", ".join(x for x in (r.entity, self.country(r.country), roles) if x)
            lines.append(self.t("service", name=r.name, details=details) if details else r.name)
        if reg.register.other_recipients:
            lines.append(self.t("other_recipients",
                                text=reg.register.other_recipients.pick(self.lang)))
        return "\n".join(lines) or self.t("no_recipients")

    def transfers(self, reg: RegisterFacts) -> str:
        lines = []
        for s in reg.services:
            r = s.resolved
            if not r.transfer_countries:
                continue
            countries = ", ".join(self.country(c) for c in r.transfer_countries)
            bases = "; ".join(self.c(f"transfers.basis.{b.value}") for b in r.transfer_bases)
            lines.append(f"{r.name}: {countries} – {bases or self.t('transfer_missing')}")
        return "\n".join(lines) or self.t("no_transfers")

    def security(self, reg: RegisterFacts) -> str:
        r, c = reg.register, self.c
        lines = []
        if r.security_manual:
            lines.append(c("register.security_manual", measures=", ".join(
                c(f"security_manual.{m.value}") for m in r.security_manual)))
        if r.security_electronic:
            lines.append(c("register.security_electronic", measures=", ".join(
                c(f"security_electronic.{m.value}") for m in r.security_electronic)))
        return _lines(*lines, r.security_note.pick(self.lang))

    def register_values(self, reg: RegisterFacts) -> dict[str, str]:
        r, c = reg.register, self.c
        special = ""
        if r.special_categories:
            special = ", ".join(c(f"special_category.{s.value}") for s in r.special_categories)
            if r.art9_condition:
                special += f" ({c(f'art9.{r.art9_condition.value}')})"
        return {
            "register": self.notice_words.register_name(reg.index, r)[0],
            **self.controller_values(),
            "subjects": _lines(*(c(f"subject.{s.value}") for s in r.data_subjects),
                               *(x.pick(self.lang) for x in r.custom_data_subjects)),
            "data": _lines(*(c(f"data.{d.value}") for d in r.data_categories),
                           *(x.pick(self.lang) for x in r.custom_data_categories)),
            "special": _lines(special, r.special_note.pick(self.lang)),
            "sources": _lines(*(self.t(f"source.{s.value}") for s in r.sources),
                              r.source_details.pick(self.lang)),
            "recipients": self.recipients(reg),
            "transfers": self.transfers(reg),
            "retention": _lines(*("".join(run.text for run in
                                          self.notice_words.retention_rule(rule))
                                  for rule in r.retention)),
            "security": self.security(reg),
            "access": r.record_access,
            "location": r.record_location,
        }

    def purpose_values(self, reg: RegisterFacts) -> list[dict[str, str]]:
        c = self.c
        out = []
        for pe in reg.register.purposes:
            name = ": ".join(x for x in (c(f"purpose.{pe.purpose.value}") if pe.purpose else "",
                                         pe.description.pick(self.lang)) if x)
            out.append({
                "purpose": name,
                "basis": c(f"basis.{pe.basis.value}") if pe.basis else self.t("no_basis"),
                "legitimate_interest": pe.legitimate_interest.pick(self.lang),
            })
        return out or [{"purpose": "", "basis": "", "legitimate_interest": ""}]

    def build(self) -> Record:
        t, n = self.t, self.n
        name = n.controller.name
        rows: list[dict[str, str]] = []
        parts: list[RegisterPart] = []
        for reg in self.facts.registers:
            values = self.register_values(reg)
            purposes = self.purpose_values(reg)
            parts.append(RegisterPart(values["register"], values, purposes))
            for pv in purposes:
                rows.append({key: {**values, **pv}[key] for key in COLUMNS})
        day = n.updated or n.created
        return Record(
            lang=self.lang,
            title=t("title_for", name=name) if name else t("title"),
            intro=t("intro"),
            updated=t("updated", date=format_day(day, self.lang)) if day else "",
            author=name,
            columns=[Column(k, t(f"column.{k}"), t(f"article.{k}")) for k in COLUMNS],
            rows=rows,
            registers=parts,
            controller=self.controller_values(),
        )

    def controller_values(self) -> dict[str, str]:
        """Art. 30(1)(a): the same for every row; also shown once above the registers."""
        return {"controller": self.controller(), "contact": _person(self.n.privacy_contact),
                "dpo": _person(self.n.dpo), "representative": _person(self.n.eu_representative)}


def build_record(notice: Notice, lang: Lang | str | None = None) -> Record:
    """The record of processing activities in `lang` (default: the notice's language)."""
    return _RecordBuilder(notice_facts(notice, lang)).build()
