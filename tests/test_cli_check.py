"""`seloste check` and `seloste lint`: output formats and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seloste.checks import run_checks
from seloste.cli import main
from seloste.examples import NAMES, example_json, load_example
from seloste.lint import format_lint, lint_file
from seloste.rules import RULES, format_findings

#: Old notices to lint, copied into the repository (tests/data/README.md says from where).
SEEDS = Path(__file__).resolve().parent / "data"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def broken_draft(tmp_path: Path) -> Path:
    data = json.loads(example_json("keinuma"))
    data["controller"]["email"] = ""
    data["privacy_contact"]["email"] = ""
    data["registers"][0]["retention"] = []
    return write(tmp_path, "broken.json", json.dumps(data))


@pytest.mark.parametrize("name", NAMES)
def test_check_examples_exit_0(name: str, tmp_path: Path,
                               capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    draft = write(tmp_path, f"{name}.json", example_json(name))
    assert main(["check", str(draft)]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert out == format_findings(run_checks(load_example(name)), "fi", "text")
    for line in out.splitlines():
        severity, rule_id, items, message = line.split(" ", 3)
        assert severity in ("warning", "tip")
        assert rule_id in RULES
        assert items == "-" or set(items.split(",")) <= {"R1", "T1", "SRC", "C1", "S1", "W1"}
        assert message


def test_check_errors_exit_1(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["check", str(broken_draft(tmp_path))]) == 1
    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert lines[0].startswith("error contact_email C1,RT Anna sähköpostiosoite")
    assert any(line.startswith("error retention_missing S1 ") for line in lines)


def test_check_json_and_language(tmp_path: Path,
                                 capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["check", str(broken_draft(tmp_path)), "--format", "json", "--lang", "en"]) == 1
    data = json.loads(capsysbinary.readouterr().out)
    first = data[0]
    assert first["severity"] == "error" and first["rule_id"] == "contact_email"
    assert first["items"] == ["C1", "RT"] and first["step"] == "controller"
    assert first["path"] == "controller.email"
    assert first["message"].startswith("Give an email address")
    assert {f["severity"] for f in data} <= {"error", "warning", "tip"}


def test_check_output_file(tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    assert main(["check", str(broken_draft(tmp_path)), "-f", "json", "-o", str(out)]) == 1
    assert json.loads(out.read_text(encoding="utf-8"))[0]["rule_id"] == "contact_email"


def test_check_bad_draft_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(write(tmp_path, "bad.json", "{not json"))]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "missing.json")]) == 2


def test_check_as_a_process(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "seloste.cli", "check", str(broken_draft(tmp_path)), "-l", "sv"],
        capture_output=True, check=False,
    )
    assert result.returncode == 1
    assert "Ange en e-postadress" in result.stdout.decode()


@pytest.mark.parametrize("seed", ["meunier-2019", "keinuma-2023"])
def test_lint_seed(seed: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = SEEDS / f"{seed}.txt"
    assert main(["lint", str(path)]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert out == format_lint(lint_file(path), "fi", "text")
    assert "523/1999" in out and "K1 " in out and "P1 " in out and "RT " in out
    assert main(["lint", str(path), "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert {"K1", "P1", "RT"} <= {m["item"] for m in data["missing"]}


def test_lint_unsupported_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    pdf = tmp_path / "vanha.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert main(["lint", str(pdf)]) == 2
    err = capsys.readouterr().err
    assert "Tätä tiedostotyyppiä ei voi tarkistaa" in err and len(err.splitlines()) == 1
    assert main(["lint", str(tmp_path / "missing.txt")]) == 2
