"""Imported once by the worker processes' forkserver (`seloste.isolation`): warm the caches.

Every job runs in a fresh fork of the forkserver, so what the forkserver has loaded, compiled
and cached is there for free in every job: the lint's patterns, the catalogue, the texts, the
Word reader and the draft model. Without this a job spent ~0.8 s filling them again.
"""

from __future__ import annotations

import io


def _warm() -> None:
    import docx

    from seloste.draft_file import parse_draft
    from seloste.examples import example_json
    from seloste.lint import format_lint, lint_bytes
    from seloste.vocab import Lang

    document = docx.Document()
    document.add_paragraph("Rekisteriseloste. Henkilötietolaki 523/1999. Mailchimp.")
    buffer = io.BytesIO()
    document.save(buffer)
    for lang in Lang:
        format_lint(lint_bytes(buffer.getvalue(), "warm.docx"), lang)
        lint_bytes(b"<p>Tietosuojaseloste</p>", "warm.html")
        parse_draft(example_json("keinuma"), lang)


_warm()
