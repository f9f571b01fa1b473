"""The committed DOCX template is exactly what templates/build_docx_template.py builds."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_docx_template",
                                                  ROOT / "templates/build_docx_template.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_template_matches_script(tmp_path: Path) -> None:
    builder = _builder()
    fresh = tmp_path / "notice.docx"
    builder.build(fresh)
    committed = ROOT / "templates/notice.docx"
    assert builder.describe(committed) == builder.describe(fresh)
    committed_styles = {s.name for s in docx.Document(str(committed)).styles}
    fresh_styles = {s.name for s in docx.Document(str(fresh)).styles}
    assert committed_styles == fresh_styles
    assert {"Hyperlink", "Heading 1", "Heading 2", "Title", "List Bullet"} <= committed_styles
