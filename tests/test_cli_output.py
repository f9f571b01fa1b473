"""Issue #20: `seloste … -o FILE` that cannot be written is exit 2 and one line, and output
files get the mode a plain write would give them (the umask, or the existing file's mode)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from seloste import cli
from seloste.examples import example_json


def run(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run([sys.executable, "-m", "seloste.cli", *args], capture_output=True,
                          text=True, check=False, preexec_fn=set_umask)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "keinuma.json"
    path.write_text(example_json("keinuma"), encoding="utf-8")
    return path


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], reason: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert reason in lines[0], lines[0]


def test_a_missing_folder_is_exit_2_one_line(draft: Path, tmp_path: Path) -> None:
    result = run("render", str(draft), "-o", str(tmp_path / "nowhere" / "x.html"))
    assert_one_line_exit_2(result, "No such file or directory")


def test_a_directory_is_exit_2_one_line(draft: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = run("render", str(draft), "-o", str(tmp_path / "out"))
    assert_one_line_exit_2(result, "Is a directory")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_read_only_place_is_exit_2_one_line(draft: Path) -> None:
    # /sys refuses new files even to root (a chmod'ed folder would not stop root).
    result = run("render", str(draft), "-o", "/sys/seloste-notice.html")
    assert_one_line_exit_2(result, "Permission denied")


def test_a_full_disk_is_exit_2_one_line_and_leaves_nothing(
        draft: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = tmp_path / "notice.html"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(cli.os, "fsync", full)
    assert cli.main(["render", str(draft), "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0], err
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == sorted(["keinuma.json", "notice.html"])


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_new_file_gets_the_umask(draft: Path, tmp_path: Path, umask: int) -> None:
    target = tmp_path / "notice.html"
    assert run("render", str(draft), "-o", str(target), umask=umask).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_an_existing_file_keeps_its_mode(draft: Path, tmp_path: Path) -> None:
    target = tmp_path / "notice.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    assert run("render", str(draft), "-o", str(target), umask=0o077).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8") != "old"
