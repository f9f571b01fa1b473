"""Timing helpers: repeated samples, interleaved with their baseline, and their summaries.

A figure and its baseline are sampled in alternation (ours, baseline, ours, ...) rather than
one block after the other, so that a slow minute on a shared machine hits both alike and the
ratio stays meaningful.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence


def median(samples: Sequence[float]) -> float:
    return float(statistics.median(samples)) if samples else math.nan


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): a value that was actually observed."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return float(ordered[rank - 1])


def p95(samples: Sequence[float]) -> float:
    return percentile(samples, 95)


def time_once(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes (monotonic clock)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(
    fns: dict[str, Callable[[], object]], repeat: int, warmup: int = 2
) -> dict[str, list[float]]:
    """Time each function ``repeat`` times, alternating between them; seconds per call.

    Warm-up calls (caches, imports, lazily built templates) are not recorded. The garbage
    collector stays on, as in production: a render pays for the collections its own garbage
    triggers; one full collection before the loop starts both sides from a clean heap.
    """
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    gc.collect()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for i in range(repeat):
        # Alternate the order, so neither side always runs right after the other.
        order = list(fns.items()) if i % 2 == 0 else list(reversed(fns.items()))
        for name, fn in order:
            samples[name].append(time_once(fn))
    return samples
