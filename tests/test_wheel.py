"""A wheel of seloste, installed outside the checkout, renders a notice.

Why: the renderers read their templates as package data. A path computed from a module's file
(`Path(__file__).parents[2] / "templates"`) works in a clone and nowhere else, and nothing but an
installed wheel shows it. So this test builds the wheel from a copy of the sources, installs it
into a fresh virtual environment in a temporary folder and runs the installed `seloste` command
from there: `seloste example keinuma | seloste render - --format docx -o notice.docx`.

The wheel is installed with `--no-deps`; its dependencies (streamlit, docxtpl, ...) are borrowed
from the test environment through a `.pth` line naming its site-packages. A plain path line does
not process that folder's own `.pth` files, so the checkout's editable install of seloste stays
invisible: the new interpreter can import seloste only from the wheel, and the test asserts so.
This keeps the test offline and a few seconds long, instead of installing streamlit afresh.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import docx
import pytest

from seloste.examples import load_example
from seloste.render import render
from seloste.vocab import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]

#: What the wheel must carry for the renderers to work (package data, not modules).
TEMPLATES = [
    "seloste/render/templates/notice.docx",
    "seloste/render/templates/fragment.html.j2",
    "seloste/render/templates/page.html.j2",
    "seloste/render/templates/notice.md.j2",
    # issue 17: the record of processing, the change list and the review-step texts
    "seloste/record/record.html.j2",
    "seloste/record/texts/fi.yaml",
    "seloste/changes_texts/sv.yaml",
    "seloste/web/ui_publishing/en.yaml",
]

#: The checkout's own folders that are not sources (and would make the copy slow or unclean).
_NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "data", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "tmp", "tests", "bench",
)


def _run(args: list[str | Path], *, cwd: Path, env: dict[str, str],
         stdin: bytes | None = None) -> bytes:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, input=stdin,
                            capture_output=True, check=False, timeout=300)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-4000:])
    return result.stdout


def _clean_env() -> dict[str, str]:
    """The environment without anything that would point Python back at the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP"}}
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel --no-deps` of a copy of the sources (setuptools writes build/ into the tree)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCES)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, source],
         cwd=base, env=_clean_env())
    (built,) = dist.glob("seloste-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment, outside the checkout, with only the wheel installed in it."""
    folder = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", folder], cwd=folder.parent,
         env=_clean_env())
    python = folder / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
          "--no-index", wheel], cwd=folder.parent, env=_clean_env())
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=folder.parent, env=_clean_env()).decode().strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n",
                                                  encoding="utf-8")
    return folder


def test_the_wheel_carries_the_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert set(TEMPLATES) <= names
        committed = ROOT / "seloste/render/templates/notice.docx"
        assert zf.read("seloste/render/templates/notice.docx") == committed.read_bytes()
    assert not any(name.startswith(("templates/", "tests/", "pages/")) for name in names)


def test_the_wheel_carries_the_lint_stems(wheel: Path) -> None:
    """`seloste lint` compiles its patterns from these files at import: without them it fails."""
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    wanted = {f"seloste/lint/stems/{lang}.yaml" for lang in LANGUAGES}
    assert wanted | {"seloste/lint/stems/__init__.py"} <= names


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_an_installed_wheel_renders_docx_and_html(venv: Path, tmp_path: Path) -> None:
    env = _clean_env()
    bin_dir = venv / "bin"
    work = tmp_path / "elsewhere"
    work.mkdir()
    # seloste comes from the wheel in the new environment, not from the checkout.
    where = _run([bin_dir / "python", "-c",
                  "import seloste.render.templating as t; print(t.__file__)"],
                 cwd=work, env=env).decode().strip()
    assert Path(where).is_relative_to(venv), where
    assert not Path(where).is_relative_to(ROOT), where

    draft = _run([bin_dir / "seloste", "example", "keinuma"], cwd=work, env=env)
    _run([bin_dir / "seloste", "render", "-", "--format", "docx", "-o", "notice.docx"],
         cwd=work, env=env, stdin=draft)
    produced = (work / "notice.docx").read_bytes()
    expected = render(load_example("keinuma"), "docx")
    assert produced == expected  # the same bytes as the checkout's renderer

    document = docx.Document(io.BytesIO(produced))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0] == "Keinuma Oy – tietosuojaseloste"
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "List Bullet"} <= styles
    assert not any("{{" in p or "{%" in p for p in paragraphs)  # every tag was rendered

    page = _run([bin_dir / "seloste", "render", "-", "--format", "page"], cwd=work, env=env,
                stdin=draft)
    assert page == render(load_example("keinuma"), "page")
    assert page.startswith(b"<!DOCTYPE html>") and b"Keinuma Oy" in page
