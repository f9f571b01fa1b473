"""The PDF of the notice and of the record (issue #17), read back with pdftotext and pypdf:
every heading and user string is in the text, the headings are the PDF's outline, every page is
A4, the document language is set, and the links work."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import clients
import pytest

clients.require("pdftotext")

from pypdf import PdfReader  # noqa: E402
from test_record import record_strings, rich_notice  # noqa: E402
from user_text import expected_strings  # noqa: E402

from seloste.draft_file import dump_draft  # noqa: E402
from seloste.examples import NAMES, load_example  # noqa: E402
from seloste.i18n import LANGS  # noqa: E402
from seloste.record.build import build_record  # noqa: E402
from seloste.record.html import render_record_html  # noqa: E402
from seloste.render.document import build_document  # noqa: E402
from seloste.render.pdf import pdf_from_html, render_pdf  # noqa: E402
from seloste.render.templating import LANG_TAGS  # noqa: E402
from seloste.vocab import Lang  # noqa: E402

pytestmark = pytest.mark.slow

CASES = [(name, lang) for name in NAMES for lang in LANGS]
IDS = [f"{name}-{lang.value}" for name, lang in CASES]
A4 = (595.28, 841.89)  # points
_FOOTER = re.compile(r"^\s*\d+ / \d+\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {case: render_pdf(load_example(name), lang)
            for (name, lang), case in zip(CASES, IDS, strict=True)}


def pdf_text(data: bytes, tmp: Path) -> str:
    """Text as pdftotext reads it, without the page-number footers, white space squashed.

    ``-raw`` keeps the content stream's order: WeasyPrint writes a table cell by cell, while
    pdftotext's reading order interleaves the lines of neighbouring cells."""
    path = tmp / "in.pdf"
    path.write_bytes(data)
    exe = clients.pdftotext()
    assert exe
    text = subprocess.run([exe, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
    return squash(_FOOTER.sub("", text))


def squash(text: str) -> str:
    return "".join(text.split())


def outline(items: list[object], level: int = 1) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for item in items:
        if isinstance(item, list):
            found += outline(item, level + 1)
        else:
            found.append((level, " ".join(str(item.title).split())))  # type: ignore[attr-defined]
    return found


def uris(reader: PdfReader) -> set[str]:
    found = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.add(str(action["/URI"]))
    return found


def internal_targets(reader: PdfReader) -> set[str]:
    """The named destinations the PDF's internal links (GoTo actions, /Dest) jump to."""
    found = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            dest = obj.get("/Dest")
            if action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            if dest is not None:
                found.add(str(dest))
    return found


def check_pages_and_language(reader: PdfReader, lang: Lang) -> None:
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=0.5)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == LANG_TAGS[lang]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged PDF


def _case(case: str) -> tuple[str, Lang]:
    return CASES[IDS.index(case)]


@pytest.mark.parametrize("case", IDS)
def test_every_heading_and_user_string_is_in_the_text(pdfs: dict[str, bytes], case: str,
                                                      tmp_path: Path) -> None:
    name, lang = _case(case)
    text = pdf_text(pdfs[case], tmp_path)
    doc = build_document(load_example(name), lang)
    wanted = [("title", doc.title)] + [(b.kind, b.text) for b in doc.blocks
                                       if b.kind in ("h2", "h3")]
    wanted += expected_strings(load_example(name), lang)
    missing = [(what, value) for what, value in wanted if squash(value) not in text]
    assert not missing, missing


#: The print stylesheet's side margin (2 cm), in points.
MARGIN = 2 / 2.54 * 72


@pytest.mark.parametrize("case", IDS)
def test_nothing_runs_off_the_page(pdfs: dict[str, bytes], case: str, tmp_path: Path) -> None:
    """The recipients table's five columns of Finnish compounds were wider than A4 and its
    last column was cut at the page edge (the text was still in the file, so the text test
    above passed): every word must lie inside the margins, as pdftotext places it."""
    path = tmp_path / "in.pdf"
    path.write_bytes(pdfs[case])
    exe = clients.pdftotext()
    assert exe
    boxes = subprocess.run([exe, "-bbox", str(path), "-"], capture_output=True, text=True,
                           check=True, timeout=120).stdout
    right = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"',
                                          boxes)]
    assert len(right) > 500
    assert max(right) <= A4[0] - MARGIN + 1


@pytest.mark.parametrize("case", IDS)
def test_outline_is_the_heading_tree_pages_a4_language_set(pdfs: dict[str, bytes],
                                                           case: str) -> None:
    name, lang = _case(case)
    reader = PdfReader(io.BytesIO(pdfs[case]))
    doc = build_document(load_example(name), lang)
    expected = [(1, doc.title)] + [(2 if b.kind == "h2" else 3, " ".join(b.text.split()))
                                   for b in doc.blocks if b.kind in ("h2", "h3")]
    assert outline(reader.outline) == expected
    check_pages_and_language(reader, lang)
    assert reader.metadata is not None and reader.metadata.title == doc.title


@pytest.mark.parametrize("case", IDS)
def test_links_work(pdfs: dict[str, bytes], case: str) -> None:
    name, lang = _case(case)
    doc = build_document(load_example(name), lang)
    links = {r.url for b in doc.blocks for r in b.runs if r.url}
    reader = PdfReader(io.BytesIO(pdfs[case]))
    found = uris(reader)
    assert load_example(name).controller.website in found
    assert {u for u in links if not u.startswith("#")} - found == set()
    # the first layer's links to the recipients table and the objection section jump inside
    targets = internal_targets(reader)
    for anchor in (u[1:] for u in links if u.startswith("#")):
        assert any(anchor in target for target in targets), (anchor, targets)


def test_same_bytes_and_cli_equals_library(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    draft = tmp_path / "keinuma.json"
    draft.write_text(dump_draft(load_example("keinuma")), encoding="utf-8")
    out = tmp_path / "seloste.pdf"
    proc = subprocess.run([sys.executable, "-m", "seloste.cli", "render", str(draft),
                           "--format", "pdf", "--lang", "sv", "-o", str(out)],
                          capture_output=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == pdfs["keinuma-sv"]


@pytest.mark.parametrize("lang", LANGS)
def test_record_pdf(lang: Lang, tmp_path: Path) -> None:
    notice = rich_notice()
    data = pdf_from_html(render_record_html(notice, lang), notice.updated)
    reader = PdfReader(io.BytesIO(data))
    check_pages_and_language(reader, lang)
    record = build_record(notice, lang)
    titles = [title for _, title in outline(reader.outline)]
    assert titles[0] == record.title
    assert [r.name.pick(lang) for r in notice.registers] == titles[2:]
    text = pdf_text(data, tmp_path)
    missing = [(w, v) for w, v in record_strings(notice, lang) if squash(v) not in text]
    assert not missing, missing
    out = tmp_path / "record.pdf"
    draft = tmp_path / "draft.json"
    draft.write_text(dump_draft(notice), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "seloste.cli", "record", str(draft),
                           "--format", "pdf", "--lang", lang.value, "-o", str(out)],
                          capture_output=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == data
