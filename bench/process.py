"""`seloste render` as a whole process (interpreter start, imports, render, write), against
`python -c pass` from the same interpreter: what an accounting firm's script pays per notice."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.report import Figure, timed_figure
from bench.stats import interleaved
from seloste.examples import example_json

GROUP = "process"


def seloste_command() -> list[str]:
    script = Path(sys.executable).with_name("seloste")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from seloste.cli import main; sys.exit(main())"]


def _runner(argv: list[str]) -> Callable[[], None]:
    def call() -> None:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return call


def run(quick: bool = False) -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="seloste-bench-") as tmp:
        draft = Path(tmp) / "keinuma.json"
        draft.write_text(example_json("keinuma"), encoding="utf-8")
        for fmt in ("html", "docx"):
            out = Path(tmp) / f"out.{fmt}"
            samples = interleaved(
                {
                    "ours": _runner([*seloste_command(), "render", str(draft), "--format", fmt,
                                     "--output", str(out)]),
                    "base": _runner([sys.executable, "-c", "pass"]),
                },
                repeat=2 if quick else 7, warmup=1,
            )
            figures.append(timed_figure(
                f"process.render.{fmt}", GROUP, f"`seloste render -f {fmt}` keinuma, whole process",
                samples["ours"], unit="s", baseline_label="`python -c pass`",
                baseline_samples=samples["base"],
                targets=[{"metric": "median", "limit": 1.5}], target_text="<= 1.5 s",
            ))
    return figures
