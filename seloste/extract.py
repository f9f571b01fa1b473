"""The text of an uploaded notice (.txt, .md, .docx, .html), read within bounds set in advance.

An upload is untrusted: a 1 MB .docx can expand to 650 MB of XML, an HTML page can nest 200,000
elements deep. So every format is measured *before* it is expanded, and reading stops at the
first bound it passes, with a `FileProblem` whose ``kind`` keys a message in the user's language
(``file_error.<kind>`` in `seloste/findings`):

- a .docx (a zip) is refused when it has too many members, when the sizes its directory
  declares pass a limit, or when the bytes that actually come out of a member do: each member is
  decompressed in chunks and counted, so a header that lies about its size does not help;
  an XML part that declares a DTD or entities is refused (Word never writes one), and what is
  parsed goes through python-docx's lxml parser, which resolves no entities, loads no DTD, has
  no network access and keeps libxml2's `huge_tree` limits (depth 256, 10 MB text nodes);
- HTML is parsed with a nesting budget (Blink's HTML parser stops nesting at 512 too) and a
  character budget on the text it collects;
- any text (a file or pasted) has a character budget, checked before the lint's regular
  expressions see it.

The bounds are generous for a real notice (a long one is 30,000-60,000 characters; a Word file
of one is 20-200 kB of XML) and small enough that reading within them takes a few seconds at
most. Reading runs in a worker process (`seloste.isolation`) as well, so a file that finds a way
past these bounds still only costs its own worker.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from babel.numbers import format_decimal

from seloste.i18n import Texts
from seloste.vocab import Lang

__all__ = [
    "MAX_BYTES",
    "MAX_HTML_DEPTH",
    "MAX_TEXT_CHARS",
    "MAX_XML_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_TOTAL_BYTES",
    "SUPPORTED_SUFFIXES",
    "FileProblem",
    "check_text_budget",
    "extract_text",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".html", ".htm")
#: A file as it comes in (the CLI; the wizard's uploads are 1 MB at most, `.streamlit`).
MAX_BYTES = 10 * 1024 * 1024
#: Characters of text the lint checks: ~7x the longest real notice seen (~60,000).
MAX_TEXT_CHARS = 400_000
#: Members of a .docx zip: Word writes 10-30, a notice full of pictures perhaps 100.
MAX_ZIP_MEMBERS = 300
#: All members of a .docx uncompressed (pictures included), declared and actually counted.
MAX_ZIP_TOTAL_BYTES = 40 * 1024 * 1024
#: All XML parts (.xml, .rels) uncompressed: what python-docx parses into a tree (a long
#: notice's document.xml is 50-500 kB; 4 MB of XML takes python-docx ~2 s and ~150 MB).
MAX_XML_BYTES = 4 * 1024 * 1024
#: Elements open inside each other in HTML (Blink's HTML parser stops nesting at 512).
MAX_HTML_DEPTH = 512

_MB = 1024 * 1024
_CHUNK = 64 * 1024


class FileProblem(ValueError):
    """A file that cannot be checked; ``kind`` keys a translated message (file_error.<kind>).

    ``limit`` is the bound that was passed, shown in the message (in MB for sizes).
    """

    def __init__(self, kind: str, message: str, limit: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.limit = limit

    def message(self, lang: Lang | str) -> str:
        texts = Texts("seloste.findings", lang)
        if self.limit is None:
            return texts(f"file_error.{self.kind}")
        locale = {"fi": "fi_FI", "sv": "sv_FI"}.get(str(Lang(lang).value), "en_GB")
        return texts(f"file_error.{self.kind}", limit=format_decimal(self.limit, locale=locale))

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process and pickled back: keep kind and limit.
        return (type(self), (self.kind, str(self), self.limit))


def check_text_budget(text: str) -> None:
    """Refuse text longer than the lint's character budget (`MAX_TEXT_CHARS`)."""
    if len(text) > MAX_TEXT_CHARS:
        raise FileProblem("too_long", f"over {MAX_TEXT_CHARS} characters of text",
                          MAX_TEXT_CHARS)


# ---------------------------------------------------------------- plain text


def _decode_text(data: bytes, what: str) -> str:
    if b"\x00" in data[:4096]:
        raise FileProblem("not_text", f"{what} is not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Windows "ANSI" text, common for old notices
    except UnicodeDecodeError:
        raise FileProblem("encoding", f"{what} is not UTF-8 text: save it as UTF-8") from None


# ---------------------------------------------------------------- HTML

#: Elements that never have content, so never nest (the HTML standard's void elements).
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "keygen", "frame", "basefont", "isindex"})
#: Elements whose start tag closes an open one of the same kind (a simplification of the
#: standard's implied end tags: enough that an old page's unclosed <p> and <li> do not nest).
_SELF_CLOSING_KIN = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option", "thead",
                               "tbody", "tfoot"})


class _HTMLText(HTMLParser):
    """The visible text of an HTML page: scripts, styles and templates ignored.

    Counts how deeply elements nest and how much text it has kept, and stops at the first
    bound passed (`MAX_HTML_DEPTH`, `MAX_TEXT_CHARS`).
    """

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe"})
    BLOCK = frozenset({
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "section", "article", "header", "footer", "main", "nav", "aside", "blockquote", "pre",
        "dt", "dd", "dl", "hr", "address", "form", "figure", "figcaption", "details", "summary",
        "title", "body",
    })  # fmt: skip
    CELL = frozenset({"td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.open: list[str] = []
        self.chars = 0

    def _push(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag in _SELF_CLOSING_KIN and tag in self.open[-4:]:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
        self.open.append(tag)
        if len(self.open) > MAX_HTML_DEPTH:
            raise FileProblem("too_deep", f"HTML nested over {MAX_HTML_DEPTH} deep",
                              MAX_HTML_DEPTH)

    def _pop(self, tag: str) -> None:
        if tag in self.open[-64:]:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._push(tag)
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in self.CELL:
            self.parts.append(" | ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._pop(tag)
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.chars += len(data)
            if self.chars > MAX_TEXT_CHARS:
                raise FileProblem("too_long", f"over {MAX_TEXT_CHARS} characters of text",
                                  MAX_TEXT_CHARS)
            self.parts.append(data)

    def text(self) -> str:
        lines = ("".join(self.parts)).split("\n")
        out = []
        for line in lines:
            line = " ".join(line.split()).strip(" |")
            if line:
                out.append(line)
        return "\n".join(out)


_CHARSET = re.compile(r"charset\s{0,8}=\s{0,8}[\"']?([\w-]{1,40})", re.IGNORECASE)


def _html_text(data: bytes) -> str:
    head = data[:4096].decode("ascii", "ignore")
    declared = _CHARSET.search(head)
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if not declared:
            raise FileProblem("encoding", "the HTML file is not UTF-8 and declares no charset"
                              ) from None
        try:
            source = data.decode(declared.group(1))
        except (LookupError, UnicodeDecodeError):
            raise FileProblem(
                "encoding", f"the HTML file cannot be read as {declared.group(1)}"
            ) from None
    parser = _HTMLText()
    # Fed in pieces, so that a bound passed early stops the work early.
    for start in range(0, len(source), _CHUNK):
        parser.feed(source[start:start + _CHUNK])
    parser.close()
    return parser.text()


# ---------------------------------------------------------------- .docx


def _is_xml_part(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


#: Declarations a Word part never has; with them come XXE and "billion laughs".
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


def _checked_zip(data: bytes) -> bytes:
    """The .docx as it came, once every member is known to stay within the bounds.

    Declared sizes are checked first (cheap, and they stop an honest huge file at once); then
    every member is decompressed in chunks and its bytes counted, stopping at the first chunk
    that passes a limit, so a lying header costs at most one limit's worth of work.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise FileProblem("broken_docx",
                          f"the .docx file cannot be read ({type(exc).__name__})") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileProblem("zip_members", f"over {MAX_ZIP_MEMBERS} zip members", MAX_ZIP_MEMBERS)
    declared_total = sum(m.file_size for m in members)
    declared_xml = sum(m.file_size for m in members if _is_xml_part(m.filename))
    _check_sizes(declared_total, declared_xml)
    total = xml = 0
    try:
        for member in members:
            if member.is_dir():
                continue
            is_xml = _is_xml_part(member.filename)
            tail = b""
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if is_xml:
                        xml += len(chunk)
                        window = tail + chunk[:32]
                        if any(m in chunk or m in window for m in _DTD_MARKERS):
                            raise FileProblem("unsafe_docx",
                                              f"{member.filename} declares a DTD or entities")
                        tail = chunk[-32:]
                    _check_sizes(total, xml)
    except FileProblem:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError,
            RuntimeError) as exc:  # a bad CRC, an unknown compression, an encrypted member
        raise FileProblem("broken_docx",
                          f"the .docx file cannot be read ({type(exc).__name__})") from exc
    return data


def _check_sizes(total: int, xml: int) -> None:
    if total > MAX_ZIP_TOTAL_BYTES:
        raise FileProblem("zip_too_large", f"over {MAX_ZIP_TOTAL_BYTES} bytes uncompressed",
                          MAX_ZIP_TOTAL_BYTES // _MB)
    if xml > MAX_XML_BYTES:
        raise FileProblem("xml_too_large", f"over {MAX_XML_BYTES} bytes of XML uncompressed",
                          MAX_XML_BYTES // _MB)


def _docx_text(data: bytes) -> str:
    if not data.startswith(b"PK"):
        raise FileProblem("not_docx", "not a Word .docx file (an old .doc? save it as .docx)")
    _checked_zip(data)
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        chars = 0

        def add(line: str) -> None:
            nonlocal chars
            chars += len(line) + 1
            if chars > MAX_TEXT_CHARS:
                raise FileProblem("too_long", f"over {MAX_TEXT_CHARS} characters of text",
                                  MAX_TEXT_CHARS)
            lines.append(line)

        def table_lines(table: Table) -> None:
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(p.text for p in cell.paragraphs).strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if cells:
                    add(" | ".join(cells))
                for cell in row.cells:
                    for inner in cell.tables:
                        table_lines(inner)

        body = document.element.body
        for child in body.iterchildren():
            if child.tag == qn("w:p"):
                add(Paragraph(child, document).text)
            elif child.tag == qn("w:tbl"):
                table_lines(Table(child, document))
            else:  # content controls, text boxes ...
                for p in child.iter(qn("w:p")):
                    add(Paragraph(p, document).text)
        for section in document.sections:
            for part in (section.header, section.footer):
                for p in part.paragraphs:
                    add(p.text)
    except FileProblem:
        raise
    except Exception as exc:  # a damaged file can fail anywhere inside python-docx or lxml
        raise FileProblem("broken_docx",
                          f"the .docx file cannot be read ({type(exc).__name__})") from exc
    return "\n".join(lines)


# ---------------------------------------------------------------- any file


def extract_text(data: bytes, filename: str) -> str:
    """The text of an uploaded file, by its suffix; `FileProblem` for what cannot be read."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise FileProblem(
            "unsupported",
            f"unsupported file type {suffix or '(none)'}: use "
            + ", ".join(SUPPORTED_SUFFIXES) + ", or paste the text",
        )
    if len(data) > MAX_BYTES:
        raise FileProblem("too_large",
                          f"the file is too large (over {MAX_BYTES // _MB} MB)")
    if suffix == ".docx":
        text = _docx_text(data)
    elif suffix in (".html", ".htm"):
        text = _html_text(data)
    else:
        text = _decode_text(data, "the file")
    check_text_budget(text)
    if not text.strip():
        raise FileProblem("empty", "the file contains no text")
    return text
