"""Issue #20: an uploaded file's name is shown as text, never rendered as Markdown.

A name like ``![x](http://evil/p.png).docx`` made every visitor's browser fetch the image, and
``[link](…)`` drew a link. The page escapes it (`seloste.web.widgets.md`); Streamlit's Markdown
then shows the characters as typed.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from seloste.web.widgets import md

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "![x](http://127.0.0.1:9/p.png) [linkki](http://127.0.0.1:9/) **lihava**.txt"
#: Every Markdown character of the name backslash-escaped (and so shown as typed).
ESCAPED = md(HOSTILE)


def _checked(content: bytes) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "check_notice.py"), default_timeout=30)
    at.run()
    at.file_uploader(key="check_notice.file").set_value((HOSTILE, content, "text/plain"))
    at.button(key="check_notice.run").click()
    at.run()
    assert not at.exception
    return at


def test_the_checked_file_s_name_is_text() -> None:
    at = _checked("Tietosuojaseloste. Rekisterinpitäjä: Oy Esimerkki Ab.".encode())
    captions = [c.value for c in at.caption if "txt" in c.value]
    assert captions and all(ESCAPED in c for c in captions), captions
    assert not any(HOSTILE in c for c in captions)
    assert r"\!\[x\]" in ESCAPED and r"\[linkki\]" in ESCAPED


def test_an_unreadable_file_s_name_is_text() -> None:
    at = _checked(b"\x00\x01\x02 binary")
    shown = " ".join(e.value for e in at.error)
    assert HOSTILE not in shown
    assert ESCAPED in shown or not shown, shown
