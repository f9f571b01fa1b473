"""Render figures: keinuma and a large draft in every format, against bare jinja2 / docxtpl.

Baselines render the *same content* without our layer: the block texts of the very document
we render (taken once, outside the timing) go through a one-loop jinja2 template with
autoescape, or through `templates/notice.docx` with a context of plain strings (docxtpl's
RichText for paragraphs, docxtpl subdocuments for tables). What the ratio shows is therefore
the cost of our layer: building the document from the model (clauses, catalogue, dates),
hyperlinks, proofing language, core properties and the deterministic zip.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from typing import Any

from docxtpl import DocxTemplate, RichText
from jinja2 import Environment

from bench.report import Figure, timed_figure
from bench.stats import interleaved
from seloste.catalogue import load_catalogue
from seloste.examples import load_example
from seloste.model import Notice
from seloste.render import Format, render
from seloste.render.document import Document, build_document
from seloste.render.docx import template_bytes

GROUP = "render"
LARGE_REGISTERS = 10
LARGE_SERVICES = 40

BARE_HTML = (
    "<section>{% for b in blocks %}<{{ b.tag }}>{{ b.text }}</{{ b.tag }}>\n"
    "{% endfor %}</section>\n"
)


def large_notice() -> Notice:
    """10 registers and 40 distinct catalogue services (4 per register), from keinuma's answers.

    Registers cycle through keinuma's three (renamed), so every register is complete and
    realistic; services are the first 40 catalogue ids in sorted order.
    """
    ids = sorted(load_catalogue().entries)[:LARGE_SERVICES]
    if len(ids) < LARGE_SERVICES:
        raise RuntimeError(f"the catalogue has only {len(ids)} services")
    data = load_example("keinuma").model_dump(mode="json")
    base = data["registers"]
    per = LARGE_SERVICES // LARGE_REGISTERS
    registers = []
    for i in range(LARGE_REGISTERS):
        reg = dict(base[i % len(base)])
        reg["name"] = f"{reg['name']} {i + 1}"
        reg["services"] = [
            {"catalogue_id": sid, "custom": None, "note": ""}
            for sid in ids[i * per:(i + 1) * per]
        ]
        registers.append(reg)
    data["registers"] = registers
    data["cookies"]["uses_cookies"] = True
    return Notice.model_validate(data)


# ---------------------------------------------------------------- baselines


def plain_blocks(doc: Document) -> list[dict[str, Any]]:
    """The document as (kind, text) pairs holding every character it shows."""
    out: list[dict[str, Any]] = []
    for b in doc.blocks:
        if b.kind == "table":
            rows = [b.header, *b.rows]
            out.append({"kind": "table", "tag": "table", "text": "",
                        "rows": [list(r) for r in rows]})
        elif b.kind == "toc":
            out.append({"kind": "p", "tag": "nav", "text": " ".join(t for t, _ in b.entries)})
        else:
            tag = {"meta": "p", "li": "li"}.get(b.kind, b.kind)
            out.append({"kind": b.kind, "tag": tag, "text": b.text})
    return out


def size_of(blocks: list[dict[str, Any]]) -> dict[str, int]:
    chars = 0
    for b in blocks:
        chars += len(b["text"]) + sum(len(c) for row in b.get("rows", []) for c in row)
    return {"blocks": len(blocks), "chars": chars}


class BareJinja:
    """One loop over the blocks, autoescape on: what any jinja2 page of this size costs."""

    def __init__(self, doc: Document) -> None:
        self.template = Environment(autoescape=True).from_string(BARE_HTML)
        blocks: list[dict[str, str]] = []
        for b in plain_blocks(doc):
            text = b["text"] or " | ".join(c for row in b.get("rows", []) for c in row)
            blocks.append({"tag": b["tag"], "text": text})
        self.blocks = blocks
        self.title = doc.title

    def __call__(self) -> str:
        return self.template.render(title=self.title, blocks=self.blocks)


class BareDocx:
    """templates/notice.docx rendered by docxtpl with the same content as plain strings.

    A table's rows become plain paragraphs (cells joined by tabs): docxtpl has no cheaper way
    to carry the same text, and a subdocument per table would make the baseline slower than
    our renderer, which writes table XML directly.
    """

    def __init__(self, doc: Document) -> None:
        self.template = template_bytes()
        self.title = doc.title
        self.blocks: list[dict[str, Any]] = []
        for b in plain_blocks(doc):
            if b["kind"] == "table":
                self.blocks.extend({"kind": "p", "text": "\t".join(row)} for row in b["rows"])
            else:
                self.blocks.append(b)

    def __call__(self) -> bytes:
        tpl = DocxTemplate(io.BytesIO(self.template))
        blocks: list[dict[str, Any]] = []
        meta = None
        for b in self.blocks:
            if b["kind"] == "meta":
                meta = RichText(b["text"])
            else:
                blocks.append({"kind": b["kind"], "text": b["text"], "rich": RichText(b["text"])})
        tpl.render({"title": self.title, "meta": meta, "blocks": blocks}, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()


# ---------------------------------------------------------------- figures

FORMAT_LABELS = {
    Format.html: "HTML fragment",
    Format.page: "HTML page",
    Format.md: "Markdown",
    Format.docx: "DOCX",
}


def _targets(case: str, fmt: Format) -> tuple[list[dict[str, Any]], str]:
    if case == "keinuma" and fmt in (Format.html, Format.page):
        return [{"metric": "median", "limit": 5.0}], "<= 5 ms"
    if case == "keinuma" and fmt is Format.docx:
        return [{"metric": "median", "limit": 40.0}], "<= 40 ms"
    if case == "large" and fmt is Format.docx:
        return [{"metric": "median", "limit": 150.0}], "<= 150 ms"
    return [], ""


def run(quick: bool = False) -> list[Figure]:
    cases = {"keinuma": load_example("keinuma"), "large": large_notice()}
    figures: list[Figure] = []
    for case, notice in cases.items():
        doc = build_document(notice)
        size = size_of(plain_blocks(doc))
        bare_html, bare_docx = BareJinja(doc), BareDocx(doc)
        for fmt in Format:
            if fmt is Format.docx:
                repeat = 3 if quick else (40 if case == "keinuma" else 20)
                baseline: Callable[[], object] = bare_docx
                base_label = "bare docxtpl, notice.docx, same text as plain paragraphs"
            else:
                repeat = 5 if quick else (200 if case == "keinuma" else 60)
                baseline = bare_html
                base_label = "bare jinja2, one loop, same text"
            samples = interleaved(
                {"ours": partial(render, notice, fmt), "base": baseline},
                repeat=repeat, warmup=1 if quick else 3,
            )
            targets, text = _targets(case, fmt)
            what = "keinuma" if case == "keinuma" else (
                f"large draft ({LARGE_REGISTERS} registers, {LARGE_SERVICES} services)")
            figures.append(timed_figure(
                f"render.{case}.{fmt.value}", GROUP, f"render {what}: {FORMAT_LABELS[fmt]}",
                samples["ours"], baseline_label=base_label, baseline_samples=samples["base"],
                targets=targets, target_text=text,
                extra={"output_bytes": len(render(notice, fmt)), **size},
            ))
    figures.append(pdf_figure(quick))
    return figures


def pdf_figure(quick: bool = False) -> Figure:
    """Issue #17: keinuma as PDF (WeasyPrint on the page HTML), timed interleaved with the
    DOCX render of the same draft, which is the baseline here."""
    from seloste.render.pdf import render_pdf

    notice = load_example("keinuma")
    samples = interleaved(
        {"pdf": partial(render_pdf, notice), "docx": partial(render, notice, Format.docx)},
        repeat=2 if quick else 10, warmup=1,
    )
    return timed_figure(
        "render.keinuma.pdf", GROUP, "render keinuma: PDF (WeasyPrint, page HTML)",
        samples["pdf"], baseline_label="DOCX render of keinuma, same run",
        baseline_samples=samples["docx"],
        extra={"output_bytes": len(render_pdf(notice))},
    )
