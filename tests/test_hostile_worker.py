"""Hostile input, part 2: the worker process (`seloste.isolation`) takes the blow, not its caller.

Small limits here (1 s of CPU, 200 MB) so that the runaway cases end quickly; the caller (this
test process, standing in for the server) must come out of each with `WorkerFailed` and carry on.
"""

from __future__ import annotations

import resource

import hostile_files as hf
import pytest

from seloste.extract import FileProblem
from seloste.isolation import WorkerFailed, run_isolated
from seloste.lint import LintReport, lint_bytes, lint_text

#: Generous: the worker needs CPU time, a busy 2-core machine adds waiting on top.
WALL = 60.0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_result_and_the_jobs_own_errors_come_back() -> None:
    assert run_isolated(hf.answer, 21) == 42
    report = run_isolated(lint_text, "Henkilötietolaki 523/1999")
    assert isinstance(report, LintReport)
    assert report.outdated[0].rule_id == "outdated_law"
    with pytest.raises(FileProblem) as info:
        run_isolated(lint_bytes, b"%PDF", "a.pdf")
    assert info.value.kind == "unsupported"
    with pytest.raises(FileProblem) as info:
        run_isolated(lint_bytes, hf.nested_html(5000), "a.html")
    assert (info.value.kind, info.value.limit) == ("too_deep", 512)


def test_memory_past_the_limit_kills_only_the_worker() -> None:
    before = _rss_mb()
    with pytest.raises(WorkerFailed) as info:
        run_isolated(hf.hog_memory, 2000, memory=200 * 1024 * 1024, wall_seconds=WALL)
    assert info.value.reason in ("memory", "crashed")
    assert _rss_mb() - before < 100  # the 2 GB never reached this process
    assert run_isolated(hf.answer, 1) == 2  # and the next job runs


def test_cpu_past_the_limit_kills_only_the_worker() -> None:
    with pytest.raises(WorkerFailed) as info:
        run_isolated(hf.hog_cpu, cpu_seconds=1, wall_seconds=WALL)
    assert info.value.reason == "timeout"
    assert run_isolated(hf.answer, 2) == 4


def test_the_wall_clock_limit_kills_a_worker_that_waits() -> None:
    with pytest.raises(WorkerFailed) as info:
        run_isolated(hf.hog_cpu, cpu_seconds=100, wall_seconds=1.0)
    assert info.value.reason == "timeout"


def test_a_worker_that_crashes_is_reported() -> None:
    with pytest.raises(WorkerFailed) as info:
        run_isolated(hf.die, wall_seconds=WALL)
    assert info.value.reason == "crashed"
