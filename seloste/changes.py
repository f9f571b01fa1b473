"""What changed between two versions of a notice, in sentences a customer understands.

"Uutena palveluna Mailchimp (Yhdysvallat)" rather than "registers[1].services[2] added": the
list is shown on the review step before publishing, printed (optionally) as the notice's change
history and given by `seloste diff`. It compares what the reader of the *notice* sees: record-
only answers (who has access, where data is) are internal and never listed here, and neither is
the notice's language (one set of answers renders in every language).

Services, transfers and cookie rows are compared on the facts layer (`seloste.facts`, what the
notice itself prints), keyed by catalogue id, so renaming a custom service reads as one
service leaving and one arriving, and a vendor's own change of catalogue text is not a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum

from seloste.facts import NoticeFacts, RegisterFacts, TransferFacts, notice_facts
from seloste.geo import country_name
from seloste.i18n import Texts
from seloste.localized import LocalizedShort
from seloste.model import Notice, Person, PurposeEntry, Register, RetentionRule
from seloste.vocab import Lang, Role
from seloste.wording import duration_text


def _person(person: Person | None) -> str:
    if person is None:
        return ""
    return ", ".join(x for x in (person.name, person.email, person.phone, person.address) if x)


class _Differ:
    def __init__(self, old: Notice, new: Notice, lang: Lang) -> None:
        self.lang = lang
        self.t = Texts("seloste.changes_texts", lang)
        self.c = Texts("seloste.clauses", lang)
        self.old, self.new = old, new
        self.fo: NoticeFacts = notice_facts(old, lang)
        self.fn: NoticeFacts = notice_facts(new, lang)
        self.out: list[str] = []

    # -- helpers -------------------------------------------------------------------------------
    def say(self, key: str, **values: str) -> None:
        self.out.append(self.t(key, **values))

    def items(self, values: Iterable[str]) -> str:
        return ", ".join(values)

    def value(self, what: str, old: str, new: str) -> None:
        if old == new:
            return
        if not old:
            self.say("added", what=what, new=new)
        elif not new:
            self.say("removed", what=what, old=old)
        else:
            self.say("changed", what=what, old=old, new=new)

    def text(self, what: str, old: object, new: object) -> None:
        """Free text is only said to have changed: quoting paragraphs helps nobody.

        A localized answer changed when any language's text changed (a new translation too)."""
        if old != new:
            self.say("text_changed", what=what)

    def country(self, code: str) -> str:
        return country_name(code, self.lang.value) if code else ""

    def keyed(self, prefix: str, values: Sequence[Enum], typed: Sequence[LocalizedShort] = ()
              ) -> list[str]:
        return [self.c(f"{prefix}.{v.value}") for v in values] + [
            x.pick(self.lang) for x in typed]

    def sets(self, register: str, key: str, old: list[str], new: list[str]) -> None:
        added = [x for x in new if x not in old]
        removed = [x for x in old if x not in new]
        if added:
            self.say(f"{key}_added", register=register, items=self.items(added))
        if removed:
            self.say(f"{key}_removed", register=register, items=self.items(removed))

    # -- the notice ------------------------------------------------------------------------------
    def run(self) -> list[str]:
        self.controller()
        self.registers()
        self.services()
        self.transfers()
        self.cookies()
        return self.out

    def controller(self) -> None:
        o, n = self.old.controller, self.new.controller
        f = "field."
        self.value(self.t(f + "controller_name"), o.name, n.name)
        self.value(self.t(f + "business_id"), o.business_id, n.business_id)
        addr_o = ", ".join(x for x in (o.street, o.postal_code, o.city) if x)
        addr_n = ", ".join(x for x in (n.street, n.postal_code, n.city) if x)
        self.value(self.t(f + "address"), addr_o, addr_n)
        self.value(self.t(f + "controller_email"), o.email, n.email)
        self.value(self.t(f + "controller_phone"), o.phone, n.phone)
        self.value(self.t(f + "website"), o.website, n.website)
        for key in ("privacy_contact", "dpo", "eu_representative"):
            self.value(self.t(f + key), _person(getattr(self.old, key)),
                       _person(getattr(self.new, key)))
        self.text(self.t(f + "request_instructions"), self.old.request_instructions,
                  self.new.request_instructions)
        if self.old.cookies.uses_cookies != self.new.cookies.uses_cookies:
            self.say("cookies_on" if self.new.cookies.uses_cookies else "cookies_off")
        if self.old.targets_children != self.new.targets_children:
            self.say("children_on" if self.new.targets_children else "children_off")

    def register_name(self, reg: RegisterFacts) -> str:
        return (reg.register.name.pick(self.lang)
                or self.c("doc.unnamed_register", number=reg.index + 1))

    def pairs(self) -> list[tuple[RegisterFacts | None, RegisterFacts | None]]:
        """Registers matched by name; the rest in order, so a renamed register is a rename."""
        old = list(self.fo.registers)
        new = list(self.fn.registers)
        matched: list[tuple[RegisterFacts | None, RegisterFacts | None]] = []
        for n in list(new):
            o = next((o for o in old if self.register_name(o) == self.register_name(n)), None)
            if o is not None:
                matched.append((o, n))
                old.remove(o)
                new.remove(n)
        while old and new:
            matched.append((old.pop(0), new.pop(0)))
        matched += [(o, None) for o in old] + [(None, n) for n in new]
        return matched

    def registers(self) -> None:
        for o, n in self.pairs():
            if o is None:
                assert n is not None
                self.say("register_added", name=self.register_name(n))
            elif n is None:
                self.say("register_removed", name=self.register_name(o))
            else:
                name_o, name_n = self.register_name(o), self.register_name(n)
                self.value(self.t("field.register_name"), name_o, name_n)
                self.register(name_n, o.register, n.register)

    def purpose_name(self, pe: PurposeEntry) -> str:
        return ": ".join(x for x in (self.c(f"purpose.{pe.purpose.value}") if pe.purpose else "",
                                     pe.description.pick(self.lang)) if x)

    def basis(self, pe: PurposeEntry) -> str:
        return self.t(f"basis.{pe.basis.value}") if pe.basis else self.t("no_basis")

    def register(self, name: str, o: Register, n: Register) -> None:
        self.sets(name, "subjects", self.keyed("subject", o.data_subjects,
                                               o.custom_data_subjects),
                  self.keyed("subject", n.data_subjects, n.custom_data_subjects))
        old_p = {self.purpose_name(p): p for p in o.purposes}
        new_p = {self.purpose_name(p): p for p in n.purposes}
        for key, pe in new_p.items():
            if key not in old_p:
                self.say("purpose_added", register=name, purpose=key, basis=self.basis(pe))
            else:
                before = old_p[key]
                if before.basis != pe.basis:
                    self.say("basis_changed", register=name, purpose=key,
                             old=self.basis(before), new=self.basis(pe))
                self.text(self.t("field.legitimate_interest", register=name, purpose=key),
                          before.legitimate_interest, pe.legitimate_interest)
        for key in old_p:
            if key not in new_p:
                self.say("purpose_removed", register=name, purpose=key)
        self.sets(name, "data", self.keyed("data", o.data_categories,
                                           o.custom_data_categories),
                  self.keyed("data", n.data_categories, n.custom_data_categories))
        self.sets(name, "special", self.keyed("special_category", o.special_categories),
                  self.keyed("special_category", n.special_categories))
        self.sets(name, "sources", self.keyed("source", o.sources),
                  self.keyed("source", n.sources))
        self.sets(name, "security",
                  self.keyed("security_manual", o.security_manual)
                  + self.keyed("security_electronic", o.security_electronic),
                  self.keyed("security_manual", n.security_manual)
                  + self.keyed("security_electronic", n.security_electronic))
        if o.automated_decisions != n.automated_decisions:
            self.say("automated_on" if n.automated_decisions else "automated_off", register=name)
        if o.profiling != n.profiling:
            self.say("profiling_on" if n.profiling else "profiling_off", register=name)
        self.retention(o.retention, n.retention)
        for field in ("source_details", "other_recipients",
                      "special_note", "security_note", "automated_logic",
                      "profiling_description"):
            self.text(self.t(f"field.{field}", register=name), getattr(o, field),
                      getattr(n, field))

    # -- retention -------------------------------------------------------------------------------
    def rule_key(self, rule: RetentionRule) -> str:
        if rule.preset is not None:
            return f"preset:{rule.preset.value}"
        if rule.what:
            return f"what:{rule.what.pick(Lang.fi)}"
        return f"subject:{rule.subject.value}" if rule.subject else "default"

    def rule_what(self, rule: RetentionRule) -> str:
        c = self.c
        if rule.preset is not None:
            return c(f"retention.preset.{rule.preset.value}").split(":", 1)[0]
        if rule.what:
            return rule.what.pick(self.lang)
        return (c(f"retention.subject.{rule.subject.value}") if rule.subject
                else c("retention.what_default"))

    def period(self, rule: RetentionRule) -> str:
        c = self.c
        if rule.preset is not None:
            return c(f"retention.preset.{rule.preset.value}").split(":", 1)[-1].strip()
        if rule.amount is not None and rule.unit is not None:
            amount = duration_text(rule.amount, rule.unit.value, self.lang, c)
            start = c(f"retention.from.{rule.start.value}") if rule.start else ""
            period = c("retention.period_from", amount=amount, start=start).strip()
            if rule.until is not None:
                return c("retention.period_until_max", maximum=period,
                         until=c(f"retention.until.{rule.until.value}"))
            return period
        if rule.start is not None:
            return c("retention.period_until", start=c(f"retention.until.{rule.start.value}"))
        return rule.reason.pick(self.lang)

    def retention(self, old: list[RetentionRule], new: list[RetentionRule]) -> None:
        o = {self.rule_key(r): r for r in old}
        n = {self.rule_key(r): r for r in new}
        for key, rule in n.items():
            if key not in o:
                self.say("retention_added", what=self.rule_what(rule), new=self.period(rule))
            elif self.period(o[key]) != self.period(rule):
                self.say("retention_changed", what=self.rule_what(rule),
                         old=self.period(o[key]), new=self.period(rule))
        for key, rule in o.items():
            if key not in n:
                self.say("retention_removed", what=self.rule_what(rule), old=self.period(rule))

    # -- services, transfers, cookies ------------------------------------------------------------
    def roles(self, roles: set[Role]) -> str:
        return self.t("and").join(self.c(f"recipient_role.{r.value}") for r in Role
                                  if r in roles)

    def services(self) -> None:
        def index(facts: NoticeFacts) -> dict[str, set[Role]]:
            found: dict[str, set[Role]] = {}
            for reg in facts.registers:
                for s in reg.services:
                    found.setdefault(s.key, set()).update(s.resolved.roles())
            return found

        def names(facts: NoticeFacts) -> dict[str, tuple[str, str]]:
            return {s.key: (s.resolved.name, s.resolved.country)
                    for reg in facts.registers for s in reg.services}

        old, new = index(self.fo), index(self.fn)
        old_names, new_names = names(self.fo), names(self.fn)
        for key, roles in new.items():
            name, country = new_names[key]
            if key not in old:
                if country:
                    self.say("service_added", name=name, country=self.country(country))
                else:
                    self.say("service_added_plain", name=name)
            elif old[key] != roles:
                self.say("role_changed", name=name, old=self.roles(old[key]),
                         new=self.roles(roles))
        for key in old:
            if key not in new:
                self.say("service_removed", name=old_names[key][0])

    def transfers(self) -> None:
        old = {t.key: t for t in self.fo.transfers}
        new = {t.key: t for t in self.fn.transfers}

        def bases(tr: TransferFacts) -> str:
            return self.t("and").join(self.t(f"transfer_basis.{b.value}") for b in tr.bases)

        for key, tr in new.items():
            countries = ", ".join(self.country(c) for c in tr.countries)
            if key not in old:
                if tr.bases:
                    self.say("transfer_added", service=tr.service, countries=countries,
                             bases=bases(tr))
                else:
                    self.say("transfer_added_missing", service=tr.service, countries=countries)
                continue
            before = old[key]
            if before.countries != tr.countries:
                self.say("transfer_countries", service=tr.service, new=countries,
                         old=", ".join(self.country(c) for c in before.countries))
            if before.bases != tr.bases:
                self.say("transfer_changed", service=tr.service,
                         old=bases(before) or self.t("not_set"), new=bases(tr) or self.t("not_set"))
        for key, tr in old.items():
            if key not in new:
                self.say("transfer_removed", service=tr.service)

    def cookies(self) -> None:
        # The services' and the company's own cookies; the consent banner's row follows the
        # answers about consent, which are listed as such.
        rows_old = [r for r in self.fo.cookie_rows if r.origin != "banner"]
        rows_new = [r for r in self.fn.cookie_rows if r.origin != "banner"]
        old = {(r.provider, r.name) for r in rows_old}
        new = {(r.provider, r.name) for r in rows_new}
        for r in rows_new:
            if (r.provider, r.name) not in old:
                self.say("cookie_added", name=r.name, provider=r.provider or self.t("not_set"))
        for r in rows_old:
            if (r.provider, r.name) not in new:
                self.say("cookie_removed", name=r.name, provider=r.provider or self.t("not_set"))


def describe_changes(old: Notice, new: Notice, lang: Lang | str | None = None) -> list[str]:
    """One sentence per change from `old` to `new`, in `lang` (default: the new notice's)."""
    return _Differ(old, new, Lang(lang or new.language)).run()


def format_changes(changes: list[str], lang: Lang | str) -> str:
    """The change list as plain text, one line each (what `seloste diff` prints)."""
    if not changes:
        return Texts("seloste.changes_texts", lang)("none") + "\n"
    return "".join(f"- {line}\n" for line in changes)
