"""The Nu HTML Checker (vnu.jar, the W3C validator's engine) finds no error in our HTML (issue #7).

Checked: the standalone page for each example in each language, the fragment for each (wrapped
in a minimal valid page, as a website would hold it), and both for a draft full of hostile text.
The JVM starts once for all files: it is the slow part. vnu-jar is pinned in package.json.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import clients
import pytest

clients.require("java", "vnu")

from user_text import hostile_notice  # noqa: E402

from seloste.examples import NAMES, load_example  # noqa: E402
from seloste.model import Notice  # noqa: E402
from seloste.render import Format, render  # noqa: E402
from seloste.render.templating import LANG_TAGS  # noqa: E402
from seloste.vocab import Lang  # noqa: E402

pytestmark = pytest.mark.slow

def _wrap(fragment: str, lang: Lang) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{LANG_TAGS[lang]}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Fragment</title>\n</head>\n<body>\n{fragment}</body>\n</html>\n")


def _drafts() -> Iterator[tuple[str, Notice]]:
    for name in NAMES:
        yield name, load_example(name)
    yield "hostile", hostile_notice()


FILES = [f"{name}-{lang.value}-{kind}.html" for name in (*NAMES, "hostile") for lang in Lang
         for kind in ("page", "fragment")]


@pytest.fixture(scope="module")
def vnu_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    work = tmp_path_factory.mktemp("vnu")
    for name, notice in _drafts():
        for lang in Lang:
            page = render(notice, Format.page, lang).decode()
            (work / f"{name}-{lang.value}-page.html").write_text(page, encoding="utf-8")
            fragment = render(notice, Format.html, lang).decode()
            (work / f"{name}-{lang.value}-fragment.html").write_text(_wrap(fragment, lang),
                                                                     encoding="utf-8")
    java, jar = clients.java(), clients.vnu_jar()
    assert java and jar
    cmd = [java, "-jar", jar, "--format", "json", "--errors-only", "--stdout",
           *(str(work / f) for f in FILES)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu gave no JSON (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    errors: dict[str, list[dict[str, Any]]] = {f: [] for f in FILES}
    for message in report.get("messages", []):
        file = Path(message.get("url", "").removeprefix("file:")).name
        if message.get("type") == "error" or message.get("subType") == "fatal":
            errors.setdefault(file, []).append(message)
    return errors


def _show(message: dict[str, Any]) -> str:
    return (f"line {message.get('lastLine')}: {message.get('message')}\n"
            f"    {message.get('extract', '').strip()!r}")


@pytest.mark.parametrize("file", FILES)
def test_no_html_errors(vnu_errors: dict[str, list[dict[str, Any]]], file: str) -> None:
    found = vnu_errors[file]
    assert not found, f"{file}: {len(found)} Nu HTML Checker errors\n" + "\n".join(
        _show(m) for m in found)


def test_every_file_was_checked(vnu_errors: dict[str, list[dict[str, Any]]]) -> None:
    """A message for a file we did not write means vnu named files differently than assumed."""
    assert set(vnu_errors) == set(FILES), sorted(set(vnu_errors) - set(FILES))
