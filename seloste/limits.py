"""How big a draft may get: bounds a real company never meets and a hostile file always does.

Why: without bounds a 990 kB valid draft with 330,000 empty registers imported (2.5 GB resident
afterwards), was reported as saved and then could never be opened again; 2,000 registers left
the registers step undrawn. Every bound here is an order of magnitude above what a small
company writes (the examples have 1-4 registers, 1-5 purposes and 2-8 services each) and low
enough that the wizard's pages, the renderers and the draft store stay fast at the bound.

The list bounds are ``max_length=`` on the model's fields (`seloste.model`), so the import, the
autosave, the CLI and any other ``Notice.model_validate`` enforce them alike. The size bound is
on the draft *file* (`seloste.draft_file.dump_draft`): the wizard refuses to save or export a
draft whose file it could not import again (`export_problem`), so everything it saves or
exports it can open again.
"""

from __future__ import annotations

from typing import Final

from seloste.fields import LONG_MAX, SHORT_MAX

#: Registers (one per group of people: customers, staff, applicants, ...). Examples have 1-4.
MAX_REGISTERS: Final = 50
#: Purposes per register, each with its own legal basis.
MAX_PURPOSES: Final = 30
#: Services used for one register (catalogue or custom).
MAX_SERVICES: Final = 60
#: Retention rules per register.
MAX_RETENTION_RULES: Final = 30
#: Cookies the user describes by hand (catalogue services bring their own).
MAX_COOKIES: Final = 200
#: Free-text list items (own data subjects, own data categories) per register.
MAX_LIST_ITEMS: Final = 100
#: Chosen options of one multiple choice (the option sets have at most ~40 values; duplicates
#: in a hand-edited file are refused instead of multiplied).
MAX_CHOICES: Final = 100
#: A one-line text and a long text, in characters (`seloste.fields`).
MAX_SHORT_TEXT: Final = SHORT_MAX
MAX_LONG_TEXT: Final = LONG_MAX
#: The draft file, in bytes of UTF-8 as `dump_draft` writes it. The same number is the
#: import's default limit (``SELOSTE_MAX_UPLOAD_BYTES``) and fits Streamlit's
#: ``server.maxUploadSize = 1`` (1 MiB = 1,048,576 bytes), so a file the wizard wrote is never
#: refused by its own upload. A draft of 50 registers with a paragraph in every field is ~300 kB.
MAX_DRAFT_BYTES: Final = 1_000_000
#: Error lines shown for one file; the rest are counted ("… and 4,812 more").
MAX_ERRORS_SHOWN: Final = 50


def export_problem(file_bytes: int, limit: int = MAX_DRAFT_BYTES) -> dict[str, int] | None:
    """``None`` when a draft file of ``file_bytes`` can be imported again, else the figures.

    The caller says it in the user's language (``drafts.too_large_to_save``).
    """
    if file_bytes <= limit:
        return None
    return {"size": file_bytes, "limit": limit}
