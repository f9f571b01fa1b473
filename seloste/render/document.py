"""What the notice says, independent of format.

`build_document` decides which clauses appear (that is code); the clause library supplies the
words (that is data). HTML, Markdown and DOCX all render this one block list, so the three formats
can never disagree about content, and a test of the content is a test of every format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from babel.dates import format_date

from seloste.claims import holds
from seloste.facts import CookieRow, PurposeFacts, notice_facts, service_cookie_rows
from seloste.geo import country_name
from seloste.i18n import Texts
from seloste.localized import LocalizedLong, LocalizedShort, fallback_order, text_for
from seloste.model import Notice, Person, Register, RetentionRule
from seloste.recipients import ResolvedService, ServiceCookie
from seloste.vocab import (
    ConsentMechanism,
    CookiePurpose,
    Lang,
    LegalBasis,
    Right,
    Role,
    Source,
    WithdrawMethod,
)
from seloste.wording import duration_text

#: The supervisory authority's email and web (source: tietosuoja.fi/yhteystiedot, domain.md §3);
#: the postal and visiting addresses are in the clauses, where each language names the city.
#: The office's site has a Swedish and an English front page (tietosuoja.fi/sv, /en; domain.md).
AUTHORITY_EMAIL = "tietosuoja@om.fi"
AUTHORITY_WEB = {Lang.fi: "https://tietosuoja.fi", Lang.sv: "https://tietosuoja.fi/sv",
                 Lang.en: "https://tietosuoja.fi/en"}

BlockKind = Literal["h1", "h2", "h3", "p", "li", "table", "toc", "meta"]


@dataclass(frozen=True)
class Run:
    text: str
    url: str = ""
    lang: Lang | None = None
    """The language of this run when it is not the document's: a free-text answer not yet
    written in the notice language, printed in the language it has (HTML ``lang``, DOCX
    ``w:lang``; WCAG 2.1 SC 3.1.2)."""


#: A free-text answer as printed: the text and its language when that is a fallback.
Free = tuple[str, Lang | None]
#: What a clause placeholder can take: plain text, a free-text answer, or ready-made runs.
Value = str | Free | list[Run]
_TOKEN = re.compile(r"(\x00\d+\x00)")


def free_run(value: Free) -> Run:
    """A free-text answer as one run, marked with its own language when it is a fallback."""
    return Run(value[0], lang=value[1])


@dataclass
class Block:
    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    anchor: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    entries: list[tuple[str, str]] = field(default_factory=list)
    entry_runs: list[list[Run]] = field(default_factory=list)
    """The toc entries' texts as runs (a register name may be a marked fallback)."""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Document:
    lang: Lang
    title: str
    blocks: list[Block]
    author: str

    def plain_text(self) -> str:
        """Every word of the notice, one block a line (for tests and the lint's self-check)."""
        lines = [self.title]
        for b in self.blocks:
            if b.kind == "table":
                lines += [" | ".join(b.header)] + [" | ".join(r) for r in b.rows]
            elif b.kind == "toc":
                lines += [t for t, _ in b.entries]
            else:
                lines.append(b.text)
        return "\n".join(lines)


def format_day(day: dt.date, lang: Lang) -> str:
    """d.M.yyyy in Finnish and Swedish (Babel's sv_FI short date is ISO); '4 March 2025' in en."""
    if lang is Lang.en:
        return format_date(day, "d MMMM y", locale="en")
    return format_date(day, "d.M.y", locale=lang.value)


def service_cookies(notice: Notice, lang: Lang | str) -> list[ServiceCookie]:
    """What the wizard's cookie step lists: the rows the notice's cookie table starts with."""
    return service_cookie_rows(notice, lang)


def _join(items: Iterable[str], joiner: str = ", ") -> str:
    return joiner.join(i for i in items if i)


class _Builder:
    def __init__(self, notice: Notice, lang: Lang) -> None:
        self.n = notice
        self.lang = lang
        self.t = Texts("seloste.clauses", lang)
        self.blocks: list[Block] = []
        self.f = notice_facts(notice, lang)
        self.fallbacks = fallback_order(notice.published_languages())
        self.services: list[list[ResolvedService]] = [
            [s.resolved for s in r.services] for r in self.f.registers
        ]

    # -- small helpers -------------------------------------------------------------------------
    def h(self, kind: Literal["h2", "h3"], text: str | list[Run], anchor: str = "") -> None:
        runs = [Run(text)] if isinstance(text, str) else text
        self.blocks.append(Block(kind, runs, anchor=anchor))

    def p(self, *runs: Run | str | list[Run]) -> None:
        self.blocks.append(Block("p", _runs(runs)))

    def li(self, *runs: Run | str | list[Run]) -> None:
        self.blocks.append(Block("li", _runs(runs)))

    def free(self, value: LocalizedShort | LocalizedLong) -> Free:
        """A free-text answer in this notice's language, or its fallback with that language."""
        return text_for(value, self.lang, self.fallbacks)

    def tr(self, key: str, /, **values: Value) -> list[Run]:
        """A clause as runs: each free-text value a run of its own, marked if a fallback.

        Only the inserted answer carries a foreign ``lang``, never the clause's own words.
        """
        marks: dict[str, list[Run]] = {}
        plain: dict[str, str] = {}
        for name, value in values.items():
            if isinstance(value, str):
                plain[name] = value
                continue
            runs = [free_run(value)] if isinstance(value, tuple) else value
            if all(r.lang is None and not r.url for r in runs):
                plain[name] = "".join(r.text for r in runs)
                continue
            token = f"\x00{len(marks)}\x00"
            marks[token] = runs
            plain[name] = token
        out: list[Run] = []
        for part in _TOKEN.split(self.t(key, **plain)):
            if part in marks:
                out += marks[part]
            elif part:
                out.append(Run(part))
        return _merge(out)

    def join_runs(self, items: Iterable[list[Run]], joiner: str = ", ") -> list[Run]:
        out: list[Run] = []
        for item in items:
            if out and item:
                out.append(Run(joiner))
            out += item
        return out

    def register_name(self, index: int, reg: Register) -> Free:
        rf = self.f.registers[index]
        return rf.name, rf.name_lang

    # -- sections ------------------------------------------------------------------------------
    def build(self) -> Document:
        c = self.n.controller
        title = self.t("doc.title_for", name=c.name) if c.name else self.t("doc.title")
        self.meta()
        if c.name:
            self.p(self.t("doc.intro", name=c.name))
        else:
            self.p(self.t("doc.intro_anonymous"))
        toc = Block("toc")
        self.blocks.append(toc)
        self.controller()
        for i, reg in enumerate(self.n.registers):
            self.register(i, reg)
        self.transfers()
        self.cookies()
        self.rights()
        self.complaint()
        self.changes()
        toc.entries = [(b.text, b.anchor) for b in self.blocks if b.kind == "h2"]
        toc.entry_runs = [b.runs for b in self.blocks if b.kind == "h2"]
        toc.runs = [Run(self.t("doc.toc"))]
        return Document(self.lang, title, self.blocks, author=c.name)

    def meta(self) -> None:
        parts = []
        if self.n.created:
            parts.append(self.t("doc.created", date=format_day(self.n.created, self.lang)))
        if self.n.updated:
            parts.append(self.t("doc.updated", date=format_day(self.n.updated, self.lang)))
        if self.n.version_label:
            parts.append(self.t("doc.version", label=self.n.version_label))
        if parts:
            self.blocks.append(Block("meta", [Run(" · ".join(parts))]))

    def _contact_lines(self, name: str, email: str, phone: str, address: str = "") -> None:
        t = self.t
        if name:
            self.li(name)
        if address:
            self.li(f"{t('controller.address')}: {address}")
        if email:
            self.li(f"{t('controller.email')}: ", Run(email, f"mailto:{email}"))
        if phone:
            self.li(f"{t('controller.phone')}: {phone}")

    def controller(self) -> None:
        t, c = self.t, self.n.controller
        self.h("h2", t("section.controller"), "rekisterinpitaja")
        self.h("h3", t("controller.controller"))
        self.li(c.name or t("doc.not_given"))
        if c.business_id:
            self.li(f"{t('controller.business_id')}: {c.business_id}")
        address = _join([c.street, _join([c.postal_code, c.city], " ")])
        if address:
            self.li(f"{t('controller.address')}: {address}")
        if c.email:
            self.li(f"{t('controller.email')}: ", Run(c.email, f"mailto:{c.email}"))
        if c.phone:
            self.li(f"{t('controller.phone')}: {c.phone}")
        if c.website:
            self.li(f"{t('controller.website')}: ", Run(c.website, c.website))
        pc = self.n.privacy_contact
        if _given(pc):
            self.h("h3", t("controller.contact"))
            self._contact_lines(pc.name, pc.email, pc.phone, pc.address)
        if self.n.dpo and _given(self.n.dpo):
            d = self.n.dpo
            self.h("h3", t("controller.dpo"))
            self._contact_lines(d.name, d.email, d.phone, d.address)
        if self.n.eu_representative and _given(self.n.eu_representative):
            e = self.n.eu_representative
            self.h("h3", t("controller.representative"))
            self._contact_lines(e.name, e.email, e.phone, e.address)
        if len(self.n.registers) > 1:
            self.p(t("doc.registers_intro"))
            for i, reg in enumerate(self.n.registers):
                self.li(free_run(self.register_name(i, reg)))

    def register(self, index: int, reg: Register) -> None:
        t = self.t
        self.h("h2", self.tr("section.register", name=self.register_name(index, reg)),
               f"rekisteri-{index + 1}")
        subjects = _listing([t(f"subject.{s.value}") for s in reg.data_subjects],
                            [self.free(v) for v in reg.custom_data_subjects])
        if subjects:
            self.h("h3", t("register.subjects"))
            self.p(subjects)
        self.h("h3", t("register.purposes"))
        for pf in self.f.registers[index].purposes:
            pe = pf.entry
            name = self.purpose_runs(pf, ": ")
            if pe.basis is None:
                self.li(self.tr("register.purpose_no_basis", purpose=name))
            else:
                self.li(self.tr("register.purpose_line", purpose=name,
                                basis=t(f"basis.{pe.basis.value}")))
            if pe.basis is LegalBasis.legitimate_interest:
                if pf.interest:
                    self.p(self.tr("register.legitimate_interest",
                                   interest=(pf.interest, pf.interest_lang)))
                else:
                    self.p(t("register.legitimate_interest_missing"))
        data = _listing([t(f"data.{d.value}") for d in reg.data_categories],
                        [self.free(v) for v in reg.custom_data_categories])
        self.h("h3", t("register.data"))
        if data:
            self.p(data)
        if reg.special_categories:
            cond = (t(f"art9.{reg.art9_condition.value}") if reg.art9_condition
                    else t("art9.missing"))
            cats = _join(t(f"special_category.{s.value}") for s in reg.special_categories)
            self.p(t("register.special", categories=cats, condition=cond))
        elif holds("register.special_none", self.f, self.f.registers[index]):
            self.p(t("register.special_none"))
        if reg.special_note:
            self.p(free_run(self.free(reg.special_note)))
        if reg.sources or reg.source_details:
            self.h("h3", t("register.sources"))
            for s in reg.sources:
                key = s.value
                if s is Source.website_automatic and holds(
                        "source.website_automatic_consent", self.f, self.f.registers[index]):
                    key = "website_automatic_consent"
                self.li(_capitalize(t(f"source.{key}")) + ".")
            if reg.source_details:
                self.p(self.tr("source.details", text=self.free(reg.source_details)))
        self.requirements(index)
        self.recipients(index)
        self.h("h3", t("register.retention"))
        if not reg.retention:
            self.p(t("register.retention_missing"))
        for rule in reg.retention:
            self.li(self.retention_rule(rule))
        self.automated(index)
        self.h("h3", t("register.security"))
        if reg.security_manual:
            self.li(t("register.security_manual", measures=_join(
                t(f"security_manual.{m.value}") for m in reg.security_manual)))
        if reg.security_electronic:
            self.li(t("register.security_electronic", measures=_join(
                t(f"security_electronic.{m.value}") for m in reg.security_electronic)))
        if reg.security_note:
            self.p(free_run(self.free(reg.security_note)))
        if not (reg.security_manual or reg.security_electronic or reg.security_note):
            self.p(t("register.security_none"))

    def requirements(self, index: int) -> None:
        """O1 per purpose: contract data may be required while consent data is voluntary."""
        t = self.t
        rf = self.f.registers[index]
        self.h("h3", t("register.requirement"))
        if not rf.purposes or all(p.entry.requirement is None for p in rf.purposes):
            self.p(t("requirement.missing"))
            return
        for p in rf.purposes:
            name = self.purpose_runs(p, ", ")
            if p.entry.requirement is None:
                self.li(self.tr("requirement.line", purpose=name, text=t("requirement.missing")))
                continue
            self.li(self.tr("requirement.line", purpose=name,
                            text=t(f"requirement.{p.entry.requirement.value}")))
            if p.entry.requirement_consequence:
                self.p(self.tr("requirement.consequence",
                               text=self.free(p.entry.requirement_consequence)))

    def purpose_runs(self, pf: PurposeFacts, joiner: str) -> list[Run]:
        """A purpose's name: its key's text and the user's description (maybe a fallback)."""
        key = [Run(self.t(f"purpose.{pf.entry.purpose.value}"))] if pf.entry.purpose else []
        own = [Run(pf.description, lang=pf.description_lang)] if pf.description else []
        return self.join_runs([key, own], joiner)

    def service_line(self, s: ResolvedService, text: str) -> list[Run]:
        who = _join([s.entity, country_name(s.country, self.lang.value) if s.country else ""])
        if who:
            line = self.t("register.service_line", name=s.name, entity=who, text=text)
        else:
            line = self.t("register.service_line_plain", name=s.name, text=text)
        runs = [Run(line)]
        if s.extra:
            runs += [Run(" "), Run(s.extra, lang=s.extra_lang)]
        if s.privacy_policy:
            label, _, _ = self.t("register.service_privacy", url="|").partition("|")
            runs += [Run(" " + label), Run(s.privacy_policy, s.privacy_policy)]
        return runs

    def recipients(self, index: int) -> None:
        t = self.t
        rf = self.f.registers[index]
        reg = rf.register
        self.h("h3", t("register.recipients"))
        groups: dict[Role, list[tuple[ResolvedService, str]]] = {r: [] for r in Role}
        for sf in rf.services:
            s = sf.resolved
            # One line per service and role: a vendor's flows in the same role read as one.
            for role in Role:
                texts = [text for r, text in s.flows if r is role]
                if texts:
                    groups[role].append((s, " ".join(texts)))
        if holds("register.no_recipients", self.f, rf):
            self.p(t("register.no_recipients"))
        elif not rf.recipients_answered:
            self.p(t("register.recipients_missing"))
        if groups[Role.processor]:
            self.p(t("register.processors"))
            for s, text in groups[Role.processor]:
                self.li(*self.service_line(s, text))
            if holds("register.processors_dpa", self.f, rf):
                self.p(t("register.processors_dpa"))
            elif holds("register.processors_dpa_some", self.f, rf):
                names = [s.name for s in rf.agreements_due if s.dpa_in_place]
                self.p(t("register.processors_dpa_some",
                         names=t("rights.list_joiner").join(names)))
        if groups[Role.joint_controller]:
            self.p(t("register.joint"))
            for s, text in groups[Role.joint_controller]:
                self.li(*self.service_line(s, text))
                if s.joint_essence:
                    self.p(t("register.essence", text=s.joint_essence))
        if groups[Role.controller]:
            self.p(t("register.controllers"))
            for s, text in groups[Role.controller]:
                self.li(*self.service_line(s, text))
        if reg.other_recipients:
            self.p(self.tr("register.other_recipients", text=self.free(reg.other_recipients)))

    def automated(self, index: int) -> None:
        """A1: decisions by us (with the Art. 22(2) exception) and by services (Klarna)."""
        t = self.t
        rf = self.f.registers[index]
        reg = rf.register
        self.h("h3", t("register.automated"))
        if holds("register.automated_none", self.f, rf):
            self.p(t("register.automated_none"))
        for d in rf.decisions:
            if d.by:
                self.p(t("register.automated_by", service=d.by, logic=d.logic))
                continue
            self.p(self.tr("register.automated_yes",
                           logic=(d.logic, d.logic_lang) if d.logic else t("doc.not_given")))
            if d.exception is not None:
                self.p(t("register.automated_exception",
                         exception=t(f"art22.{d.exception.value}")))
        if reg.profiling:
            description = self.free(reg.profiling_description)
            self.p(self.tr("register.profiling",
                           description=description if description[0] else t("doc.not_given")))

    def retention_rule(self, rule: RetentionRule) -> list[Run]:
        t = self.t
        if rule.preset is not None:
            return [Run(t(f"retention.preset.{rule.preset.value}"))]
        what: Value = self.free(rule.what) if rule.what else (
            t(f"retention.subject.{rule.subject.value}") if rule.subject
            else t("retention.what_default"))
        reason = self.free(rule.reason)
        if rule.amount is not None and rule.unit is not None:
            amount = duration_text(rule.amount, rule.unit.value, self.lang, t)
            start = t(f"retention.from.{rule.start.value}") if rule.start else ""
            period = t("retention.period_from", amount=amount, start=start).strip()
        elif rule.start is not None:
            period = t("retention.period_until", start=t(f"retention.until.{rule.start.value}"))
        else:
            return self.tr("retention.criteria", what=what, reason=reason)
        if rule.reason:
            return self.tr("retention.rule_reason", what=what, period=period, reason=reason)
        return self.tr("retention.rule", what=what, period=period)

    def transfers(self) -> None:
        t = self.t
        self.h("h2", t("section.transfers"), "siirrot")
        if not self.f.transfers:
            if holds("transfers.none", self.f):
                self.p(t("transfers.none"))
            else:
                self.p(t("transfers.unknown"))
            return
        self.p(t("transfers.intro"))
        for tr in self.f.transfers:
            countries = _join(country_name(c, self.lang.value) for c in tr.countries)
            if tr.bases:
                bases = _join((t(f"transfers.basis.{b.value}") for b in tr.bases),
                              t("transfers.joiner"))
                self.li(t("transfers.line", service=tr.service, countries=countries, bases=bases))
            else:
                self.li(t("transfers.line_missing", service=tr.service, countries=countries))
        if holds("transfers.copy", self.f):
            self.p(t("transfers.copy"))

    def cookie_duration(self, row: CookieRow) -> str:
        if row.origin == "banner":
            return self.t("cookies.banner_duration")
        return duration_text(row.amount, row.unit, self.lang, self.t)

    def cookies(self) -> None:
        t, ck, f = self.t, self.n.cookies, self.f
        rows = f.cookie_rows
        self.h("h2", t("section.cookies"), "evasteet")
        if holds("cookies.none", f):
            self.p(t("cookies.none"))
            return
        purposes = [p for p in CookiePurpose if any(r.purpose is p for r in rows)]
        if purposes:
            self.p(t("cookies.intro", purposes=_join(
                t(f"cookies.purpose_text.{p.value}") for p in purposes)))
        else:
            self.p(t("cookies.intro_plain"))
        if f.site_needs_consent:
            if ck.mechanism in (ConsentMechanism.banner, ConsentMechanism.cmp_service):
                self.p(t(f"cookies.consent.{ck.mechanism.value}"))
            else:
                self.p(t("cookies.consent.missing"))
            if ck.withdraw is WithdrawMethod.other:
                self.p(self.tr("cookies.withdraw.other", note=self.free(ck.withdraw_note)
                               if ck.withdraw_note else t("doc.not_given")))
            elif ck.withdraw is not None:
                self.p(t(f"cookies.withdraw.{ck.withdraw.value}"))
        elif holds("cookies.consent.none", f):
            self.p(t("cookies.consent.none"))
        self.p(t("cookies.browser"))
        if ck.note:
            self.p(free_run(self.free(ck.note)))
        if rows:
            self.p(t("cookies.table_intro"))
            self.blocks.append(Block(
                "table",
                header=[t("cookies.col_name"), t("cookies.col_provider"),
                        t("cookies.col_purpose"), t("cookies.col_duration"),
                        t("cookies.col_consent")],
                rows=[[r.name, r.provider, t(f"cookies.purpose.{r.purpose.value}"),
                       self.cookie_duration(r),
                       t("cookies.consent_yes") if r.needs_consent else t("cookies.consent_no")]
                      for r in rows],
            ))
        # The wizard asks what each own cookie does; the table has no column for free text.
        for cc in ck.custom_cookies:
            if cc.description:
                self.li(cc.name + ": " if cc.name else "", free_run(self.free(cc.description)))

    def rights(self) -> None:
        t, f = self.t, self.f
        self.h("h2", t("section.rights"), "oikeudet")
        self.p(t("rights.intro"))
        for key in ("access", "rectification", "erasure", "restriction"):
            self.li(t(f"rights.{key}"))
        joiner = t("rights.list_joiner")

        def names(right: Right) -> list[Run]:
            return self.join_runs(([Run(r.name, lang=r.name_lang)]
                                   for r in f.registers_with_right(right)), joiner)

        if f.registers_with_right(Right.portability):
            self.li(self.tr("rights.portability", registers=names(Right.portability)))
        if f.registers_with_right(Right.withdraw):
            self.li(self.tr("rights.withdraw", registers=names(Right.withdraw)))
        if f.registers_with_right(Right.automated):
            self.li(t("rights.automated"))
        if holds("children.text", f):
            self.p(t("children.text"))
        channel = self.request_channel()
        if channel[0]:
            self.p(self.tr("rights.how", channel=channel))
        else:
            self.p(t("rights.how_unknown"))
        self.p(t("rights.answer"))
        self.objection()

    def objection(self) -> None:
        """Art. 21(4): the right to object, clearly and separately from other information."""
        t, f = self.t, self.f
        objectable = f.registers_with_right(Right.objection)
        marketing = f.registers_with_right(Right.objection_marketing)
        if not (objectable or marketing):
            return
        self.h("h2", t("section.objection"), "vastustaminen")
        if objectable:
            key = ("rights.objection_public_task" if holds("rights.objection_public_task", f)
                   else "rights.objection")
            self.p(self.tr(key, registers=self.join_runs(
                ([Run(r.name, lang=r.name_lang)] for r in objectable), t("rights.list_joiner"))))
        if marketing:
            self.p(t("rights.objection_marketing"))
        self.p(t("rights.objection_how"))

    def request_channel(self) -> Free:
        if self.n.request_instructions:
            return self.free(self.n.request_instructions)
        return self.n.privacy_contact.email or self.n.controller.email, None

    def complaint(self) -> None:
        t = self.t
        self.h("h2", t("section.complaint"), "valitus")
        self.p(t("complaint.text"))
        self.li(t("complaint.authority"))
        for key in ("visiting", "postal", "phone"):
            self.li(t(f"complaint.{key}"))
        self.li(f"{t('controller.email')}: ", Run(AUTHORITY_EMAIL, f"mailto:{AUTHORITY_EMAIL}"))
        web = AUTHORITY_WEB[self.lang]
        self.li(f"{t('controller.website')}: ", Run(web, web))

    def changes(self) -> None:
        t = self.t
        self.h("h2", t("section.changes"), "muutokset")
        self.p(t("changes.further"))
        self.p(t("changes.updates"))
        if self.n.show_change_log and self.n.versions:
            self.change_log()

    def change_log(self) -> None:
        """The published versions and what changed in each, newest first (opt-in)."""
        from seloste.versions import change_log  # only a notice with a change log needs it

        ct = Texts("seloste.changes_texts", self.lang)
        self.h("h3", ct("log_heading"))
        for entry in change_log(self.n, self.lang.value):
            day = format_day(entry.published, self.lang)
            self.p(ct("log_entry_label", date=day, label=entry.label) if entry.label
                   else ct("log_entry", date=day))
            for line in entry.changes or [ct("first")]:
                self.li(line)


def _given(person: Person) -> bool:
    """Any detail of a contact makes its section: an address alone must not vanish."""
    return bool(person.name or person.email or person.phone or person.address)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listing(keyed: list[str], typed: list[Free]) -> list[Run]:
    """A sentence listing translated keys, then the user's own items exactly as typed."""
    typed = [item for item in typed if item[0]]
    if not keyed and not typed:
        return []
    runs: list[Run] = [Run(_capitalize(_join(keyed)))] if keyed else []
    for item in typed:
        if runs:
            runs.append(Run(", "))
        runs.append(free_run(item))
    if not typed:
        runs.append(Run("."))
    return _merge(runs)


def _runs(parts: Iterable[Run | str | list[Run]]) -> list[Run]:
    out: list[Run] = []
    for part in parts:
        if isinstance(part, list):
            out += part
        else:
            out.append(part if isinstance(part, Run) else Run(part))
    return _merge(out)


def _merge(runs: list[Run]) -> list[Run]:
    """Neighbouring plain runs of the same language as one (the output stays as it was)."""
    out: list[Run] = []
    for run in runs:
        if (out and not run.url and not out[-1].url and run.lang == out[-1].lang):
            out[-1] = Run(out[-1].text + run.text, lang=run.lang)
        elif run.text or run.url:
            out.append(run)
    return out


def build_document(notice: Notice, lang: Lang | str | None = None) -> Document:
    """The notice's content in `lang` (default: the notice's own language)."""
    return _Builder(notice, Lang(lang) if lang else notice.language).build()
