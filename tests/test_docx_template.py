"""The committed DOCX template is exactly what `seloste/render/docx_template.py` builds."""

from __future__ import annotations

from pathlib import Path

import docx

from seloste.render import docx_template
from seloste.render.docx import template_bytes
from seloste.render.templating import template_file


def test_committed_template_matches_script(tmp_path: Path) -> None:
    fresh = tmp_path / "notice.docx"
    docx_template.build(fresh)
    committed = docx_template.TARGET
    assert committed.is_file()
    assert docx_template.describe(committed) == docx_template.describe(fresh)
    committed_styles = {s.name for s in docx.Document(str(committed)).styles}
    fresh_styles = {s.name for s in docx.Document(str(fresh)).styles}
    assert committed_styles == fresh_styles
    assert {"Hyperlink", "Heading 1", "Heading 2", "Title", "List Bullet"} <= committed_styles
    # The builder writes fixed zip times, so a rebuild that changes nothing changes no byte.
    assert fresh.read_bytes() == committed.read_bytes()


def test_the_renderer_reads_the_committed_template() -> None:
    """The builder's target and the package resource the renderer loads are one file."""
    assert template_bytes() == docx_template.TARGET.read_bytes()
    assert template_file("notice.docx").read_bytes() == docx_template.TARGET.read_bytes()


def test_make_target_builds_the_template(tmp_path: Path) -> None:
    """`python -m seloste.render.docx_template TARGET` (what `make docx-template` runs)."""
    out = tmp_path / "built.docx"
    docx_template.main([str(out)])
    assert docx_template.describe(out) == docx_template.describe(docx_template.TARGET)
