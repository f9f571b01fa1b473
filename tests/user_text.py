"""Which strings a user typed must appear, verbatim, in every rendered notice.

The output tests (real clients, Hypothesis) compare a rendered file with the draft it came from.
"Every text field" is not quite right: some fields only mean something together with a choice
(a legitimate interest only when that is the basis, the logic of automated decisions only when
there are some), and a retention preset renders whole from the clause library. This module says
which fields the notice must show for a given draft; anything else a user typed is a loss.
"""

from __future__ import annotations

from seloste.examples import load_example
from seloste.facts import notice_facts
from seloste.i18n import lower_first
from seloste.localized import LocalizedLong, LocalizedShort, fallback_order, text_for
from seloste.model import CookieSettings, Notice, Person, Register
from seloste.recipients import resolve
from seloste.vocab import Lang, LegalBasis, WithdrawMethod


def _person(path: str, person: Person | None) -> list[tuple[str, str]]:
    if person is None:
        return []
    return [(f"{path}.{k}", v) for k, v in (("name", person.name), ("email", person.email),
                                             ("phone", person.phone),
                                             ("address", person.address)) if v]


def _register(i: int, reg: Register) -> list[tuple[str, str]]:
    p = f"registers.{i}"
    out = [(f"{p}.name", reg.name)]
    # typed list items join the notice's own lists, first letter lowered (issue #12)
    out += [(f"{p}.custom_data_subjects.{j}", s)
            for j, s in enumerate(reg.custom_data_subjects)]
    out += [(f"{p}.custom_data_categories.{j}", s)
            for j, s in enumerate(reg.custom_data_categories)]
    for j, pe in enumerate(reg.purposes):
        out.append((f"{p}.purposes.{j}.description", pe.description))
        if pe.requirement is not None:
            out.append((f"{p}.purposes.{j}.requirement_consequence",
                        pe.requirement_consequence))
        if pe.basis is LegalBasis.legitimate_interest:
            out.append((f"{p}.purposes.{j}.legitimate_interest", pe.legitimate_interest))
    for name in ("special_note", "source_details", "other_recipients", "security_note"):
        out.append((f"{p}.{name}", getattr(reg, name)))
    for j, use in enumerate(reg.services):
        q = f"{p}.services.{j}"
        out.append((f"{q}.note", use.note))
        if use.custom is not None:
            c = use.custom
            out += [(f"{q}.custom.name", c.name), (f"{q}.custom.entity", c.entity),
                    (f"{q}.custom.purpose", c.purpose),
                    (f"{q}.custom.privacy_policy", c.privacy_policy)]
    for j, rule in enumerate(reg.retention):
        if rule.preset is None:  # a preset renders whole from the clause library
            out += [(f"{p}.retention.{j}.what", rule.what),
                    (f"{p}.retention.{j}.reason", rule.reason)]
    if reg.automated_decisions:
        out.append((f"{p}.automated_logic", reg.automated_logic))
    if reg.profiling:
        out.append((f"{p}.profiling_description", reg.profiling_description))
    return out


def _needs_consent(notice: Notice) -> bool:
    return notice_facts(notice).site_needs_consent


def _has_cookie_rows(notice: Notice) -> bool:
    return bool(notice.cookies.custom_cookies) or any(
        resolve(use, notice.language).cookies for use in notice.all_services())


def _cookies(notice: Notice) -> list[tuple[str, str]]:
    ck: CookieSettings = notice.cookies
    if not (ck.uses_cookies or _has_cookie_rows(notice)):
        return []  # "we use no cookies": the rest of the cookie answers do not apply
    out = [("cookies.note", ck.note)]
    if ck.withdraw is WithdrawMethod.other and _needs_consent(notice):
        out.append(("cookies.withdraw_note", ck.withdraw_note))
    for j, c in enumerate(ck.custom_cookies):
        out += [(f"cookies.custom_cookies.{j}.name", c.name),
                (f"cookies.custom_cookies.{j}.provider", c.provider),
                (f"cookies.custom_cookies.{j}.description", c.description)]
    return out


def expected_strings(notice: Notice, lang: Lang | str | None = None) -> list[tuple[str, str]]:
    """(field path, cleaned value) of every non-empty user string the notice must show.

    A free-text answer counts in ``lang`` (default: the notice's language), or in the fallback
    the renderer uses when it has no text in that language."""
    c = notice.controller
    out = [(f"controller.{k}", getattr(c, k)) for k in (
        "name", "business_id", "street", "postal_code", "city", "email", "phone", "website")]
    out += _person("privacy_contact", notice.privacy_contact)
    out += _person("dpo", notice.dpo)
    out += _person("eu_representative", notice.eu_representative)
    out += [("version_label", notice.version_label),
            ("request_instructions", notice.request_instructions)]
    for i, reg in enumerate(notice.registers):
        out += _register(i, reg)
    out += _cookies(notice)
    fallbacks = fallback_order(notice.published_languages())
    want = Lang(lang) if lang else notice.language
    # the first typed item that shows (empty ones are left out) opens the sentence when the
    # register has no listed choices before it
    first_items: set[str] = set()
    for i, reg in enumerate(notice.registers):
        for kind, keyed, typed in (("subjects", reg.data_subjects, reg.custom_data_subjects),
                                   ("categories", reg.data_categories,
                                    reg.custom_data_categories)):
            shown = [j for j, v in enumerate(typed) if text_for(v, want, fallbacks)[0]]
            if not keyed and shown:
                first_items.add(f"registers.{i}.custom_data_{kind}.{shown[0]}")

    def plain(path: str, value: object) -> str:
        fallback = None
        if isinstance(value, LocalizedShort | LocalizedLong):
            text, fallback = text_for(value, want, fallbacks)
        else:
            text = str(value) if value else ""
        if fallback is not None:
            return text  # shown in its own language as typed, marked
        # typed list items join the notice's own lists, first letter lowered (issue #12); the
        # list's first item starts the sentence, capitalised
        if ".custom_data_" not in path:
            return text
        lowered = lower_first(text)
        return lowered[:1].upper() + lowered[1:] if path in first_items else lowered

    return [(path, plain(path, value)) for path, value in out if plain(path, value)]


HOSTILE = ("Smith & Sons <Oy> \"x\" 'y' {{ 7*7 }} {% if %} <script>alert(1)</script>"
           "<img src=x onerror=alert(1)> 😀 שלום مرحبا e\u0301 \u202eevil\u202c a\x00b\x1bc"
           "\x85\x9f\ufdd0\U0001fffe\r\n]]> &amp; {name}")


def hostile_notice() -> Notice:
    """An example with hostile text in its free fields and a URL with markup in it."""
    data = load_example("meunier").model_dump(mode="json")
    data["controller"]["name"] = HOSTILE
    data["controller"]["website"] = 'https://example.fi/{x}|100%?a=1&b=<2>"x"#c#d'
    data["version_label"] = HOSTILE
    data["request_instructions"] = HOSTILE + "\n" + HOSTILE
    for reg in data["registers"]:
        reg["name"] = HOSTILE
        reg["custom_data_subjects"] = [HOSTILE]
        reg["special_note"] = reg["other_recipients"] = reg["security_note"] = HOSTILE
    data["cookies"]["custom_cookies"] = [{"name": HOSTILE, "provider": HOSTILE,
                                         "description": HOSTILE}]
    return Notice.model_validate(data)
