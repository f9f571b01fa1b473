"""Validated field types for the notice model.

Every text a user types ends up inside XML (DOCX) and HTML, so each one is cleaned the same way
here: surrounding white space stripped, XML-illegal control characters and lone surrogates
removed (docxtpl drops or crashes on them, see docs/design.md), and the length bounded so that a
pasted novel cannot make rendering slow. Contact details are checked with the libraries made for
the job; a value is stored in a form that validating again leaves as it is (an email address
normalised, a phone number as typed).
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus

#: Characters XML 1.0 cannot carry, lone surrogates (they cannot be encoded at all), and what
#: HTML forbids in a document (the Nu HTML Checker's "Forbidden code point"): C1 controls and
#: the noncharacters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF of every plane.
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)
#: Line breaks as Windows, old Macs and EBCDIC write them: one "\n" each, so that every output
#: (an HTML parser turns a CR into LF) shows the same text.
_NEWLINE = re.compile("\r\n?|\x85")

SHORT_MAX = 5_000
LONG_MAX = 20_000


def clean_text(value: object) -> object:
    """Strip, unify line breaks, and remove what a DOCX cannot store or HTML forbids."""
    if not isinstance(value, str):
        return value
    return _ILLEGAL.sub("", _NEWLINE.sub("\n", value)).strip()


def _one_line(value: object) -> object:
    """Names and addresses are one line: a pasted newline becomes a space."""
    if isinstance(value, str):
        return " ".join(value.split())
    return value


ShortText = Annotated[
    str,
    BeforeValidator(_one_line),
    BeforeValidator(clean_text),
    StringConstraints(max_length=SHORT_MAX),
]
LongText = Annotated[str, BeforeValidator(clean_text), StringConstraints(max_length=LONG_MAX)]


def _business_id(value: str) -> str:
    if not value:
        return value
    try:
        return str(ytunnus.format(ytunnus.validate(value)))
    except StdnumError as exc:
        raise PydanticCustomError("ytunnus", "invalid Finnish business ID (Y-tunnus)") from exc


def _email(value: str) -> str:
    if not value:
        return value
    try:
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise PydanticCustomError("email", "invalid email address") from exc


#: What a phone number may be written with besides digits: a leading "+", spaces and the usual
#: separators. Anything else ("puh.", "ext", letters) is refused, because the number is printed
#: exactly as typed and such words would then stand in the notice in one language only.
_PHONE_CHARS = re.compile(r"\+?[0-9 ()./-]+")


def _phone(value: str) -> str:
    """Check a phone number with phonenumbers, but keep it as the user wrote it.

    The notice is the company's own text: "+358 50 765 4321" stays international and keeps its
    grouping, "050 7654321" stays national. Only white space is normalised (ShortText has already
    made every run of white space one space), so validating twice changes nothing.
    """
    if not value:
        return value
    if not _PHONE_CHARS.fullmatch(value):
        raise PydanticCustomError("phone", "invalid phone number")
    try:
        number = phonenumbers.parse(value, "FI")
    except phonenumbers.NumberParseException as exc:
        raise PydanticCustomError("phone", "invalid phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise PydanticCustomError("phone", "invalid phone number")
    return value


_LETTER = "A-Za-z\u00a1-\uffff"
_HOST = re.compile(rf"^[{_LETTER}0-9](?:[{_LETTER}0-9.-]*)\.[{_LETTER}]{{2,}}$")


#: What may not stand in a URL as it is (WHATWG URL; the Nu HTML Checker rejects these in href).
_URL_UNSAFE = re.compile(r'[\x00-\x20"<>\\^`{|}\[\]]|%(?![0-9A-Fa-f]{2})')


def _encode(part: str, also: str = "") -> str:
    def percent(match: re.Match[str]) -> str:
        return "".join(f"%{byte:02X}" for byte in match.group().encode())

    unsafe = _URL_UNSAFE if not also else re.compile(f"{_URL_UNSAFE.pattern}|[{re.escape(also)}]")
    return unsafe.sub(percent, part)


def _url(value: str) -> str:
    """Only http(s) addresses: a `javascript:` link pasted into a notice must never be a link.

    "www.keinuma.fi" is what people type, so a missing scheme means https.
    """
    if not value:
        return value
    candidate = value if "://" in value else f"https://{value}"
    parts = urlsplit(candidate)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _HOST.match(host) or " " in candidate:
        raise PydanticCustomError("url", "invalid web address")
    if _URL_UNSAFE.search(candidate) or "#" in parts.fragment:
        # `<`, `"`, `{`, a lone `%`...: browsers cope, but the HTML is invalid and a Markdown
        # link breaks. Percent-encode them (idempotent: an encoded URL has none left).
        try:
            port = parts.port
        except ValueError:
            raise PydanticCustomError("url", "invalid web address") from None
        if parts.netloc.lower() not in (host, f"{host}:{port}"):  # user info, brackets
            raise PydanticCustomError("url", "invalid web address")
        candidate = urlunsplit((parts.scheme, parts.netloc, _encode(parts.path),
                                _encode(parts.query), _encode(parts.fragment, "#")))
    return candidate


def _country(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise PydanticCustomError("country", "invalid country code")
    return code


BusinessId = Annotated[ShortText, AfterValidator(_business_id)]
Email = Annotated[ShortText, AfterValidator(_email)]
Phone = Annotated[ShortText, AfterValidator(_phone)]
Url = Annotated[ShortText, AfterValidator(_url)]
CountryCode = Annotated[str, AfterValidator(_country)]
