"""Domain figures: the checks of a draft and the lint of an old notice.

These were timing assertions in the unit tests (`run_checks` under 5 ms, `lint_text` of a seed
under 0.5 s); a test that fails because the machine was busy blocks everyone, so the figures
live here, where targets are shown and never asserted. Baselines, measured in the same run:
for the checks, pydantic validating the same draft (the cost of merely reading it once); for the
lint, one pass of `re.findall(r"\\w+")` over the same text (the cost of merely tokenising it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.report import Figure, timed_figure
from bench.stats import interleaved
from seloste.checks import run_checks
from seloste.examples import NAMES, example_json, load_example
from seloste.lint import lint_text
from seloste.model import Notice

GROUP = "domain"
#: The old notices the lint tests read (tests/data/README.md).
SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data"
SEED_NAMES = ("keinuma-2023", "meunier-2019")
_WORDS = re.compile(r"\w+")


def _validate(raw: str) -> Notice:
    return Notice.model_validate_json(raw)


def _tokenise(text: str) -> int:
    return len(_WORDS.findall(text))


def _versus(id: str, label: str, ours: Callable[[], object], base: Callable[[], object], *,
            baseline_label: str, repeat: int, warmup: int, limit_ms: float,
            extra: dict[str, Any] | None = None) -> Figure:
    """One figure: ``ours`` timed interleaved with its baseline, against a median target."""
    samples = interleaved({"ours": ours, "base": base}, repeat=repeat, warmup=warmup)
    return timed_figure(
        id, GROUP, label, samples["ours"],
        baseline_label=baseline_label, baseline_samples=samples["base"],
        targets=[{"metric": "median", "limit": limit_ms}], target_text=f"<= {limit_ms:g} ms",
        extra=extra,
    )


def run(quick: bool = False) -> list[Figure]:
    figures = [
        _versus(f"checks.{name}", f"run_checks({name})", partial(run_checks, load_example(name)),
                partial(_validate, example_json(name)),
                baseline_label="pydantic validating the same draft JSON",
                repeat=5 if quick else 200, warmup=1 if quick else 5, limit_ms=5.0)
        for name in NAMES
    ]
    for seed in SEED_NAMES:
        text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
        figures.append(_versus(
            f"lint.{seed}", f"lint_text({seed}.txt)", partial(lint_text, text),
            partial(_tokenise, text), baseline_label="re.findall(r'\\w+') over the same text",
            repeat=3 if quick else 30, warmup=1 if quick else 2, limit_ms=500.0,
            extra={"characters": len(text)},
        ))
    return figures
