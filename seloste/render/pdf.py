"""PDF through WeasyPrint from our own standalone HTML page (the notice's, or the record's).

Why WeasyPrint on the HTML rather than LibreOffice headless on the DOCX (both were tried on the
keinuma example on the CI machine, see docs in the closing note and `make bench`):

- it gives everything the PDF needs from the HTML we already make: A4 from `@page`, selectable
  text with embedded subset fonts, the document language from `<html lang>` (PDF /Lang), the
  headings h1-h3 as nested bookmarks, working `mailto:`/web links and the table of contents' own
  internal links; LibreOffice's PDF of our DOCX came out in Letter size (the template's page
  size) and needs the `Hyperlink` character style for links to survive;
- it runs in-process: no `soffice` process per download, no profile folder per call (concurrent
  `soffice` calls sharing a profile fail silently), about 3x faster here;
- install weight: pure-Python wheels (weasyprint, pydyf, tinycss2, cssselect2, fonttools, pyphen)
  plus Debian's Pango, which Chromium and LibreOffice already pull in (`.ci/run` names it).

The PDF is tagged (a structure tree for screen readers) and has fixed metadata dates, so the
same draft gives the same PDF from the wizard and the CLI.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from seloste.model import Notice
from seloste.render.html import render_page
from seloste.vocab import Lang

PDF_MIME = "application/pdf"

#: Print rules added to the page's own style: A4, margins, headings kept with what follows,
#: and the table of contents left out (the PDF's bookmarks are its navigation).
PRINT_CSS = """
@page { size: A4; margin: 2cm 2cm 2.2cm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt;
                        color: #555; } }
body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
h1, h2, h3 { break-after: avoid; }
tr, li { break-inside: avoid; }
a { color: #0b5cad; }
/* A4 leaves ~17 cm: five columns of Finnish compounds ("vakiosopimuslausekkeet",
   "yhteisrekisterinpitäjä") are wider than that at their narrowest, and the last column ran
   off the page. The columns keep the widths the document gives them (as in the DOCX), and
   a word alone wider than its column breaks inside (no hyphen: pyphen has no Finnish
   patterns, and a hyphen added in sv/en would change the text a reader copies). */
table { font-size: 8.5pt; table-layout: fixed; }
th, td { overflow-wrap: break-word; }
"""


@cache
def _print_css() -> Any:
    from weasyprint import CSS

    return CSS(string=PRINT_CSS)


def pdf_from_html(html: str, day: dt.date | None = None) -> bytes:
    """A4 PDF of a standalone HTML page; bookmarks from its headings, language from its lang."""
    from weasyprint import HTML  # imported here: loading Pango costs ~1 s, only PDF needs it

    document = HTML(string=html).render(stylesheets=[_print_css()])
    if day is not None:
        stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).isoformat()
        document.metadata.created = document.metadata.modified = stamp
    else:
        document.metadata.created = document.metadata.modified = None
    # Tagged (a structure tree of headings, lists and tables) so screen readers can follow it;
    # on keinuma this cost no measurable time next to the layout.
    data: bytes = document.write_pdf(uncompressed_pdf=False, pdf_tags=True)
    return data


def render_pdf(notice: Notice, lang: Lang | str | None = None) -> bytes:
    return pdf_from_html(render_page(notice, lang), notice.updated or notice.created)
