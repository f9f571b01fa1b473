"""Hostile input at scale (issue #7): whole random drafts through every renderer.

Every text field of a generated draft gets random text with what breaks renderers: XML-illegal
control characters and lone surrogates (the model strips them), right-to-left text, combining
marks, emoji, template syntax (`{{ 7*7 }}`, `{% if %}`), markup (`<script>`, `onerror=`), `&`,
format fields (`{name}`), Markdown punctuation, odd line breaks and strings up to the model's
maximum length; keys, registers, purposes and catalogue services are random choices too.

For each draft: every format renders; the DOCX read back with python-docx holds every user string
exactly as the model cleaned it; the HTML parsed with html5lib shows every user string as text and
holds no element or attribute the template did not write; the Markdown has no raw `<` that did not
come from the template. Which user strings a notice must show is decided in `user_text`.

Profiles (HYPOTHESIS_PROFILE, `ci` by default) are in `conftest_hypothesis`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import conftest_hypothesis  # noqa: F401  (registers and loads the profiles if conftest did not)
import docx
import html5lib
import pytest
from conftest_hypothesis import examples
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from user_text import expected_strings

from seloste.catalogue import load_catalogue
from seloste.fields import LONG_MAX, SHORT_MAX, BusinessId, Email, Phone, Url
from seloste.model import Notice
from seloste.render import Format, render
from seloste.render.document import build_document
from seloste.render.docx import CORE_PROPERTY_MAX
from seloste.vocab import (
    Art9Condition,
    Art22Exception,
    ConsentMechanism,
    CookiePurpose,
    DataCategory,
    DataSubject,
    DpaState,
    DurationUnit,
    Lang,
    LegalBasis,
    PeriodUnit,
    Purpose,
    Requirement,
    RetentionPreset,
    RetentionStart,
    RetentionSubject,
    Role,
    SecurityElectronic,
    SecurityManual,
    Source,
    SpecialCategory,
    TransferBasis,
    WithdrawMethod,
)

# -- text ------------------------------------------------------------------------------------

HOSTILE = [
    "{{ 7*7 }}", "{% if %}", "{% endif %}", "{#", "{{", "}}", "{%p if x %}", "{{r b.rich }}",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</section>", "<!--", "-->",
    "<![CDATA[x]]>", "]]>", "&", "&amp;", "&lt;b&gt;", "&#0;", "\"", "'", "`",
    "javascript:alert(1)", "{name}", "{0}", "{", "}", "%s", "\\", "\\n",
    "*", "_", "#", "> ", "- ", "1. ", "|", "[x](y)", "~~", "<https://x.fi>",
    "Smith & Sons Oy", "Kahvila 😀☕ Oy", "👩‍👩‍👧", "🇫🇮", "e\u0301", "a\u0308\u0308",
    "שלום עולם", "مرحبا", "\u202eevil\u202c", "\u200f", "\u200b", "\ufeff",
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f",
    "\x80", "\x85", "\x9f", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff",
    "\ud800", "\udc00", "\udfff",
    "\n", "\r\n", "\r", "\t", " ", "  ", "\xa0", "\u2028", "\u2029", "\u3000",
    "Åäö ÅÄÖ", "Ærøskøbing", "ß", "İ", "\U0001d54f", "\U00010000", "\U0010fffd",
]

_pieces = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=10),  # any code point but surrogates
    st.text(st.characters(categories=["Mn", "Me"]), max_size=3),  # combining marks
    st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x08FF), max_size=8),  # RTL
    st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=3),  # emoji
    st.text(st.characters(max_codepoint=0x9F), max_size=6),  # C0/C1 controls and ASCII
)


def _repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


_short = st.just("") | st.lists(_pieces, min_size=1, max_size=5).map("".join)
_visible = st.sampled_from(["x", "Ö", "&", "<", "😀", "{{ 7*7 }}"])


def _long(limit: int) -> st.SearchStrategy[str]:
    unit = st.builds(lambda hostile, rest: hostile + rest, st.sampled_from(HOSTILE), _short)
    return st.builds(_repeat, unit, st.integers(limit - 200, limit))


class Texts:
    """Text strategies: short hostile strings, or (`long=True`) strings near the maximum.

    A long string is a short hostile unit repeated; drafts are either all short or all long, as
    a few long strings in a short draft cost time and find nothing the two kinds do not.
    """

    def __init__(self, *, long: bool = False) -> None:
        self.long = long

    def text(self, max_len: int, *, required: bool = False) -> st.SearchStrategy[str]:
        """At most `max_len` characters before cleaning; `required`: visible after cleaning."""
        body = _long(max_len) if self.long else _short.map(lambda s: s[:max_len])
        if not required:
            return body
        return st.builds(lambda s, mark: s[:max_len - len(mark)] + mark, body, _visible)

    def most(self, n: int) -> int:
        """A list's longest length: long drafts keep one item per list (they are slow enough)."""
        return min(n, 1) if self.long else n

    def short(self, *, required: bool = False) -> st.SearchStrategy[str]:
        return self.text(SHORT_MAX, required=required)

    def long_text(self, *, required: bool = False) -> st.SearchStrategy[str]:
        return self.text(LONG_MAX, required=required)


def _valid(adapter: Any, values: list[str]) -> list[str]:
    """Keep the sample values the model accepts (a library update must not break the test)."""
    ok = []
    for v in values:
        try:
            TypeAdapter(adapter).validate_python(v)
        except ValidationError:
            continue
        ok.append(v)
    assert ok, values
    return ok


BUSINESS_IDS = _valid(BusinessId, ["", "3299471-6", "2949819-9", " 2949819-9\n", "0112038-9"])
EMAILS = _valid(Email, [
    "", "heidi@keinuma.fi", "o'brien+x&y@example.fi", "äiti@esimerkki.fi", "a_b-c@Sub.Example.FI",
    " rekisteri@jannameunier.fi\x00",
])
PHONES = _valid(Phone, ["", "050 3398065", "+358503398065", "09 123 4567", "+46 8 123 456 78",
                        "+1 202 555 0142", "(050) 339-8065"])
URLS = _valid(Url, [
    "", "www.keinuma.fi", "https://example.fi/?a=1&b=2", "https://example.fi/<script>",
    'https://example.fi/"onmouseover="alert(1)', "http://ääkkönen.fi/polku_(x)",
    "https://example.fi/{{7*7}}", "https://example.fi/#x'onclick='y", "https://example.fi/*a*_b_",
    "https://sub.example.co.uk/path?q=]]>&x=<y>", "https://example.fi/{x}|100%?a=[1]#c#d",
    "HTTPS://Example.FI:8443/a\\b^c`d",
])
COUNTRIES = ["FI", "SE", "DE", "US", "GB", "IN", "CH", "fi", " us "]
CATALOGUE_IDS = sorted(load_catalogue().entries)


def opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def some(enum: Any, max_size: int = 4) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.sampled_from(list(enum)), max_size=max_size, unique=True).map(
        lambda xs: [x.value for x in xs])


def key(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([e.value for e in enum])


# -- drafts ----------------------------------------------------------------------------------


def drafts(t: Texts) -> st.SearchStrategy[Notice]:
    """Whole drafts: every text field from `t`, every choice random, valid by construction."""
    person = st.fixed_dictionaries({
        "name": t.short(), "email": st.sampled_from(EMAILS), "phone": st.sampled_from(PHONES),
        "address": t.short(),
    })

    @st.composite
    def purpose_entry(draw: st.DrawFn) -> dict[str, Any]:
        purpose = draw(opt(key(Purpose)))
        return {
            "purpose": purpose,
            "description": draw(t.long_text(required=purpose is None)),
            "basis": draw(opt(key(LegalBasis))),
            "legitimate_interest": draw(t.long_text()),
            "requirement": draw(opt(key(Requirement))),
            "requirement_consequence": draw(t.long_text()),
        }

    custom_service = st.fixed_dictionaries({
        "name": t.short(required=True), "entity": t.short(),
        "role": key(Role), "country": st.sampled_from(COUNTRIES),
        "transfer_basis": opt(key(TransferBasis)), "purpose": t.long_text(),
        "privacy_policy": st.sampled_from(URLS),
    })
    service_use = st.one_of(
        st.fixed_dictionaries({"catalogue_id": st.sampled_from(CATALOGUE_IDS),
                               "note": t.long_text(),
                               "dpa": opt(key(DpaState))}),
        st.fixed_dictionaries({"custom": custom_service, "note": t.long_text()}),
    )

    @st.composite
    def retention_rule(draw: st.DrawFn) -> dict[str, Any]:
        if draw(st.sampled_from([True, False, False, False])):
            return {"preset": draw(key(RetentionPreset)), "what": draw(t.short()),
                    "reason": draw(t.long_text())}
        timed = draw(st.booleans())
        start = draw(opt(key(RetentionStart)))
        return {
            "subject": draw(opt(key(RetentionSubject))),
            "what": draw(t.short()),
            "amount": draw(st.integers(1, 100)) if timed else None,
            "unit": draw(key(PeriodUnit)) if timed else None,
            "start": start,
            "reason": draw(t.long_text(required=not timed and start is None)),
        }

    register = st.fixed_dictionaries({
        "name": t.short(),
        "data_subjects": some(DataSubject),
        "custom_data_subjects": st.lists(t.short(), max_size=t.most(3)),
        "purposes": st.lists(purpose_entry(), max_size=t.most(4)),
        "data_categories": some(DataCategory, 6),
        "custom_data_categories": st.lists(t.short(), max_size=t.most(3)),
        "special_categories": some(SpecialCategory, 2),
        "art9_condition": opt(key(Art9Condition)),
        "special_note": t.long_text(),
        "sources": some(Source, 3),
        "source_details": t.long_text(),
        "services": st.lists(service_use, max_size=t.most(5)),
        "other_recipients": t.long_text(),
        "retention": st.lists(retention_rule(), max_size=t.most(3)),
        "automated_decisions": st.booleans(),
        "automated_logic": t.long_text(),
        "automated_exception": opt(key(Art22Exception)),
        "no_recipients_confirmed": st.booleans(),
        "profiling": st.booleans(),
        "profiling_description": t.long_text(),
        "security_manual": some(SecurityManual, 3),
        "security_electronic": some(SecurityElectronic, 4),
        "security_note": t.long_text(),
    })
    custom_cookie = st.fixed_dictionaries({
        "name": t.short(), "provider": t.short(), "purpose": key(CookiePurpose),
        "duration_amount": opt(st.integers(1, 1000)), "duration_unit": key(DurationUnit),
        "description": t.long_text(),
    })
    cookie_settings = st.fixed_dictionaries({
        "uses_cookies": st.booleans(), "mechanism": key(ConsentMechanism),
        "withdraw": key(WithdrawMethod), "withdraw_note": t.long_text(),
        "custom_cookies": st.lists(custom_cookie, max_size=t.most(3)), "note": t.long_text(),
    })
    dates = opt(st.dates(min_value=dt.date(1990, 1, 1)).map(dt.date.isoformat))
    return st.fixed_dictionaries({
        "language": key(Lang),
        "controller": st.fixed_dictionaries({
            "name": t.short(), "business_id": st.sampled_from(BUSINESS_IDS),
            "street": t.short(), "postal_code": t.short(), "city": t.short(),
            "email": st.sampled_from(EMAILS), "phone": st.sampled_from(PHONES),
            "website": st.sampled_from(URLS),
        }),
        "privacy_contact": person,
        "dpo": opt(person),
        "eu_representative": opt(person),
        "created": dates,
        "updated": dates,
        "version_label": t.short(),
        "registers": st.lists(register, max_size=t.most(3)),
        "cookies": cookie_settings,
        "targets_children": st.booleans(),
        "request_instructions": t.long_text(),
    }).map(Notice.model_validate)


notices = drafts(Texts())
long_notices = drafts(Texts(long=True))
langs = st.sampled_from(list(Lang))


# -- checks ----------------------------------------------------------------------------------

#: What the templates write; anything else in the parsed HTML came from user text.
FRAGMENT_TAGS = {"html", "head", "body", "section", "h2", "h3", "h4", "p", "small", "ul", "ol",
                 "li", "a", "nav", "strong", "table", "thead", "tbody", "tr", "th", "td", "br",
                 "aside", "caption", "span",  # span: a fallback-language answer
                 "colgroup", "col"}  # the column widths the DOCX uses too (issue #12)
PAGE_TAGS = FRAGMENT_TAGS | {"h1", "meta", "title", "style", "main"}
ATTRIBUTES = {"lang", "class", "id", "href", "aria-labelledby", "scope", "charset", "name",
              "content"}


def _parse(html: str) -> Any:
    return html5lib.parse(html, namespaceHTMLElements=False)


#: Code points HTML forbids in a document (C1 controls, noncharacters): the model strips them.
_FORBIDDEN = re.compile("[\x80-\x9f\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]")


def assert_no_forbidden_code_points(text: str) -> None:
    found = _FORBIDDEN.search(text)
    assert found is None, f"forbidden code point U+{ord(found.group()):04X}"


def assert_safe_html(tree: Any, tags: set[str]) -> None:
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        assert el.tag in tags, f"unexpected <{el.tag}> element"
        for name, value in el.attrib.items():
            if name == "style":  # only the template's column widths, never from user text
                assert el.tag == "col" and re.fullmatch(r"width: \d+\.\d%", value), value
                continue
            assert name in ATTRIBUTES and not name.lower().startswith("on"), name
            if name == "href":
                bare = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert bare.startswith(("https://", "http://", "mailto:", "#")), value
    assert not list(tree.iter("script"))


_MD_LINK_TARGET = re.compile(r"\]\(<[^<>\n]*>\)")


def assert_markdown_safe(md: str) -> None:
    """The only `<` in Markdown is the template's `(<url>)` and the `<br>` it writes for a line
    break inside a table cell; user text arrives as `&lt;`."""
    stripped = _MD_LINK_TARGET.sub("](URL)", md).replace("<br>", "")
    assert "<" not in stripped, stripped[max(0, stripped.index("<") - 80):][:160]


def _missing(haystack: str, notice: Notice, lang: Lang | None = None) -> list[str]:
    return [f"{path}: {value[:120]!r}" for path, value in expected_strings(notice, lang)
            if value not in haystack]


def docx_text(data: bytes) -> tuple[str, Any]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), document.core_properties


# -- tests -----------------------------------------------------------------------------------


@pytest.mark.slow
@examples(0.735)
@given(notice=notices, lang=langs)
def test_html_and_markdown_show_every_string_and_no_markup(notice: Notice, lang: Lang) -> None:
    fragment = render(notice, Format.html, lang).decode()
    assert_no_forbidden_code_points(fragment)
    tree = _parse(fragment)
    missing = _missing("".join(tree.itertext()), notice, lang)
    assert not missing, missing
    assert_safe_html(tree, FRAGMENT_TAGS)
    page = render(notice, Format.page, lang).decode()
    page_tree = _parse(page)
    assert_safe_html(page_tree, PAGE_TAGS)
    missing = _missing("".join(page_tree.find("body").itertext()), notice, lang)
    assert not missing, missing
    assert_markdown_safe(render(notice, Format.md, lang).decode())


@pytest.mark.slow
@examples(0.25)
@given(notice=notices, lang=langs)
def test_docx_reads_back_every_string_exactly(notice: Notice, lang: Lang) -> None:
    text, props = docx_text(render(notice, Format.docx, lang))
    missing = _missing(text, notice, lang)
    assert not missing, missing
    assert props.title == build_document(notice, lang).title[:CORE_PROPERTY_MAX]


@pytest.mark.slow
@examples(0.015)
@given(notice=long_notices, lang=langs)
def test_longest_strings_render_everywhere(notice: Notice, lang: Lang) -> None:
    """Every field near its maximum length: all formats render and keep every string."""
    tree = _parse(render(notice, Format.html, lang).decode())
    missing = _missing("".join(tree.itertext()), notice, lang)
    assert not missing, missing
    assert_safe_html(tree, FRAGMENT_TAGS)
    assert_markdown_safe(render(notice, Format.md, lang).decode())
    render(notice, Format.page, lang)
    text, _ = docx_text(render(notice, Format.docx, lang))
    missing = _missing(text, notice, lang)
    assert not missing, missing


# -- what the generated drafts found, pinned as plain tests ---------------------------------


def test_contact_with_only_an_address_is_shown() -> None:
    notice = Notice.model_validate({
        "privacy_contact": {"address": "Postilokero 7, 00100 Helsinki"},
        "dpo": {"address": "Tietosuojakatu 1"},
        "eu_representative": {"email": "rep@example.de"},
    })
    text = build_document(notice, "fi").plain_text()
    for value in ("Postilokero 7, 00100 Helsinki", "Tietosuojakatu 1", "rep@example.de"):
        assert value in text


def test_own_cookie_description_is_shown() -> None:
    notice = Notice.model_validate({"cookies": {"uses_cookies": True, "custom_cookies": [
        {"name": "visit_id", "purpose": "analytics", "description": "Laskee käynnit & <sivut>"}]}})
    for lang in Lang:
        assert "visit_id: Laskee käynnit & <sivut>" in build_document(notice, lang).plain_text()
        text, _ = docx_text(render(notice, Format.docx, lang))
        assert "visit_id: Laskee käynnit & <sivut>" in text


def test_line_breaks_unified_and_html_forbidden_code_points_removed() -> None:
    value = "a\r\nb\rc\x85d\x80\x9f\ufdd0\U0001fffe\U0010ffffe"
    notice = Notice.model_validate({"request_instructions": value, "controller": {"name": value}})
    assert notice.request_instructions.pick("fi") == "a\nb\nc\nde"
    assert notice.controller.name == "a b c de"
    fragment = render(notice, Format.html, "fi").decode()
    assert "a\nb\nc\nde" in "".join(_parse(fragment).itertext())
    assert_no_forbidden_code_points(fragment)


@pytest.mark.parametrize(("typed", "stored"), [
    ("https://example.fi/<script>", "https://example.fi/%3Cscript%3E"),
    ('https://example.fi/?a=1&b="2"', "https://example.fi/?a=1&b=%222%22"),
    ("https://example.fi/{x}|100%", "https://example.fi/%7Bx%7D%7C100%25"),
    ("https://example.fi/a[1]#c#d", "https://example.fi/a%5B1%5D#c%23d"),
    ("https://example.fi/%C3%A4?q=%20", "https://example.fi/%C3%A4?q=%20"),
    ("www.keinuma.fi", "https://www.keinuma.fi"),
])
def test_url_characters_html_forbids_are_percent_encoded(typed: str, stored: str) -> None:
    url = TypeAdapter(Url).validate_python(typed)
    assert url == stored
    assert TypeAdapter(Url).validate_python(url) == url


def test_url_with_user_info_and_markup_is_refused() -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Url).validate_python("https://user:<pw>@example.fi/")
