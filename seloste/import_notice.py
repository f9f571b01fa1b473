"""Start from the old notice: what a new draft can take from the text of an old one.

Most small companies already have a notice (often a 2019 template citing the repealed
Henkilötietolaki 523/1999). The lint reads it for problems; this module reads the same text for
*answers*: the company's name, Y-tunnus (checked with python-stdnum), address, email, phone and
website, the contact person, the registers by their "Rekisterin nimi" headings and the
catalogue services the lint recognises. Each is only a proposal: the start page lists what was
found and what was not, and `draft_from` takes only the items the user ticked. No Streamlit
here; the text is extracted by `seloste.extract` (bounded) in the caller's isolated worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.fi import ytunnus

from seloste.extract import check_text_budget, extract_text
from seloste.lint import LintReport, lint_text, recognise_services
from seloste.localized import LocalizedShort
from seloste.model import Controller, Notice, Person, Register, ServiceUse
from seloste.vocab import Lang

#: The answers a notice's text can give, in the order the start page lists them.
FIELDS = ("controller.name", "controller.business_id", "controller.street",
          "controller.postal_code", "controller.city", "controller.email", "controller.phone",
          "controller.website", "privacy_contact.name", "privacy_contact.email",
          "privacy_contact.phone")

_COMPANY = re.compile(
    r"([A-ZÅÄÖ][\w&.\-]*(?:[ \t]+[\w&.\-]+){0,4}?[ \t]+(?:Oyj|Oy|OY|Ab|AB|Ky|KY|Tmi|ry|Ay))\b")
_BUSINESS_ID = re.compile(r"(?<!\d)(\d{7}-\d)(?!\d)")
_POSTAL = re.compile(r"^\s*(\d{5})[ \t]+([A-ZÅÄÖ][\w\-]+)\s*$", re.MULTILINE)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_AT_WORDS = re.compile(r"\s+(?:at-merkki|\(at\)|\[at\]|ät-merkki|at)\s+", re.IGNORECASE)
_WEBSITE = re.compile(r"\b(?:https?://)?(www\.[\w\-]+(?:\.[\w\-]+)+)", re.IGNORECASE)
_CONTACT_HEADING = re.compile(r"yhteyshenkil|kontaktperson|contact person", re.IGNORECASE)
_REGISTER_HEADING = re.compile(r"^\s*(rekisterin nimi|registrets namn|name of the register)\s*$",
                               re.IGNORECASE)
_BULLET = re.compile(r"^\s*[•\-*–]\s*(.+)$")
_PERSON = re.compile(r"^[A-ZÅÄÖ][a-zåäöé\-]+(?:\s+[A-ZÅÄÖ][a-zåäöé\-]+){1,3}$")


@dataclass
class ImportedNotice:
    """What the old notice's text proposes, and what it does not say."""

    found: dict[str, str] = field(default_factory=dict)
    """Field path (FIELDS) -> the value found in the text."""
    registers: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    """Catalogue ids the lint recognises in the text."""

    @property
    def missing(self) -> list[str]:
        return [f for f in FIELDS if f not in self.found]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _business_id(text: str) -> tuple[str, int] | None:
    for m in _BUSINESS_ID.finditer(text):
        if ytunnus.is_valid(m.group(1)):
            return ytunnus.format(m.group(1)), m.start()
    return None


def _company(text: str, near: int | None) -> str | None:
    if near is not None:
        start = text.rfind("\n", 0, near) + 1
        line = text[start:near]
        names = _COMPANY.findall(line)
        if names:
            return str(names[-1]).strip()
    m = _COMPANY.search(text)
    return m.group(1).strip() if m else None


def _address(text: str) -> dict[str, str]:
    m = _POSTAL.search(text)
    if m is None:
        return {}
    found = {"controller.postal_code": m.group(1), "controller.city": m.group(2)}
    before = [line for line in _lines(text[:m.start()]) if line]
    if before and re.search(r"\d", before[-1]) and not _BUSINESS_ID.search(before[-1]):
        found["controller.street"] = before[-1]
    return found


def _emails(text: str) -> list[str]:
    deobfuscated = _AT_WORDS.sub("@", text)
    emails: list[str] = []
    for m in _EMAIL.finditer(deobfuscated):
        try:
            address = validate_email(m.group(0), check_deliverability=False).normalized
        except EmailNotValidError:
            continue
        if address not in emails:
            emails.append(address)
    return emails


def _phone(text: str) -> str | None:
    for match in phonenumbers.PhoneNumberMatcher(text, "FI"):
        return " ".join(str(match.raw_string).split())
    return None


def _contact_name(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        if _CONTACT_HEADING.search(line):
            for following in lines[i + 1:i + 4]:
                if _PERSON.match(following):
                    return following
    return None


def _registers(lines: list[str]) -> list[str]:
    names: list[str] = []
    for i, line in enumerate(lines):
        if not _REGISTER_HEADING.match(line):
            continue
        rest = [x for x in lines[i + 1:i + 12] if x]
        bullets = []
        intro = bool(rest) and not _BULLET.match(rest[0]) and rest[0].endswith(":")
        for x in rest[1:] if intro else rest:
            m = _BULLET.match(x)
            if m is None:
                break
            bullets.append(m.group(1).strip())
        candidates = bullets or rest[:1]
        for name in candidates:
            name = name.split(",")[0].strip()
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    return names


def read_notice(text: str) -> ImportedNotice:
    """Everything the old notice's text proposes for a new draft."""
    result = ImportedNotice()
    lines = _lines(text)
    bid = _business_id(text)
    if bid is not None:
        result.found["controller.business_id"] = bid[0]
    name = _company(text, bid[1] if bid else None)
    if name:
        result.found["controller.name"] = name
    result.found.update(_address(text))
    emails = _emails(text)
    if emails:
        result.found["controller.email"] = emails[0]
        result.found["privacy_contact.email"] = emails[0]
    phone = _phone(text)
    if phone:
        result.found["controller.phone"] = phone
        result.found["privacy_contact.phone"] = phone
    site = _WEBSITE.search(text)
    if site:
        result.found["controller.website"] = "https://" + site.group(1).lower()
    person = _contact_name(lines)
    if person:
        result.found["privacy_contact.name"] = person
    result.registers = _registers(lines)
    result.services = recognise_services(text)
    return result


def draft_from(imported: ImportedNotice, fields: set[str], registers: set[str],
               services: set[str], lang: Lang = Lang.fi) -> Notice:
    """A new draft with only the proposals the user confirmed.

    Confirmed services go to the first confirmed register (where the user can move them); with
    no register confirmed they wait for one.
    """
    controller = {k.split(".", 1)[1]: v for k, v in imported.found.items()
                  if k in fields and k.startswith("controller.")}
    contact = {k.split(".", 1)[1]: v for k, v in imported.found.items()
               if k in fields and k.startswith("privacy_contact.")}
    regs = [Register(name=LocalizedShort.of(lang, n)) for n in imported.registers if n in registers]
    uses = [ServiceUse(catalogue_id=s) for s in imported.services if s in services]
    if regs and uses:
        regs[0] = regs[0].model_copy(update={"services": uses})
    return Notice(language=lang, controller=Controller(**controller),
                  privacy_contact=Person(**contact), registers=regs)


def read_file(data: bytes, filename: str) -> tuple[ImportedNotice, LintReport]:
    """Extract (bounded), read and lint an uploaded old notice: run it in `run_isolated`."""
    text = extract_text(data, filename)
    return read_notice(text), lint_text(text)


def read_pasted(text: str) -> tuple[ImportedNotice, LintReport]:
    """Read and lint a pasted old notice (the text budget is checked first)."""
    check_text_budget(text)
    return read_notice(text), lint_text(text)
