"""LibreOffice opens every example DOCX (issue #7): both examples in fi, sv and en, to PDF.

What a user would check in the PDF: every heading and every string the user typed is there,
the headings became the PDF's outline (bookmarks), and the links still point somewhere (a
docxtpl hyperlink without a `Hyperlink` style loses its link, docs/design.md).

One soffice launch converts all six files, with its own profile directory: concurrent soffice
calls that share a profile fail silently (docs/design.md). Text comes from pdftotext
(poppler-utils), the outline and links from pypdf.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import clients
import pytest

clients.require("soffice", "pdftotext")

from pypdf import PdfReader  # noqa: E402
from user_text import expected_strings  # noqa: E402

from seloste.examples import NAMES, load_example  # noqa: E402
from seloste.render import Format, render  # noqa: E402
from seloste.render.document import Document, build_document  # noqa: E402
from seloste.vocab import Lang  # noqa: E402

pytestmark = pytest.mark.slow

CASES = [(name, lang) for name in NAMES for lang in Lang]
IDS = [f"{name}-{lang.value}" for name, lang in CASES]

#: PDF export with bookmarks from the headings (LibreOffice >= 7.4 reads JSON filter options).
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"}}'


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for (name, lang), case in zip(CASES, IDS, strict=True):
        path = work / f"{case}.docx"
        path.write_bytes(render(load_example(name), Format.docx, lang))
        sources.append(str(path))
    out = work / "pdf"
    profile = work / "profile"
    soffice = clients.soffice()
    assert soffice
    cmd = [soffice, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", PDF_FILTER, "--outdir", str(out), *sources]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    result = {case: out / f"{case}.pdf" for case in IDS}
    absent = [case for case, pdf in result.items() if not pdf.is_file()]
    assert not absent, (f"soffice wrote no PDF for {absent} (exit {proc.returncode})\n"
                        f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    yield result
    shutil.rmtree(profile, ignore_errors=True)


def _squash(text: str) -> str:
    """Compare without white space and hyphens: line and page breaks fall anywhere in a PDF, and
    pdftotext drops the hyphen of a word broken at one ("e-post" at a line end reads "epost")."""
    return "".join(text.split()).replace("-", "")


def _pdf_text(pdf: Path) -> str:
    exe = clients.pdftotext()
    assert exe
    return subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


def _document(case: str) -> Document:
    name, lang = CASES[IDS.index(case)]
    return build_document(load_example(name), lang)


def _headings(doc: Document) -> list[tuple[int, str]]:
    """(outline level, text): section headings are Heading 1, their subsections Heading 2."""
    return [(1 if b.kind == "h2" else 2, b.text) for b in doc.blocks if b.kind in ("h2", "h3")]


def _outline(items: list[object], level: int = 1) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for item in items:
        if isinstance(item, list):
            found += _outline(item, level + 1)
        else:
            found.append((level, str(item.title)))  # type: ignore[attr-defined]
    return found


def _uris(pdf: Path) -> set[str]:
    uris = set()
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def _norm_url(url: str) -> str:
    return url.rstrip("/")  # LibreOffice writes "https://example.fi" as "https://example.fi/"


@pytest.mark.parametrize("case", IDS)
def test_pdf_text_has_every_heading_and_user_string(pdfs: dict[str, Path], case: str) -> None:
    text = _squash(_pdf_text(pdfs[case]))
    doc = _document(case)
    name, lang = CASES[IDS.index(case)]
    wanted = [("title", doc.title)] + [(f"heading {t!r}", t) for _, t in _headings(doc)]
    wanted += expected_strings(load_example(name), lang)
    missing = [f"{what}: {value!r}" for what, value in wanted if _squash(value) not in text]
    assert not missing, f"{case}: not in LibreOffice's PDF:\n" + "\n".join(missing)


@pytest.mark.parametrize("case", IDS)
def test_pdf_outline_is_the_heading_tree(pdfs: dict[str, Path], case: str) -> None:
    outline = _outline(PdfReader(pdfs[case]).outline)
    expected = _headings(_document(case))
    assert [(lvl, " ".join(t.split())) for lvl, t in outline] == [
        (lvl, " ".join(t.split())) for lvl, t in expected]


@pytest.mark.parametrize("case", IDS)
def test_pdf_links_survive(pdfs: dict[str, Path], case: str) -> None:
    doc = _document(case)
    name, _ = CASES[IDS.index(case)]
    website = load_example(name).controller.website
    assert website, "the examples name a website"
    uris = {_norm_url(u) for u in _uris(pdfs[case])}
    assert _norm_url(website) in uris
    # "#anchor" links go to a bookmark inside the document, not to a URI
    links = {_norm_url(r.url) for b in doc.blocks for r in b.runs
             if r.url and not r.url.startswith("#")}
    assert links - uris == set(), f"links lost in the PDF: {sorted(links - uris)}"
