"""Results: one `Figure` per measured quantity, printed as a Markdown table and saved as JSON.

A figure carries its own baseline (measured in the same run), the ratio between the two and
the issue's target. Targets are checked and shown, never asserted: missing one is information
for the reader, not a failed command (the machines are noisy; see bench/README.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.stats import median, p95

#: A target: ``metric`` of the figure must be <= ``limit``. Metrics: "median", "p95",
#: "ratio" (median / baseline median), "excess" (median - baseline median), or a key of
#: ``Figure.extra`` (such as "errors").
Target = dict[str, Any]


@dataclass
class Baseline:
    label: str
    median: float
    p95: float | None = None
    n: int = 0


@dataclass
class Figure:
    id: str
    group: str
    label: str
    unit: str  # "ms", "s" or "MB"
    median: float
    p95: float | None = None
    n: int = 0
    baseline: Baseline | None = None
    targets: list[Target] = field(default_factory=list)
    target_text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline.median:
            return None
        return self.median / self.baseline.median

    def metric(self, name: str) -> float | None:
        if name == "median":
            return self.median
        if name == "p95":
            return self.p95
        if name == "ratio":
            return self.ratio
        if name == "excess":
            return None if self.baseline is None else self.median - self.baseline.median
        value = self.extra.get(name)
        return float(value) if isinstance(value, int | float) else None

    @property
    def met(self) -> bool | None:
        """Whether every target holds; None when the figure has no target."""
        if not self.targets:
            return None
        for target in self.targets:
            value = self.metric(target["metric"])
            if value is None or math.isnan(value) or value > target["limit"]:
                return False
        return True

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["met"] = self.met
        return data


def timed_figure(
    id: str, group: str, label: str, samples: list[float], *, unit: str = "ms",
    baseline_label: str | None = None, baseline_samples: list[float] | None = None,
    targets: list[Target] | None = None, target_text: str = "", note: str = "",
    extra: dict[str, Any] | None = None,
) -> Figure:
    """A latency figure from samples in seconds, converted to ``unit`` (ms or s)."""
    scale = 1000.0 if unit == "ms" else 1.0
    ours = [s * scale for s in samples]
    base = None
    if baseline_label is not None and baseline_samples is not None:
        theirs = [s * scale for s in baseline_samples]
        base = Baseline(baseline_label, median(theirs), p95(theirs), len(theirs))
    return Figure(
        id=id, group=group, label=label, unit=unit, median=median(ours), p95=p95(ours),
        n=len(ours), baseline=base, targets=targets or [], target_text=target_text,
        note=note, extra=extra or {},
    )


# ---------------------------------------------------------------- machine


def _memory_bytes() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def machine_info() -> dict[str, Any]:
    memory = _memory_bytes()
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "memory_gb": round(memory / 2**30, 1) if memory else None,
        "loadavg_at_start": [round(x, 2) for x in load] if load else None,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "streamlit": _version("streamlit"),
        "jinja2": _version("jinja2"),
        "docxtpl": _version("docxtpl"),
        "websockets": _version("websockets"),
        "git_commit": _git_commit(),
    }


# ---------------------------------------------------------------- output


def _num(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "–"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit != "ms":
        return f"{value:g} {unit}"
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(figures: list[Figure]) -> str:
    lines = [
        "| figure | median | p95 | baseline (same run) | baseline median | ratio | target | met |",
        "|---|---:|---:|---|---:|---:|---|:-:|",
    ]
    for f in figures:
        base = f.baseline
        ratio = f.ratio
        met = {True: "yes", False: "**no**", None: ""}[f.met]
        extra = ""
        if "errors" in f.extra:
            extra = f" ({f.extra['errors']} errors in {f.extra.get('steps', '?')} steps)"
        lines.append("| " + " | ".join([
            _cell(f.label + extra),
            _num(f.median, f.unit),
            _num(f.p95, f.unit) if f.p95 is not None else "–",
            _cell(base.label) if base else "–",
            _num(base.median, f.unit) if base else "–",
            f"{ratio:.2f}×" if ratio is not None else "–",
            _cell(f.target_text) if f.target_text else "–",
            met,
        ]) + " |")
    return "\n".join(lines)


@dataclass
class Run:
    """Everything one `python -m bench` produced."""

    quick: bool
    only: list[str]
    started: str = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    machine: dict[str, Any] = field(default_factory=machine_info)
    figures: list[Figure] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    durations_s: dict[str, float] = field(default_factory=dict)

    def finish(self) -> None:
        """Record the load average at the end too: other work on the machine shows there."""
        with contextlib.suppress(OSError):
            self.machine["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": 8,
            "started": self.started,
            "quick": self.quick,
            "only": self.only,
            "machine": self.machine,
            "durations_s": {k: round(v, 1) for k, v in self.durations_s.items()},
            "figures": [f.to_json() for f in self.figures],
            "errors": self.errors,
            "notes": self.notes,
        }

    def markdown(self) -> str:
        m = self.machine
        head = (
            f"Machine: {m['nproc']} cores ({m.get('cpu_model') or '?'}), {m['memory_gb']} GB, "
            f"Python {m['python']}, Streamlit {m['streamlit']}; load average at start "
            f"{m.get('loadavg_at_start')}, at end {m.get('loadavg_at_end')}; "
            f"commit {m.get('git_commit')}; {self.started}"
            f"{' (quick run: few samples)' if self.quick else ''}."
        )
        total = sum(self.durations_s.values())
        parts = [head, "", markdown_table(self.figures), ""]
        parts.append("Time per group: " + ", ".join(
            f"{k} {v:.0f} s" for k, v in self.durations_s.items()) + f"; total {total:.0f} s.")
        for note in self.notes:
            parts.append(f"- {note}")
        for err in self.errors:
            parts.append(f"- ERROR in {err['group']}: {err['error']}")
        return "\n".join(parts) + "\n"

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
