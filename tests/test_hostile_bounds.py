"""Hostile input, part 1: every bound of `seloste.extract` and `seloste.draft_file`, just under and
just over, and what already held (issue #19), without a server.

The files are made here (`hostile_files`), not committed. A refusal must be a `FileProblem` (or a
draft error) whose message exists in fi, sv and en; a file just under a bound must be read.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import hostile_files as hf
import pytest

from seloste import extract
from seloste.draft_file import MAX_DRAFT_BYTES, MAX_DRAFT_DEPTH, MAX_NUMBER_DIGITS, parse_draft
from seloste.extract import (
    MAX_HTML_DEPTH,
    MAX_TEXT_CHARS,
    MAX_XML_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_TOTAL_BYTES,
    FileProblem,
    extract_text,
)
from seloste.i18n import LANGS
from seloste.lint import lint_text
from seloste.model import SCHEMA_VERSION

MB = 1024 * 1024


def _refused(data: bytes, name: str) -> FileProblem:
    with pytest.raises(FileProblem) as info:
        extract_text(data, name)
    problem = info.value
    for lang in LANGS:
        message = problem.message(lang)
        assert message and "{" not in message, (lang, message)
    return problem


# ---------------------------------------------------------------- .docx (zip)


def test_docx_bomb_650_mb_is_refused_by_its_declared_size() -> None:
    data = hf.docx_expanding_to(650 * MB, hf.BOMB_PARA)
    assert len(data) < MB  # what the issue's attacker uploaded
    problem = _refused(data, "pommi.docx")
    assert problem.kind == "zip_too_large"
    assert "40" in problem.message("fi")


def test_docx_20_mb_of_xml_is_refused() -> None:
    problem = _refused(hf.docx_expanding_to(20 * MB, hf.BOMB_PARA), "iso.docx")
    assert problem.kind == "xml_too_large"
    assert problem.message("fi") == (
        "Word-tiedoston tekstiosa on liian suuri (yli 4 Mt pakkaamattomana). Tarkista seloste "
        "osissa tai liitä sen teksti.")


def test_docx_whose_header_understates_its_size_is_not_expanded() -> None:
    """The header says 1 kB, the member inflates to 650 MB: the reader stops at what it may
    read and the CRC does not match, so the file is refused as damaged."""
    data = hf.docx_expanding_to(650 * MB, hf.BOMB_PARA, declared_size=1000)
    assert _refused(data, "valehtelija.docx").kind == "broken_docx"


def test_actual_bytes_are_counted_not_the_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the declared-size check out of the way, the streamed count alone still stops a
    member at the limit."""
    monkeypatch.setattr(extract, "_check_sizes", _only_when_streaming(extract._check_sizes))
    problem = _refused(hf.docx_expanding_to(MAX_XML_BYTES + 100_000, hf.BOMB_PARA),
                       "a.docx")
    assert problem.kind == "xml_too_large"


def _only_when_streaming(real: Any) -> Any:
    calls = {"n": 0}

    def check(total: int, xml: int) -> None:
        calls["n"] += 1
        if calls["n"] > 1:  # the first call is the declared sizes
            real(total, xml)

    return check


def test_xml_just_under_the_bound_is_read() -> None:
    room = MAX_XML_BYTES - hf.template_xml_bytes()
    data = hf.docx_expanding_to(room - 200, hf.MARKUP_PARA)
    text = extract_text(data, "iso.docx")
    assert text.count("x") > 20_000
    problem = _refused(hf.docx_expanding_to(room + 200, hf.MARKUP_PARA), "iso.docx")
    assert problem.kind == "xml_too_large"


def test_zip_total_just_under_and_over() -> None:
    text = extract_text(hf.docx_with_media(MAX_ZIP_TOTAL_BYTES - 10), "kuvat.docx")
    assert text.strip() == "Tietosuojaseloste"
    problem = _refused(hf.docx_with_media(MAX_ZIP_TOTAL_BYTES + 1), "kuvat.docx")
    assert problem.kind == "zip_too_large"


def test_zip_member_count_just_under_and_over() -> None:
    assert extract_text(hf.docx_with_members(MAX_ZIP_MEMBERS), "osat.docx").strip() \
        == "Tietosuojaseloste"
    problem = _refused(hf.docx_with_members(MAX_ZIP_MEMBERS + 1), "osat.docx")
    assert problem.kind == "zip_members"
    assert str(MAX_ZIP_MEMBERS) in problem.message("sv")


def test_text_of_a_docx_has_the_character_budget() -> None:
    para = b"<w:p><w:r><w:t>" + b"b" * 999 + b"</w:t></w:r></w:p>"
    over = hf.docx_with_document(hf.DOC_HEAD + para * (MAX_TEXT_CHARS // 1000 + 1)
                                 + hf.DOC_TAIL)
    assert _refused(over, "pitka.docx").kind == "too_long"
    under = hf.docx_with_document(hf.DOC_HEAD + para * (MAX_TEXT_CHARS // 1000 - 1)
                                  + hf.DOC_TAIL)
    assert len(extract_text(under, "pitka.docx")) > MAX_TEXT_CHARS - 2000


# What held before (XXE, external DTDs, XInclude, billion laughs): the markup is not resolved.

SECRET = "salainen-arvo-7f3a"


def _xml(doctype: str, body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
            f'<w:document xmlns:w="{hf.W_NS}" xmlns:xi="http://www.w3.org/2001/XInclude">'
            f"<w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p><w:sectPr/></w:body>"
            f"</w:document>").encode()


@pytest.fixture
def listener() -> Any:
    """A local TCP port that records whether anything connected (an external DTD fetch)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


@pytest.mark.parametrize("case", ["xxe", "external_dtd", "billion_laughs", "parameter_entity"])
def test_dtd_and_entities_are_never_resolved(case: str, tmp_path: Path,
                                             listener: socket.socket) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    port = listener.getsockname()[1]
    doctype, body = {
        "xxe": (f'<!DOCTYPE w [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;"),
        "external_dtd": (f'<!DOCTYPE w SYSTEM "http://127.0.0.1:{port}/x.dtd">', "a"),
        "billion_laughs": ('<!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">'
                           '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;">'
                           "]>", "&d;&d;&d;&d;&d;&d;&d;&d;&d;"),
        "parameter_entity": (f'<!DOCTYPE w [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p">'
                             "%p;]>", "a"),
    }[case]
    problem = _refused(hf.docx_with_document(_xml(doctype, body)), "xxe.docx")
    assert problem.kind == "unsafe_docx"
    assert SECRET not in str(problem)
    assert not _connected(listener), "the reader fetched an external DTD"


def test_xinclude_is_not_processed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    body = f'</w:t><xi:include href="file://{secret}" parse="text"/><w:t>Seloste'
    text = extract_text(hf.docx_with_document(_xml("", body)), "xi.docx")
    assert SECRET not in text
    assert "Seloste" in text


@pytest.mark.parametrize(("data", "kind"), [
    (b"PK\x03\x04" + b"\0" * 200, "broken_docx"),
    (b"PK" + bytes(range(256)) * 20, "broken_docx"),
    (hf.docx_with_document(b"<w:document><unclosed"), "broken_docx"),
])
def test_corrupt_zips_are_refused(data: bytes, kind: str) -> None:
    assert _refused(data, "rikki.docx").kind == kind


# ---------------------------------------------------------------- HTML and text


def test_html_nesting_just_under_and_over() -> None:
    assert extract_text(hf.nested_html(MAX_HTML_DEPTH), "syva.html") == "Tietosuojaseloste"
    problem = _refused(hf.nested_html(MAX_HTML_DEPTH + 1), "syva.html")
    assert problem.kind == "too_deep"
    assert problem.message("en") == (
        "The HTML page is nested too deeply (over 512 elements inside each other). Paste the "
        "page's text as it is.")


def test_the_issues_950_kb_nested_html_is_refused() -> None:
    data = hf.nested_html(90_000)
    assert 900_000 < len(data) < 1_000_000
    assert _refused(data, "syva.html").kind == "too_deep"


def test_unclosed_paragraphs_and_list_items_do_not_count_as_nesting() -> None:
    page = b"<html><body><ul>" + b"<li>kohta <p>kappale " * 2000 + b"</ul></body></html>"
    assert extract_text(page, "vanha.html").count("kappale") == 2000


def test_html_text_budget() -> None:
    under = b"<p>" + b"a" * (MAX_TEXT_CHARS - 10) + b"</p>"
    assert len(extract_text(under, "a.html")) == MAX_TEXT_CHARS - 10
    assert _refused(b"<p>" + b"a" * (MAX_TEXT_CHARS + 1) + b"</p>", "a.html").kind \
        == "too_long"


def test_text_budget_for_files_and_pasted_text() -> None:
    assert _refused(b"a" * (MAX_TEXT_CHARS + 1), "a.txt").kind == "too_long"
    assert len(extract_text(b"a" * MAX_TEXT_CHARS, "a.txt")) == MAX_TEXT_CHARS
    with pytest.raises(FileProblem) as info:
        lint_text("a" * (MAX_TEXT_CHARS + 1))
    assert info.value.kind == "too_long"
    assert info.value.message("fi") == (
        "Tekstiä on liian paljon tarkistettavaksi (yli 400\xa0000 merkkiä). Tarkista seloste "
        "osissa.")
    assert lint_text("Henkilötietolaki " + "a" * (MAX_TEXT_CHARS - 30)).outdated


def test_the_issues_900_kb_crafted_text_is_refused_by_the_budget() -> None:
    assert _refused(hf.regex_crafted_text(900_000).encode(), "ansa.txt").kind == "too_long"


@pytest.mark.parametrize(("data", "kind"), [
    ("Henkilötietolaki".encode("utf-16"), "not_text"),
    (b"\x00\x01\x02\x03binary", "not_text"),
    (b"", "empty"),
])
def test_what_held_for_text_files(data: bytes, kind: str) -> None:
    assert _refused(data, "vanha.txt").kind == kind


# ---------------------------------------------------------------- draft JSON


def _draft_errors(raw: bytes | str, lang: str = "fi") -> list[str]:
    result = parse_draft(raw, lang)
    assert result.notice is None
    assert result.errors
    return [e.message for e in result.errors]


def test_deep_draft_10000_levels_is_a_message() -> None:
    raw = hf.deep_json(10_000)
    assert len(raw) < 70_000
    assert _draft_errors(raw) == [
        "Tiedoston rakenne on liian syvä (yli 32 sisäkkäistä tasoa). Luonnostiedostossa niitä "
        "on vain muutama."]
    assert "levels" in _draft_errors(raw, "en")[0]


def test_draft_depth_just_under_and_over() -> None:
    under = _draft_errors(hf.deep_json(MAX_DRAFT_DEPTH))
    assert not any("syvä" in m for m in under)  # refused by the model, not by the bound
    assert any("syvä" in m for m in _draft_errors(hf.deep_json(MAX_DRAFT_DEPTH + 1)))


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    raw = hf.draft_with(notes="[" * 5000 + '\\"{' * 100)
    result = parse_draft(raw)
    assert not any("syvä" in e.message for e in result.errors)


@pytest.mark.parametrize("digits", [5000, 100_000])
def test_huge_integer_is_a_message(digits: int) -> None:
    assert _draft_errors(hf.huge_int_json(digits)) == [
        "Tiedostossa on liian pitkä luku (yli 20 numeroa)."]


def test_number_length_just_under_and_over() -> None:
    under = _draft_errors(hf.huge_int_json(MAX_NUMBER_DIGITS))
    assert any("uudemmalla" in m for m in under)  # a (future) schema version, not "too long"
    assert _draft_errors(hf.huge_int_json(MAX_NUMBER_DIGITS + 1)) == [
        "Tiedostossa on liian pitkä luku (yli 20 numeroa)."]
    assert _draft_errors(b'{"x": 1.' + b"5" * 200 + b"}") == [
        "Tiedostossa on liian pitkä luku (yli 20 numeroa)."]


@pytest.mark.parametrize(("raw", "expected"), [
    (b"not json", "JSONia"),
    (b"", "JSONia"),
    (b"[1, 2]", "JSON-objekti"),
    (b'{"schema_version": NaN}', "JSONia"),
    (b'{"schema_version": Infinity}', "JSONia"),
    (b"\xff\xfe\x00\xd8", "UTF-8"),  # UTF-16 with a lone surrogate: not text
    (json.dumps({"schema_version": SCHEMA_VERSION + 1}).encode(), "uudemmalla"),
    (b"x" * (MAX_DRAFT_BYTES + 1), "liian suuri"),
])
def test_what_held_for_drafts(raw: bytes, expected: str) -> None:
    messages = _draft_errors(raw)
    assert any(expected in m for m in messages), messages


def test_a_draft_saved_as_utf16_is_read() -> None:
    """Notepad's "Unicode" is UTF-16 with a BOM: issue #20 asks for it to be read, not refused."""
    result = parse_draft(json.dumps({"controller": {"name": "Keinuma Oy"}}).encode("utf-16"))
    assert result.notice is not None and result.notice.controller.name == "Keinuma Oy"


def test_wrong_types_and_unknown_fields_are_messages() -> None:
    assert _draft_errors(hf.draft_with(registers="kaikki"))
    assert _draft_errors(hf.draft_with(tuntematon_kentta=1))
