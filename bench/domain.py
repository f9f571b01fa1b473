"""Domain figures: the checks of a draft and the lint of an old notice.

These were timing assertions in the unit tests (`run_checks` under 5 ms, `lint_text` of a seed
under 0.5 s); a test that fails because the machine was busy blocks everyone, so the figures
live here, where targets are shown and never asserted. Baselines, measured in the same run:
for the checks, pydantic validating the same draft (the cost of merely reading it once); for the
lint, one pass of `re.findall(r"\\w+")` over the same text (the cost of merely tokenising it).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

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


def run(quick: bool = False) -> list[Figure]:
    figures: list[Figure] = []
    for name in NAMES:
        notice = load_example(name)
        samples = interleaved(
            {"ours": partial(run_checks, notice), "base": partial(_validate, example_json(name))},
            repeat=5 if quick else 200, warmup=1 if quick else 5,
        )
        figures.append(timed_figure(
            f"checks.{name}", GROUP, f"run_checks({name})", samples["ours"],
            baseline_label="pydantic validating the same draft JSON",
            baseline_samples=samples["base"],
            targets=[{"metric": "median", "limit": 5.0}], target_text="<= 5 ms",
        ))
    for seed in SEED_NAMES:
        text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
        samples = interleaved(
            {"ours": partial(lint_text, text), "base": partial(_tokenise, text)},
            repeat=3 if quick else 30, warmup=1 if quick else 2,
        )
        figures.append(timed_figure(
            f"lint.{seed}", GROUP, f"lint_text({seed}.txt)", samples["ours"],
            baseline_label="re.findall(r'\\w+') over the same text",
            baseline_samples=samples["base"],
            targets=[{"metric": "median", "limit": 500.0}], target_text="<= 500 ms",
            extra={"characters": len(text)},
        ))
    return figures
