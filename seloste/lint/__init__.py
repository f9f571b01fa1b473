"""Check a privacy notice a company already has: outdated law, missing items, known services.

The lint reads plain text (pasted, or taken from a .txt, .md, .docx or .html file) and reports:

- outdated law: the repealed Henkilötietolaki 523/1999, "10 § ja 24 §", Privacy Shield,
  Viestintävirasto ... (the patterns are `seloste.rules.OUTDATED_PATTERNS`, shared with the
  draft checks), each with the text it matched;
- Art. 13/14 items it cannot find, by Finnish, Swedish and English keyword stems (so inflected
  forms match: "suostumuksesi", "valvontaviranomaiselle"). These are said as "may be missing":
  a keyword search cannot prove absence, and it cannot judge whether what it found is correct;
- the catalogue's services named in the text, and what the catalogue knows that the text does
  not say: transfers outside the EEA with no safeguard named (or denied), Meta's joint
  controllership, cookie consent for analytics and pixels.

docs/lint.md says plainly what this can and cannot detect. Keep it in step with the patterns.

The package: `words` (the keyword stems), `analyse` (text -> report), `report` (the report and
its text/JSON forms); reading files is `seloste.extract`, shared with the wizard's upload.
"""

from __future__ import annotations

from seloste.catalogue import recognise_services
from seloste.extract import MAX_BYTES, SUPPORTED_SUFFIXES, FileProblem, extract_text
from seloste.lint.analyse import lint_bytes, lint_file, lint_text
from seloste.lint.report import (
    LintReport,
    MissingItem,
    OutdatedHit,
    format_lint,
    outdated_groups,
)

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "FileProblem",
    "LintReport",
    "MissingItem",
    "OutdatedHit",
    "extract_text",
    "format_lint",
    "lint_bytes",
    "lint_file",
    "lint_text",
    "outdated_groups",
    "recognise_services",
]
