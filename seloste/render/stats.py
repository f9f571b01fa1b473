"""Figures about a notice as a reader meets it: length, repetition, and where things are.

Art. 12(1) asks for information that is concise and intelligible. Issue #12 measured today's
notice (1,842 words, the rights starting near word 1,500, whole paragraphs repeated in every
register) and set targets; these figures are how a user, `seloste stats` and the tests see
whether the notice meets them. They are computed from the document IR (`render.document`), so
they hold for every format alike: HTML, Markdown and DOCX render the same blocks.

- words: every word a reader sees (title, headings, text, table cells), except the table of
  contents, which only repeats the headings;
- repeated sentences: sentences of at least `REPEAT_MIN_WORDS` words that appear more than once
  verbatim (the boilerplate the issue wants said once). Table cells are not counted: a value
  repeated down a column ("Yhdysvallat: tietosuojakehys") is what a table is for;
- words before the rights: how far a reader gets before the first block that tells them their
  rights (item RT);
- reading order: the Art. 13/14 items in the order a reader first meets them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from seloste.model import Notice
from seloste.render.document import Block, Document, build_document
from seloste.vocab import Lang

#: The issue's threshold: a sentence of eight or more words said twice is boilerplate.
REPEAT_MIN_WORDS = 8

_WORD = re.compile(r"\w", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n")


def words(text: str) -> int:
    """Whitespace-separated tokens with a letter or digit ("–" and "|" are not words)."""
    return sum(1 for token in text.split() if _WORD.search(token))


def _block_texts(block: Block) -> list[str]:
    if block.kind == "toc":
        return []
    if block.kind == "table":
        return ([block.caption] if block.caption else []) + block.header + [
            cell for row in block.rows for cell in row]
    return [block.text]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


@dataclass
class NoticeStats:
    lang: Lang
    words: int
    words_without_headings: int
    repeated: dict[str, int] = field(default_factory=dict)
    """Sentence -> how many times it appears (only those of >= 8 words, seen twice or more)."""
    words_before_rights: int = 0
    first_layer_words: int = 0
    reading_order: list[str] = field(default_factory=list)

    @property
    def repeated_count(self) -> int:
        return len(self.repeated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang.value,
            "words": self.words,
            "words_without_headings": self.words_without_headings,
            "first_layer_words": self.first_layer_words,
            "words_before_rights": self.words_before_rights,
            "repeated_sentences": self.repeated_count,
            "repeated": [{"sentence": s, "times": n} for s, n in self.repeated.items()],
            "reading_order": self.reading_order,
        }


def document_stats(doc: Document) -> NoticeStats:
    total = words(doc.title)
    body = 0
    before_rights: int | None = None
    first_layer = 0
    order: list[str] = []
    counter: Counter[str] = Counter()
    for block in doc.blocks:
        texts = _block_texts(block)
        n = sum(words(t) for t in texts)
        if block.item == "RT" and before_rights is None:
            before_rights = total
        if block.item and block.item not in ("summary",) and block.item not in order:
            order.append(block.item)
        total += n
        if block.kind not in ("h1", "h2", "h3"):
            body += n
        if block.box:
            first_layer += n
        for text in texts if block.kind != "table" else []:
            for sentence in sentences(text):
                if words(sentence) >= REPEAT_MIN_WORDS:
                    counter[sentence] += 1
    return NoticeStats(
        lang=doc.lang, words=total, words_without_headings=body,
        repeated={s: c for s, c in counter.items() if c > 1},
        words_before_rights=total if before_rights is None else before_rights,
        first_layer_words=first_layer, reading_order=order,
    )


def notice_stats(notice: Notice, lang: Lang | str | None = None) -> NoticeStats:
    return document_stats(build_document(notice, lang))


def format_stats(stats: NoticeStats) -> str:
    """The figures as lines a person reads (the CLI's text output)."""
    lines = [
        f"language: {stats.lang.value}",
        f"words: {stats.words} ({stats.words_without_headings} without headings)",
        f"first layer: {stats.first_layer_words} words",
        f"words before the rights: {stats.words_before_rights}",
        f"repeated sentences (>= {REPEAT_MIN_WORDS} words): {stats.repeated_count}",
    ]
    for sentence, times in stats.repeated.items():
        lines.append(f"  {times}x {sentence}")
    lines.append("reading order: " + " ".join(stats.reading_order))
    return "\n".join(lines) + "\n"
