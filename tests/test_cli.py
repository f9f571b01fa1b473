"""The `seloste` command: render, schema, example, and bad input that writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seloste.cli import main, write_atomic
from seloste.examples import example_json, load_example
from seloste.render import Format, render


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "seloste.cli", *args], capture_output=True,
                          check=False)


@pytest.fixture()
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "keinuma.json"
    path.write_text(example_json("keinuma"), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["html", "page", "md", "docx"])
def test_render_to_file_equals_library(draft: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["render", str(draft), "--format", fmt, "--lang", "sv", "-o", str(out)]) == 0
    assert out.read_bytes() == render(load_example("keinuma"), Format(fmt), "sv")


def test_default_language_is_the_notices(draft: Path, capsysbinary: pytest.CaptureFixture[bytes]
                                         ) -> None:
    assert main(["render", str(draft)]) == 0
    assert capsysbinary.readouterr().out.startswith(b'<section lang="fi-FI"')


def test_schema_and_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Notice" and "registers" in schema["properties"]
    assert main(["example", "meunier"]) == 0
    assert json.loads(capsys.readouterr().out)["controller"]["name"] == "Janna Meunier Oy"


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "one JSON object"),
        (b'{"schema_version": 7}', "newer version of Seloste"),
        (b"\xfe\x81\x82", "not UTF-8"),  # (\xff\xfe alone is an empty UTF-16 file)
    ],
)
def test_bad_drafts_exit_2_and_write_nothing(tmp_path: Path, content: bytes,
                                             expected: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    out = tmp_path / "out.html"
    out.write_text("previous", encoding="utf-8")
    result = run("render", str(bad), "--lang", "en", "-o", str(out))
    assert result.returncode == 2
    assert expected in result.stderr.decode()
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "out.html"]


def test_invalid_fields_one_line_each(tmp_path: Path) -> None:
    data = json.loads(example_json("keinuma"))
    data["controller"]["business_id"] = "1234567-8"
    data["controller"]["email"] = "heidi@"
    data["registers"][0]["purposes"][0]["basis"] = "because"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = run("render", str(bad), "-o", str(tmp_path / "x.html"))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 3
    assert any("controller.business_id: Y-tunnus ei kelpaa" in line for line in lines)
    assert any("controller.email:" in line for line in lines)
    assert any("registers.0.purposes.0.basis:" in line for line in lines)
    assert not (tmp_path / "x.html").exists()


def test_write_atomic_leaves_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "notice.html"
    target.write_text("old", encoding="utf-8")

    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notice.html"]
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_console_script_installed() -> None:
    exe = Path(sys.executable).with_name("seloste")
    result = subprocess.run([str(exe), "example", "keinuma"], capture_output=True, check=True)
    assert b"Keinuma Oy" in result.stdout
