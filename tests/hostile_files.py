"""Hostile files for the hostile-input suite, made in the test (no huge fixtures committed).

A zip bomb is built without ever holding its expansion: one chunk of Word paragraphs is
deflated once, after a full flush (so the block references nothing before it), and that block
is repeated; the CRC is computed over the repeats. So a 1 MB .docx that expands to 650 MB costs
the test ~1 s, not 650 MB.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from dataclasses import dataclass

import docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOC_HEAD = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}"><w:body>').encode()
DOC_TAIL = b"<w:sectPr/></w:body></w:document>"
#: A paragraph dense in text (the lint then has a lot to read).
TEXT_PARA = (b"<w:p><w:r><w:t>Rekisteriseloste: asiakasrekisterin tiedot ja niiden "
             b"k\xc3\xa4sittely.</w:t></w:r></w:p>")
#: A paragraph of one letter repeated: deflate's best case (~1000:1), as in a zip bomb.
BOMB_PARA = b"<w:p><w:r><w:t>" + b"a" * 16_000 + b"</w:t></w:r></w:p>"
#: A paragraph heavy in markup and light in text (XML size without much text).
MARKUP_PARA = (b'<w:p><w:pPr><w:pStyle w:val="Normal"/><w:spacing w:after="0"/></w:pPr>'
               b'<w:r><w:rPr><w:b/><w:i/><w:sz w:val="24"/></w:rPr><w:t>x</w:t></w:r></w:p>')


@dataclass
class Member:
    name: str
    deflated: bytes
    crc: int
    size: int
    declared_size: int | None = None  # a lying header, when set


def _member(name: str, data: bytes) -> Member:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data))


def _repeated_member(name: str, head: bytes, chunk: bytes, repeats: int, tail: bytes) -> Member:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return Member(name, first + block * repeats + last, crc,
                  len(head) + len(chunk) * repeats + len(tail))


def _zip(members: list[Member]) -> bytes:
    """A zip file written by hand, so that a header can say what the test wants it to."""
    out = io.BytesIO()
    central = []
    for m in members:
        offset = out.tell()
        declared = m.size if m.declared_size is None else m.declared_size
        name = m.name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, m.crc,
                              len(m.deflated), declared, len(name), 0))
        out.write(name)
        out.write(m.deflated)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21,
                                   m.crc, len(m.deflated), declared, len(name), 0, 0, 0, 0, 0,
                                   offset) + name)
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), size,
                          start, 0))
    return out.getvalue()


def _template_members() -> list[Member]:
    """Every part of python-docx's blank document except word/document.xml."""
    import zipfile

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return [_member(i.filename, archive.read(i)) for i in archive.infolist()
                if i.filename != "word/document.xml"]


def template_xml_bytes() -> int:
    """Uncompressed bytes of the blank document's XML parts other than word/document.xml."""
    return sum(m.size for m in _template_members() if m.name.endswith((".xml", ".rels")))


def docx_expanding_to(total_xml: int, para: bytes = TEXT_PARA, *,
                      declared_size: int | None = None,
                      extra: list[tuple[str, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    """A valid .docx whose word/document.xml is ``total_xml`` bytes (to within one paragraph,
    rounded down), made of ``para`` repeated."""
    chunk_paras = max(1, (256 * 1024) // len(para))
    chunk = para * chunk_paras
    body = total_xml - len(DOC_HEAD) - len(DOC_TAIL)
    repeats, rest = divmod(body, len(chunk))
    tail = para * (rest // len(para)) + DOC_TAIL
    document = _repeated_member("word/document.xml", DOC_HEAD, chunk, repeats, tail)
    document.declared_size = declared_size
    members = [*_template_members(), document]
    members.extend(_member(name, data) for name, data in extra)
    return _zip(members)


def docx_with_document(xml: bytes, extra: list[tuple[str, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    members = [*_template_members(), _member("word/document.xml", xml)]
    members.extend(_member(name, data) for name, data in extra)
    return _zip(members)


def docx_with_media(total_bytes: int) -> bytes:
    """A .docx with a picture part of zeros, so that all parts together are ``total_bytes``."""
    base = _template_members()
    document = _member("word/document.xml",
                       DOC_HEAD + b"<w:p><w:r><w:t>Tietosuojaseloste</w:t></w:r></w:p>"
                       + DOC_TAIL)
    used = sum(m.size for m in base) + document.size
    zeros = b"\0" * (1024 * 1024)
    size = total_bytes - used
    repeats, rest = divmod(size, len(zeros))
    media = _repeated_member("word/media/image1.png", b"", zeros, repeats, b"\0" * rest)
    return _zip([*base, document, media])


def docx_with_members(count: int) -> bytes:
    base = _template_members()
    document = _member("word/document.xml",
                       DOC_HEAD + b"<w:p><w:r><w:t>Tietosuojaseloste</w:t></w:r></w:p>"
                       + DOC_TAIL)
    extra = [_member(f"customXml/item{i}.bin", b"x") for i in range(count - len(base) - 1)]
    return _zip([*base, document, *extra])


def nested_html(depth: int, size: int | None = None) -> bytes:
    """Elements ``depth`` deep (<html>, <body>, then <div>s), padded with text to ``size``."""
    divs = depth - 2
    body = b"<div>" * divs + b"Tietosuojaseloste" + b"</div>" * divs
    if size is not None and size > len(body):
        body = b"<p>" + b"a " * ((size - len(body) - 3) // 2) + body
    return b"<!doctype html><html><body>" + body + b"</body></html>"


def regex_crafted_text(size: int) -> str:
    """Text built to make the lint's patterns work hard: long words made of the stems the
    patterns start with (each a start the engine tries, with a long run after it), address-like
    runs with no @, and sentence ends without a capital after them."""
    parts = [
        "oikeutet" * 40, "automaattis" * 40, "facebook" * 40, "instagram" * 40,
        "a.b-c+" * 40, "henkilötietolaki" * 20, "niin kauan kuin " + "x" * 200,
        "eu " + "e" * 60, "ei " + "siirr" * 30, "1" * 200, "linkedin" * 30,
        ". " * 100, "osoit" * 60, "x@" * 100, "- " * 100,
    ]
    block = " ".join(parts)
    text = (block + "\n") * (size // (len(block) + 1) + 1)
    return text[:size]


def deep_json(depth: int) -> bytes:
    return (b'{"a":' * depth) + b"1" + (b"}" * depth)


def huge_int_json(digits: int) -> bytes:
    return b'{"schema_version": ' + b"9" * digits + b"}"


def draft_with(**changes: object) -> bytes:
    from seloste.examples import example_json

    data = json.loads(example_json("keinuma"))
    data.update(changes)
    return json.dumps(data).encode()


# ---------------------------------------------------------------- jobs for the worker tests


def hog_memory(megabytes: int) -> int:
    """Allocate and touch ``megabytes`` (a parser expanding a bomb)."""
    blocks = [bytearray(1024 * 1024) for _ in range(megabytes)]
    return len(blocks)


def hog_cpu() -> None:
    """Never return (a pattern that backtracks for ever)."""
    n = 0
    while True:
        n += 1


def die() -> None:
    import os

    os._exit(3)  # as a crash in C code would end it: no answer, a nonzero exit


def answer(x: int) -> int:
    return x * 2
