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
from babel.lists import format_list

from seloste.claims import holds
from seloste.facts import (
    CookieRow,
    RegisterFacts,
    ServiceFacts,
    notice_facts,
)
from seloste.geo import country_name
from seloste.i18n import Texts, lower_first
from seloste.localized import LocalizedLong, LocalizedShort, fallback_order, text_for
from seloste.model import Notice, Person, Register, RetentionRule
from seloste.vocab import (
    ConsentMechanism,
    DurationUnit,
    Lang,
    LegalBasis,
    Requirement,
    RetentionPreset,
    Right,
    Role,
    Source,
    TransferBasis,
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

#: The Art. 13/14 item ids (docs/items.md) a block serves; `seloste stats` reads them to show the
#: reading order of the notice and where the rights are first mentioned.
ItemId = Literal["", "C1", "C2", "P1", "P2", "D1", "R1", "T1", "S1", "RT", "W1", "K1", "O1",
                 "SRC", "A1", "F1", "cookies", "summary"]


@dataclass(frozen=True)
class Run:
    text: str
    url: str = ""
    """An external address, or ``#anchor`` for a section of this notice."""
    strong: bool = False
    lang: Lang | None = None
    """The language of this run when it is not the document's: a free-text answer not yet
    written in the notice language, printed in the language it has (HTML ``lang``, DOCX
    ``w:lang``; WCAG 2.1 SC 3.1.2)."""


#: A free-text answer as printed: the text and its language when that is a fallback.
Free = tuple[str, Lang | None]
#: What a clause placeholder can take: plain text, a free-text answer, or ready-made runs.
Value = str | Free | list[Run]
#: A list item's own "and", and the wider link a list then ends with (see `listing`).
_AND: dict[str, str] = {"fi": " ja ", "sv": " och ", "en": " and "}
_AS_WELL_AS: dict[str, str] = {"fi": "sekä", "sv": "samt", "en": "as well as"}
_TOKEN = re.compile(r"(\x00\d+\x00)")


def _sentence_list(lang: str, parts: list[str], texts: list[str]) -> str:
    """``parts`` joined as a sentence's list ("a, b ja c"). When one of ``texts`` (what the
    parts say; for `listing_runs` the parts are placeholders) has an "and" of its own, the
    list ends with "sekä"/"samt"/"as well as" instead; English lists of three or more already
    end with the serial comma (", and invoicing and accounting"), which says it in one word."""
    wide = len(parts) == 2 or (len(parts) > 2 and lang != "en")
    if wide and any(_AND[lang] in f" {x} " for x in texts):
        return f"{', '.join(parts[:-1])} {_AS_WELL_AS[lang]} {parts[-1]}"
    return str(format_list(parts, locale=lang))


def free_run(value: Free, strong: bool = False) -> Run:
    """A free-text answer as one run, marked with its own language when it is a fallback."""
    return Run(value[0], strong=strong, lang=value[1])


@dataclass
class Block:
    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    anchor: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    cells: list[list[list[Run]]] = field(default_factory=list)
    """The table's body cells as runs (`rows` is their text): an answer shown in its fallback
    language keeps its language mark inside a table too."""
    entries: list[tuple[str, str]] = field(default_factory=list)
    entry_runs: list[list[Run]] = field(default_factory=list)
    """The toc entries' texts as runs (a register name may be a marked fallback)."""
    caption: str = ""
    """A table's caption (HTML <caption>, a bold line in Markdown and DOCX)."""
    widths: list[int] = field(default_factory=list)
    """A table's relative column widths (DOCX lays them out on the A4 text width)."""
    box: bool = False
    """Part of the first layer, which every format sets apart (a shaded box in DOCX)."""
    item: ItemId = ""

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
                if b.caption:
                    lines.append(b.caption)
                lines += [" | ".join(b.header)] + [" | ".join(r) for r in b.rows]
            elif b.kind == "toc":
                lines += [t for t, _ in b.entries]
            else:
                lines.append(b.text)
        return "\n".join(lines)

    def anchors(self) -> dict[str, str]:
        """Section anchor -> its heading text (Markdown links by the heading's slug)."""
        return {b.anchor: b.text for b in self.blocks if b.anchor}


def format_day(day: dt.date, lang: Lang) -> str:
    """d.M.yyyy in Finnish and Swedish (Babel's sv_FI short date is ISO); '4 March 2025' in en."""
    if lang is Lang.en:
        return format_date(day, "d MMMM y", locale="en")
    return format_date(day, "d.M.y", locale=lang.value)


def _join(items: Iterable[str], joiner: str = ", ") -> str:
    return joiner.join(i for i in items if i)


class _Builder:
    """Builds the layered notice: a first layer, then the detail in the order a reader asks.

    Issue #12: the first layer (who, what and why per register, who else gets the data, whether
    it leaves the EEA, how long, the rights with a link to objecting) comes first and is built
    from the same facts as the rest; purposes and recipients are tables; what is the same for
    every register (rights, security, "no automated decisions", the requirement legend) is said
    once. Which claim clause may appear is still decided by `seloste.claims.holds`.
    """

    def __init__(self, notice: Notice, lang: Lang) -> None:
        self.n = notice
        self.lang = lang
        self.t = Texts("seloste.clauses", lang)
        self.blocks: list[Block] = []
        self.f = notice_facts(notice, lang)
        self.fallbacks = fallback_order(notice.published_languages())
        self.item: ItemId = ""
        self.box = False

    # -- small helpers -------------------------------------------------------------------------
    def _add(self, block: Block) -> None:
        block.box = self.box
        if not block.item:
            block.item = self.item
        self.blocks.append(block)

    def h(self, kind: Literal["h2", "h3"], text: str | list[Run], anchor: str = "") -> None:
        runs = [Run(text)] if isinstance(text, str) else text
        self._add(Block(kind, runs, anchor=anchor))

    def p(self, *runs: Run | str | list[Run]) -> None:
        self._add(Block("p", _runs(runs)))

    def li(self, *runs: Run | str | list[Run]) -> None:
        self._add(Block("li", _runs(runs)))

    def labelled(self, label: str, *runs: Run | str | list[Run],
                 kind: Literal["p", "li"] = "p") -> None:
        """A paragraph that starts with a bold label ("Tiedot: ..."): a heading's work in two
        words, so a register reads as a short card instead of eight subsections."""
        self._add(Block(kind, _runs([Run(f"{label}: ", strong=True), *runs])))

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
            if all(r.lang is None and not r.url and not r.strong for r in runs):
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

    def table(self, caption: str, header: list[str], rows: list[list[str | list[Run]]],
              widths: list[int]) -> None:
        cells = [[[Run(c)] if isinstance(c, str) else _merge(c) for c in row] for row in rows]
        self._add(Block("table", header=header, caption=caption, widths=widths, cells=cells,
                        rows=[["".join(r.text for r in c) for c in row] for row in cells]))

    def listing(self, items: Iterable[str]) -> str:
        """Items as a sentence's list: "a, b ja c" / "a, b och c" / "a, b, and c".

        When an item has its own "and" ("laskutus ja kirjanpito", "Meta-pikseli ja Conversions
        API"), the list's last link is the language's wider one ("sekä", "samt", "as well as"):
        "a ja laskutus ja kirjanpito" does not say which "ja" joins what."""
        items = [i for i in items if i]
        return _sentence_list(self.lang.value, items, items) if items else ""

    def listing_runs(self, items: Iterable[str | Run]) -> list[Run]:
        """`listing` for items of which some are answers in a fallback language (runs)."""
        given = [i for i in items if (i.text if isinstance(i, Run) else i)]
        if not given:
            return []
        tokens = [f"\x00{n}\x00" for n in range(len(given))]
        joined = _sentence_list(self.lang.value, tokens,
                                [i.text if isinstance(i, Run) else i for i in given])
        out: list[Run] = []
        for part in _TOKEN.split(joined):
            if part in tokens:
                item = given[tokens.index(part)]
                out.append(item if isinstance(item, Run) else Run(item))
            elif part:
                out.append(Run(part))
        return _merge(out)

    def typed_item(self, value: LocalizedShort | LocalizedLong) -> Run:
        """A typed list item: lowered to join the sentence in the notice's own language, kept
        as typed (and marked) when it is a fallback in another language."""
        text, lang = self.free(value)
        return Run(text, lang=lang) if lang else Run(lower_first(text))

    def register_name(self, index: int, reg: Register) -> Free:
        """The register's name as the notice prints it (the record of processing uses it)."""
        rf = self.f.registers[index]
        return rf.name, rf.name_lang

    def names(self, registers: Iterable[RegisterFacts]) -> list[Run]:
        return self.join_runs(([Run(r.name, lang=r.name_lang)] for r in registers),
                              self.t("rights.list_joiner"))

    @property
    def several(self) -> bool:
        return len(self.f.registers) > 1

    # -- sections ------------------------------------------------------------------------------
    def build(self) -> Document:
        c = self.n.controller
        title = self.t("doc.title_for", name=c.name) if c.name else self.t("doc.title")
        self.meta()
        self.first_layer()
        toc = Block("toc")
        self.blocks.append(toc)
        self.controller()
        for rf in self.f.registers:
            self.register(rf)
        self.common()
        self.recipients()
        self.cookies()
        self.rights()
        self.objection()
        self.complaint()
        self.changes()
        heads = [b for b in self.blocks if b.kind == "h2" and not b.box]
        toc.entries = [(b.text, b.anchor) for b in heads]
        toc.entry_runs = [b.runs for b in heads]
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

    # -- the first layer -------------------------------------------------------------------------
    def first_layer(self) -> None:
        """At most ~150 words (fi): the notice in brief, every line derived from the facts."""
        t, f, c = self.t, self.f, self.n.controller
        self.box = True
        self.item = "summary"
        self.h("h2", t("layer.title"), "lyhyesti")
        email = self.n.privacy_contact.email or c.email
        who = t("layer.who", name=c.name or t("doc.not_given"))
        self.item = "C1"
        if email:
            self.p(who + " " + t("layer.contact") + " ", Run(email, f"mailto:{email}"), ".")
        elif c.phone:
            self.p(f"{who} {t('layer.contact')} {c.phone}.")
        else:
            self.p(who)
        self.item = "P1"
        if f.registers:
            self.p(Run(t("layer.what"), strong=True))
        for rf in f.registers:
            self.li(Run(rf.name, strong=True, lang=rf.name_lang), ": ",
                    self.register_summary(rf))
        self.item = "R1"
        recipients = self.recipient_summary()
        if recipients:
            self.labelled(t("layer.recipients"), recipients + ".")
        self.item = "T1"
        if f.transfers:
            countries = self.listing(dict.fromkeys(
                country_name(c, self.lang.value) for tr in f.transfers for c in tr.countries))
            self.labelled(t("layer.transfers"), countries + " (",
                          Run(t("layer.more"), "#vastaanottajat"), ").")
        elif holds("transfers.none", f):
            self.p(t("transfers.none"))
        self.item = "S1"
        longest = self.longest_retention()
        if longest:
            self.labelled(t("layer.retention"), t("layer.retention_longest", longest=longest))
        elif longest is None:
            self.labelled(t("layer.retention"), t("layer.retention_per_register"))
        self.item = "RT"
        rights = _capitalize(self.listing(
            t(f"layer.right.{r.value}") for r in self.rights_list())) + ". "
        if self.objectable():
            self.p(Run(t("layer.rights") + ": ", strong=True), rights,
                   t("layer.object_before") + " ", Run(t("layer.object_link"), "#vastustaminen"),
                   t("layer.object_after"))
        else:
            self.p(Run(t("layer.rights") + ": ", strong=True), rights, t("layer.complaint_only"))
        self.box = False
        self.item = ""

    def register_summary(self, rf: RegisterFacts) -> list[Run]:
        t = self.t
        reg = rf.register
        purposes: list[str | Run] = []
        for p in rf.purposes:
            e = p.entry
            if e.purpose:
                purposes.append(t(f"purpose_short.{e.purpose.value}"))
            elif p.description_lang:
                purposes.append(Run(p.description, lang=p.description_lang))
            else:
                purposes.append(lower_first(p.description))
        if purposes:
            return [*_capitalize_runs(self.listing_runs(purposes)), Run(".")]
        data: list[str | Run] = [t(f"data.{d.value}") for d in reg.data_categories]
        data += [self.typed_item(d) for d in reg.custom_data_categories]
        shown = self.join_runs(([d] if isinstance(d, Run) else [Run(d)] for d in data[:3]),
                               self.t("rights.list_joiner"))
        if not shown:
            return [Run(t("doc.not_given") + ".")]
        if len(data) > 3:
            shown = self.tr("layer.data_more", data=shown)
        return [*_capitalize_runs(shown), Run(".")]

    def recipient_summary(self) -> str:
        """Joint controllers first (by vendor), then the other services by name."""
        t = self.t
        joint: dict[str, list[str]] = {}
        others: list[str] = []
        for s in self.f.unique_services():
            if Role.joint_controller in s.roles:
                joint.setdefault(s.resolved.entity or s.name, []).append(s.name)
            elif s.name not in others:
                others.append(s.name)
        parts = []
        if joint:
            parts.append(t("layer.joint", names=self.listing(
                f"{entity} ({', '.join(names)})" for entity, names in joint.items())))
        if others:
            parts.append(t("layer.services", names=self.listing(others)))
        other_text = [r.register.other_recipients for r in self.f.registers
                      if r.register.other_recipients]
        if other_text and not parts:
            parts.append(t("layer.others"))
        return "; ".join(parts)

    def longest_retention(self) -> str | None:
        """The longest period any rule allows; ``""`` when no rule is given yet.

        ``None`` when some rule has no fixed maximum (kept "until you cancel", by criteria, or
        counted from an event as patient records are): a "longest is 1 year" beside a newsletter
        kept until the subscriber cancels would be untrue, so the first layer then only says
        that the periods are given per register.
        """
        best: tuple[float, str] | None = None
        scale = {DurationUnit.minutes: 1 / 43200, DurationUnit.hours: 1 / 720,
                 DurationUnit.days: 1 / 30, DurationUnit.months: 1.0, DurationUnit.years: 12.0}
        for rf in self.f.registers:
            for rule in rf.register.retention:
                if rule.preset is not None:
                    if rule.preset not in PRESET_DURATION:
                        return None
                    amount, unit = PRESET_DURATION[rule.preset]
                elif rule.amount is not None and rule.unit is not None:
                    amount, unit = rule.amount, DurationUnit(rule.unit.value)
                else:
                    return None
                months = amount * scale[unit]
                if best is None or months > best[0]:
                    best = (months, duration_text(amount, unit, self.lang, self.t))
        return best[1] if best else ""

    def objectable(self) -> bool:
        return bool(self.f.registers_with_right(Right.objection)
                    or self.f.registers_with_right(Right.objection_marketing))

    def rights_list(self) -> list[Right]:
        f = self.f
        out = [Right.access, Right.rectification, Right.erasure, Right.restriction]
        for right in (Right.portability, Right.withdraw):
            if f.registers_with_right(right):
                out.append(right)
        return out

    # -- the controller --------------------------------------------------------------------------
    def controller(self) -> None:
        t, c = self.t, self.n.controller
        self.item = "C1"
        self.h("h2", t("section.controller"), "rekisterinpitaja")
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
            self.contact(t("controller.contact"), pc)
        if self.n.dpo and _given(self.n.dpo):
            self.item = "C2"
            self.contact(t("controller.dpo"), self.n.dpo)
            self.item = "C1"
        if self.n.eu_representative and _given(self.n.eu_representative):
            self.contact(t("controller.representative"), self.n.eu_representative)

    def contact(self, label: str, person: Person) -> None:
        """A contact person; an email or phone the controller's own line already gave is not
        repeated (a one-person company's contact is usually the company's address)."""
        c = self.n.controller
        runs: list[Run | str] = []
        for part in (person.name, person.address):
            if part:
                runs.append((", " if runs else "") + part)
        if person.email and (person.email != c.email or not runs):
            runs += [", " if runs else "", Run(person.email, f"mailto:{person.email}")]
        if person.phone and (person.phone != c.phone or not runs):
            runs.append((", " if runs else "") + person.phone)
        self.labelled(label, *runs)

    # -- one register ------------------------------------------------------------------------------
    def register(self, rf: RegisterFacts) -> None:
        t, reg = self.t, rf.register
        self.item = "P1"
        self.h("h2", self.tr("section.register", name=(rf.name, rf.name_lang)),
               f"rekisteri-{rf.index + 1}")
        subjects = self.listing_runs([t(f"subject.{s.value}") for s in reg.data_subjects]
                                     + [self.typed_item(s) for s in reg.custom_data_subjects])
        # "Uutiskirjeen tilaajat" under the heading "Uutiskirjeen tilaajat" says it twice
        said = "".join(r.text for r in subjects).strip().rstrip(".").casefold()
        if subjects and said != rf.name.strip().rstrip(".").casefold():
            self.labelled(t("label.subjects"), _capitalize_runs(subjects), ".")
        self.purpose_table(rf)
        self.item = "D1"
        data = self.listing_runs([t(f"data.{d.value}") for d in reg.data_categories]
                                 + [self.typed_item(d) for d in reg.custom_data_categories])
        if data:
            self.labelled(t("label.data"), _capitalize_runs(data), ".")
        if reg.special_categories:
            cond = (t(f"art9.{reg.art9_condition.value}") if reg.art9_condition
                    else t("art9.missing"))
            cats = _join(t(f"special_category.{s.value}") for s in reg.special_categories)
            self.p(t("register.special", categories=cats, condition=cond))
        if reg.special_note:
            self.p(free_run(self.free(reg.special_note)))
        self.item = "SRC"
        if reg.sources or reg.source_details:
            sources = []
            for s in reg.sources:
                key = s.value
                if s is Source.website_automatic and holds(
                        "source.website_automatic_consent", self.f, rf):
                    key = "website_automatic_consent"
                sources.append(t(f"source.{key}"))
            runs: list[Run | str] = []
            if sources:
                runs.append(_capitalize(self.listing(sources)) + ".")
            if reg.source_details:
                runs += [" " if runs else "", free_run(self.free(reg.source_details))]
            self.labelled(t("label.sources"), *runs)
        self.item = "R1"
        self.register_recipients(rf)
        self.item = "S1"
        if not reg.retention:
            self.labelled(t("label.retention"), t("register.retention_missing"))
        else:
            self.p(Run(t("label.retention") + ":", strong=True))
        for rule in reg.retention:
            self.li(self.retention_rule(rule))
        self.item = "A1"
        self.automated(rf)
        self.item = ""

    def purpose_table(self, rf: RegisterFacts) -> None:
        """P1, P2 and O1 as one table: purpose | legal basis | must you give the data."""
        t = self.t
        # O1 applies where data is collected from the person; a requirement the user answered
        # anyway is printed too (their words are never dropped)
        direct = rf.direct or any(p.entry.requirement is not None
                                  or p.entry.requirement_consequence for p in rf.purposes)
        header = [t("table.purpose"), t("table.basis")]
        if direct:
            header.append(t("table.requirement"))
        rows = []
        for pf in rf.purposes:
            pe = pf.entry
            # the user's own description says it more exactly than the key's label
            name = ([Run(pf.description, lang=pf.description_lang)] if pf.description
                    else [Run(t(f"purpose.{pe.purpose.value}") if pe.purpose else "")])
            basis = [Run(t("table.basis_missing") if pe.basis is None
                         else t(f"basis_short.{pe.basis.value}"))]
            if pe.basis is LegalBasis.legitimate_interest:
                basis += [Run("\n"), *(
                    self.tr("register.legitimate_interest",
                            interest=(pf.interest, pf.interest_lang))
                    if pf.interest else [Run(t("register.legitimate_interest_missing"))])]
            row: list[str | list[Run]] = [name, basis]
            if direct:
                req = [Run(t("requirement.missing") if pe.requirement is None
                           else t(f"requirement_short.{pe.requirement.value}"))]
                if pe.requirement_consequence:
                    req += [Run("\n"), *self.tr("requirement.consequence",
                                                text=self.free(pe.requirement_consequence))]
                row.append(req)
            rows.append(row)
        if not rows:
            self.p(t("table.no_purposes"))
            return
        self.item = "P1"
        self.table(t("table.purposes_caption", name=rf.name), header, rows,
                   [4, 6, 3] if direct else [2, 3])

    def register_recipients(self, rf: RegisterFacts) -> None:
        t, reg = self.t, rf.register
        names = list(dict.fromkeys(s.name for s in rf.services))
        if holds("register.no_recipients", self.f, rf):
            self.labelled(t("label.recipients"), t("register.no_recipients"))
        elif not rf.recipients_answered:
            self.labelled(t("label.recipients"), t("register.recipients_missing"))
        elif names:
            self.labelled(t("label.recipients"), self.listing(names) + " (",
                          Run(t("layer.more"), "#vastaanottajat"), ").")
        if reg.other_recipients:
            self.p(self.tr("register.other_recipients", text=self.free(reg.other_recipients)))

    def automated(self, rf: RegisterFacts) -> None:
        """A1 where it differs per register: decisions by us (with the Art. 22(2) exception), by
        services (Klarna), and profiling. "No automated decisions" is said once in common()."""
        t = self.t
        reg = rf.register
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
            if rule.until is not None:  # "until <event>, but no longer than <period>"
                period = t("retention.period_until_max", maximum=period,
                           until=t(f"retention.until.{rule.until.value}"))
        elif rule.start is not None:
            period = t("retention.period_until", start=t(f"retention.until.{rule.start.value}"))
        else:
            return self.tr("retention.criteria", what=what, reason=reason)
        if rule.reason:
            return self.tr("retention.rule_reason", what=what, period=period, reason=reason)
        return self.tr("retention.rule", what=what, period=period)

    # -- said once -------------------------------------------------------------------------------
    def common(self) -> None:
        """What would otherwise repeat in every register, said once and naming the registers it
        applies to when it does not apply to all."""
        t, f = self.t, self.f
        regs = f.registers
        if not regs:
            return
        self.h("h2", t("common.title") if self.several else t("common.title_one"),
               "yhteista")
        self.item = "O1"
        # "vapaaehtoinen" in the table says all there is to say (nothing follows from not giving
        # the data; a purpose's own consequence is in its row), so the legend explains only the
        # kinds that carry a consequence (Art. 13(2)(e)): three bullets were 1/30 of the notice
        used = [r for r in Requirement if r is not Requirement.voluntary and any(
            p.entry.requirement is r for rf in regs if rf.direct for p in rf.purposes)]
        if used:
            self.p(Run(t("label.requirement") + ":", strong=True))
            for r in used:
                self.li(Run(t(f"requirement_short.{r.value}"), strong=True),
                        ": " + t(f"requirement.{r.value}"))
        self.item = "D1"
        plain = [rf for rf in regs if holds("register.special_none", f, rf)]
        if plain and len(plain) == len(regs):
            self.p(t("common.special_none") if self.several else t("register.special_none"))
        elif plain:
            self.p(self.tr("common.special_none_in", registers=self.names(plain)))
        self.item = "A1"
        none = [rf for rf in regs if holds("register.automated_none", f, rf)]
        if none and len(none) == len(regs):
            self.p(t("register.automated_none"))
        elif none:
            self.p(self.tr("common.automated_none_in", registers=self.names(none)))
        self.item = ""
        self.security()

    def security(self) -> None:
        """Security measures once for the notice. A measure that not every register has is
        still listed, and the notice says that not every measure covers every register: one
        line per register repeated the same measures (issue #12)."""
        t, regs = self.t, self.f.registers
        manual = list(dict.fromkeys(m for rf in regs for m in rf.register.security_manual))
        electronic = list(dict.fromkeys(
            m for rf in regs for m in rf.register.security_electronic))
        notes = [rf for rf in regs if rf.register.security_note]
        if not (manual or electronic or notes):
            self.labelled(t("label.security"), t("register.security_none"))
            return
        self.p(Run(t("label.security") + ":", strong=True))
        if manual:
            self.li(t("register.security_manual", measures=self.listing(
                t(f"security_manual.{m.value}") for m in manual)))
        if electronic:
            self.li(t("register.security_electronic", measures=self.listing(
                t(f"security_electronic.{m.value}") for m in electronic)))
        for rf in notes:
            note = free_run(self.free(rf.register.security_note))
            if self.several:
                self.li(Run(rf.name, strong=True, lang=rf.name_lang), ": ", note)
            else:
                self.li(note)
        uneven = any(set(rf.register.security_manual) != set(manual)
                     or set(rf.register.security_electronic) != set(electronic)
                     for rf in regs if rf.register.security_manual
                     or rf.register.security_electronic)
        if self.several and uneven:
            self.p(t("common.security_uneven"))

    # -- recipients and transfers, one table -------------------------------------------------
    def recipients(self) -> None:
        t, f = self.t, self.f
        self.item = "R1"
        self.h("h2", t("recipients.title"), "vastaanottajat")
        rows_by_key: dict[str, ServiceFacts] = {}
        for use in f.services:  # each row once, in picking order (the first pick's facts)
            rows_by_key.setdefault(_row_key(use), use)
        services = list(rows_by_key.values())

        def order(s: ServiceFacts) -> int:
            roles = s.roles
            return 0 if Role.joint_controller in roles else 1 if Role.processor in roles else 2

        services = sorted(services, key=order)
        if services:
            rows: list[list[str | list[Run]]] = []
            groups: dict[tuple[str, str, str, str, str], tuple[list[str], list[Run]]] = {}
            for s in services:
                r = s.resolved
                if r.description:
                    note, note_lang = self.free(s.use.note)
                    what = [Run(_join([r.description, "" if note_lang else note], " "))]
                else:  # the first flow's text, which already carries the user's note
                    what = [Run(_join(text for _, text in r.flows[:1]))]
                if r.extra:  # the user's note or purpose in another language, marked
                    what += [Run(" "), Run(r.extra, lang=r.extra_lang)]
                # the same service picked in several registers (or twice): the table has one
                # row for it, so the other picks' notes join this row's text
                said = {self.free(s.use.note)}
                for other in f.services:
                    if _row_key(other) != _row_key(s) or other is s:
                        continue
                    other_note = self.free(other.use.note)
                    if other_note[0] and other_note not in said:
                        said.add(other_note)
                        what += [Run(" "), free_run(other_note)]
                roles = self.listing(t(f"recipient_role.{role.value}")
                                     for role in Role if role in s.roles)
                country = country_name(r.country, self.lang.value) if r.country else ""
                # one company's services that it holds in the same role, country and transfer
                # share a row (Meta's Facebook page and Instagram account): the reader asks
                # who gets the data, and the facts would otherwise be said twice (issue #12);
                # a service without a company name is a row of its own (its place in the key)
                key = (r.entity, roles, country, self.transfer_cell(s),
                       "" if r.entity else str(len(groups)))
                if key in groups:
                    groups[key][0].append(r.name)
                    groups[key][1].extend([Run("; "), *what])
                else:
                    groups[key] = ([r.name], list(what))
            for (entity, *cells, _), (names, whats) in groups.items():
                rows.append([_join([self.listing(names), f"({entity})" if entity else ""], " "),
                             _merge(whats), *cells])
            self.item = "T1"
            self.table(t("recipients.caption"),
                       [t("recipients.col_service"), t("recipients.col_what"),
                        t("recipients.col_role"), t("recipients.col_country"),
                        t("recipients.col_transfer")], rows, [5, 4, 4, 3, 5])
            self.item = "R1"
            self.roles_legend(services)
            self.policies(services)
        self.item = "T1"
        if not f.transfers:
            if holds("transfers.none", f):
                self.p(t("transfers.none"))
            else:
                self.p(t("transfers.unknown"))
        else:
            if holds("transfers.copy", f):
                # Art. 13(1)(f): the means to get a copy of the safeguards actually relied on
                bases = {b for tr in f.transfers for b in tr.bases}
                scc, bcr = TransferBasis.scc in bases, TransferBasis.bcr in bases
                self.p(t("transfers.copy_both" if scc and bcr
                         else "transfers.copy_bcr" if bcr else "transfers.copy"))
        self.item = ""

    def transfer_cell(self, s: ServiceFacts) -> str:
        t, r = self.t, s.resolved
        if not r.transfer_countries:
            return t("recipients.no_transfer")
        countries = _join(country_name(c, self.lang.value) for c in r.transfer_countries)
        if not r.transfer_bases:
            return f"{countries}: {t('recipients.transfer_missing')}"
        return f"{countries}: " + _join(t(f"transfer_short.{b.value}") for b in r.transfer_bases)

    def roles_legend(self, services: list[ServiceFacts]) -> None:
        t, f = self.t, self.f
        # the Art. 28 claim, for the notice: every register's processors, or those confirmed
        with_processors = [rf for rf in f.registers if rf.agreements_due]
        if with_processors and all(holds("register.processors_dpa", f, rf)
                                   for rf in with_processors):
            self.p(t("register.processors_dpa"))
        elif any(holds("register.processors_dpa_some", f, rf)
                 or holds("register.processors_dpa", f, rf) for rf in with_processors):
            names = list(dict.fromkeys(s.name for rf in with_processors
                                       for s in rf.agreements_due if s.dpa_in_place))
            self.p(t("register.processors_dpa_some", names=self.listing(names)))
        # Art. 26(2): the essence of each joint arrangement, each sentence said once
        said: set[str] = set()
        essences = []
        for s in services:
            if Role.joint_controller in s.roles and s.resolved.joint_essence:
                fresh = [x for x in _sentences(s.resolved.joint_essence) if x not in said]
                said.update(fresh)
                if fresh:
                    essences.append((s.name, " ".join(fresh)))
        if essences:
            self.p(Run(t("label.essence") + ":", strong=True))
            for name, text in essences:
                self.li(Run(name, strong=True), ": " + text)

    def policies(self, services: list[ServiceFacts]) -> None:
        """The services' own privacy notices, one link per address."""
        links: dict[str, list[str]] = {}
        for s in services:
            if s.resolved.privacy_policy:
                links.setdefault(s.resolved.privacy_policy, []).append(s.name)
        if not links:
            return
        runs: list[Run | str] = []
        for url, owners in links.items():
            if runs:
                runs.append(" · ")
            # the address itself as the link's text: a printed notice cannot be clicked
            runs += [", ".join(owners) + ": ", Run(url, url)]
        self.labelled(self.t("label.policies"), *runs)

    # -- cookies ---------------------------------------------------------------------------------
    def cookie_duration(self, row: CookieRow) -> str:
        if row.origin == "banner":
            return self.t("cookies.banner_duration")
        return duration_text(row.amount, row.unit, self.lang, self.t)

    def cookie_table_rows(self, rows: list[CookieRow]) -> list[list[str | list[Run]]]:
        """One row per service and kind: a service's cookies that differ only by name share a
        row (ActiveCampaign's three marketing cookies of one year), as consent tools list
        them; a cookie with its own lifetime or purpose keeps its own row (issue #12)."""
        t = self.t
        grouped: dict[tuple[str, str, str, str], list[str]] = {}
        for r in rows:
            consent = t("cookies.consent_yes") if r.needs_consent else t("cookies.consent_no")
            key = (r.provider, t(f"cookies.purpose.{r.purpose.value}"),
                   self.cookie_duration(r), consent)
            names = grouped.setdefault(key, [])
            if r.name not in names:
                names.append(r.name)
        return [[", ".join(names), *key] for key, names in grouped.items()]

    def cookies(self) -> None:
        t, ck, f = self.t, self.n.cookies, self.f
        rows = f.cookie_rows
        self.item = "cookies"
        self.h("h2", t("section.cookies"), "evasteet")
        if holds("cookies.none", f):
            self.p(t("cookies.none"))
            self.item = ""
            return
        # what cookies are is common knowledge by now, and what ours are for is the table's
        # purpose column: the section starts with how consent is asked (issue #12)
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
        if ck.note:
            self.p(free_run(self.free(ck.note)))
        if rows:
            self.table(
                t("cookies.table_intro").rstrip(":"),
                [t("cookies.col_name"), t("cookies.col_provider"),
                 t("cookies.col_purpose"), t("cookies.col_duration"),
                 t("cookies.col_consent")],
                self.cookie_table_rows(rows),
                [5, 4, 3, 3, 3],
            )
        # The wizard asks what each own cookie does; the table has no column for free text.
        for cc in ck.custom_cookies:
            if cc.description:
                self.li(cc.name + ": " if cc.name else "", free_run(self.free(cc.description)))
        self.item = ""

    # -- rights, said once -------------------------------------------------------------------------
    def rights(self) -> None:
        t, f = self.t, self.f
        self.item = "RT"
        self.h("h2", t("section.rights"), "oikeudet")
        self.p(t("rights.intro"))
        for key in ("access", "rectification", "erasure", "restriction"):
            self.li(t(f"rights.{key}"))

        def names(right: Right) -> list[Run]:
            regs = f.registers_with_right(right)
            if len(regs) == len(f.registers) and self.several:
                return [Run(t("layout.all_registers"))]
            return self.names(regs)

        if f.registers_with_right(Right.portability):
            self.li(self.tr("rights.portability", registers=names(Right.portability)))
        if f.registers_with_right(Right.withdraw):
            self.item = "W1"
            self.li(self.tr("rights.withdraw", registers=names(Right.withdraw)))
            self.item = "RT"
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
        self.item = ""

    def objection(self) -> None:
        """Art. 21(4): the right to object, clearly and separately from other information."""
        t, f = self.t, self.f
        objectable = f.registers_with_right(Right.objection)
        marketing = f.registers_with_right(Right.objection_marketing)
        if not (objectable or marketing):
            return
        self.item = "RT"
        self.h("h2", t("section.objection"), "vastustaminen")
        if objectable:
            key = ("rights.objection_public_task" if holds("rights.objection_public_task", f)
                   else "rights.objection")
            self.p(self.tr(key, registers=self.names(objectable)))
        if marketing:
            self.p(t("rights.objection_marketing"))
        self.p(t("rights.objection_how"))
        self.item = ""

    def request_channel(self) -> Free:
        if self.n.request_instructions:
            return self.free(self.n.request_instructions)
        return self.n.privacy_contact.email or self.n.controller.email, None

    def complaint(self) -> None:
        t = self.t
        self.item = "K1"
        self.h("h2", t("section.complaint"), "valitus")
        self.p(t("complaint.text"))
        web = AUTHORITY_WEB[self.lang]
        self.p(
            Run(t("complaint.authority"), strong=True),
            " · " + t("complaint.postal"),
            f" · {t('controller.email')}: ", Run(AUTHORITY_EMAIL, f"mailto:{AUTHORITY_EMAIL}"),
            f" · {t('controller.website')}: ", Run(web, web),
        )
        self.item = ""

    def changes(self) -> None:
        t = self.t
        self.item = "F1"
        self.h("h2", t("section.changes"), "muutokset")
        self.p(t("changes.further"))
        self.p(t("layout.law"))
        if self.n.show_change_log and self.n.versions:
            self.change_log()
        self.item = ""

    def change_log(self) -> None:
        """The published versions and what changed in each, newest first (opt-in)."""
        from seloste.versions import change_log  # lazy: versions -> changes -> this module

        ct = Texts("seloste.changes_texts", self.lang)
        self.h("h3", ct("log_heading"))
        for entry in change_log(self.n, self.lang.value):
            day = format_day(entry.published, self.lang)
            self.p(ct("log_entry_label", date=day, label=entry.label) if entry.label
                   else ct("log_entry", date=day))
            for line in entry.changes or [ct("first")]:
                self.li(line)


#: Retention presets' length, for the first layer's "longest" (the texts are the clauses').
PRESET_DURATION: dict[RetentionPreset, tuple[int, DurationUnit]] = {
    RetentionPreset.accounting_vouchers: (6, DurationUnit.years),
    RetentionPreset.accounting_books: (10, DurationUnit.years),
}

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def _given(person: Person) -> bool:
    """Any detail of a contact makes its section: an address alone must not vanish."""
    return bool(person.name or person.email or person.phone or person.address)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _row_key(s: ServiceFacts) -> str:
    """One row of the recipients table per catalogue service; custom services that share a
    name but differ in what the user told about them (entity, country, policy) keep a row
    each, so nothing the user typed is lost."""
    if s.use.custom is None:
        return s.key
    return s.key + "|" + s.use.custom.model_dump_json()


def _capitalize_runs(runs: list[Run]) -> list[Run]:
    """The first run capitalised, unless it is an answer in another language (kept as typed)."""
    if not runs or runs[0].lang is not None:
        return runs
    first = runs[0]
    return [Run(_capitalize(first.text), first.url, first.strong, first.lang), *runs[1:]]


def _runs(parts: Iterable[Run | str | list[Run]]) -> list[Run]:
    out: list[Run] = []
    for part in parts:
        if isinstance(part, list):
            out += part
        else:
            out.append(part if isinstance(part, Run) else Run(part))
    return _merge(out)


def _merge(runs: list[Run]) -> list[Run]:
    """Neighbouring plain runs of the same language and weight as one."""
    out: list[Run] = []
    for run in runs:
        if (out and not run.url and not out[-1].url and run.lang == out[-1].lang
                and run.strong == out[-1].strong):
            out[-1] = Run(out[-1].text + run.text, strong=run.strong, lang=run.lang)
        elif run.text or run.url:
            out.append(run)
    return out


def build_document(notice: Notice, lang: Lang | str | None = None) -> Document:
    """The notice's content in `lang` (default: the notice's own language)."""
    return _Builder(notice, Lang(lang) if lang else notice.language).build()
