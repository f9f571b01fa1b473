"""LibreOffice opens the record's XLSX (issue #17): converted headless to CSV, every cell reads
the same as openpyxl reads it, in every language.

One soffice launch converts all files, with a profile directory of its own: concurrent soffice
calls that share a profile fail silently (DESIGN.md).
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import clients
import pytest

clients.require("soffice")

from test_record import rich_notice, xlsx_rows  # noqa: E402

from seloste.examples import load_example  # noqa: E402
from seloste.i18n import LANGS  # noqa: E402
from seloste.record.xlsx import render_record_xlsx  # noqa: E402

pytestmark = pytest.mark.slow

CASES = [(name, lang) for name in ("keinuma", "rich") for lang in LANGS]
IDS = [f"{name}-{lang.value}" for name, lang in CASES]
#: CSV export: comma, double quotes, UTF-8 (76), from line 1, every cell as text as shown.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, Path]]:
    work = tmp_path_factory.mktemp("record-libreoffice")
    files: dict[str, bytes] = {}
    for (name, lang), case in zip(CASES, IDS, strict=True):
        notice = rich_notice() if name == "rich" else load_example(name)
        files[case] = render_record_xlsx(notice, lang)
        (work / f"{case}.xlsx").write_bytes(files[case])
    out, profile = work / "csv", work / "profile"
    soffice = clients.soffice()
    assert soffice
    cmd = [soffice, "--headless", "--norestore", "--nologo", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={profile.as_uri()}", "--convert-to", CSV_FILTER,
           "--outdir", str(out), *(str(work / f"{case}.xlsx") for case in IDS)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    result = {case: (files[case], out / f"{case}.csv") for case in IDS}
    absent = [case for case, (_, path) in result.items() if not path.is_file()]
    assert not absent, (f"soffice wrote no CSV for {absent} (exit {proc.returncode})\n"
                        f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    yield result
    shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.parametrize("case", IDS)
def test_libreoffice_reads_the_same_cells(converted: dict[str, tuple[bytes, Path]],
                                          case: str) -> None:
    data, path = converted[case]
    with path.open(encoding="utf-8", newline="") as handle:
        office = [row for row in csv.reader(handle)]
    ours = xlsx_rows(data)
    assert len(office) == len(ours) > 1
    for n, (theirs, mine) in enumerate(zip(office, ours, strict=True)):
        assert theirs == mine, f"row {n + 1}"
