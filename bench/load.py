"""Load: simulated users against real servers. Three kinds of figure:

* **stress** (`load.10`, `load.50`): N users complete the wizard at once, 0.5-1.5 s think;
* **capacity** (`load.capacity`): realistic users (5-20 s think, as people read and type) in a
  steady state: each user walks the wizard and, when done, a new user takes its place. The user
  count is stepped (doubling, then one bisection) and each level measured over a fixed window
  after a ramp; the figure is the most users one process served at p95 <= 300 ms, 0 errors;
* **balancer** (`load.balancer.{1,2}`): the stress load of 50 users through HAProxy
  (deploy/haproxy.cfg, via deploy/cluster.py) in front of 1 and then 2 server processes.

Each user is a client of Streamlit's websocket protocol (bench/st_client.py), not a browser:
it connects, runs the start page, loads the keinuma example with the start page's button, then
opens every page the server's navigation lists, in order, and on each page types into the
first editable text field (a field bound to the draft when there is one). Between steps it
pauses for a think time drawn uniformly from THINK_S (seeded, so runs are comparable). All
users start at the same moment, on a server that one uncounted user has warmed up.

A step's latency is the time from the `BackMsg` sent to the `script_finished` received. An
error is a step whose run showed an exception, a compile error or "page not found", or a user
whose connection failed or timed out (its remaining steps are not attempted).
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from bench.report import Figure, timed_figure
from bench.server import load_keinuma
from bench.servers import Server, app_pair
from bench.st_client import RunResult, StreamlitClient, Widget
from bench.stats import median, p95

GROUP = "load"
USERS = (10, 50)
QUICK_USERS = (3,)
#: Seconds a user pauses between steps (uniform in this range).
THINK_S = (0.5, 1.5)
QUICK_THINK_S = (0.05, 0.15)
STEP_TIMEOUT_S = 120.0

#: Capacity: think time of a user who reads and types; p95 limit; the levels' time budget.
REAL_THINK_S = (5.0, 20.0)
CAPACITY_P95_MS = 300.0
CAPACITY_START, CAPACITY_MAX = 50, 800
#: Ramp (users join uniformly over it; >= the longest think, so all are in) and window.
RAMP_S, WINDOW_S = 20.0, 40.0
#: --quick: (start users, most users, ramp s, window s, think s).
QUICK_CAPACITY: tuple[int, int, float, float, tuple[float, float]] = (2, 4, 2.0, 4.0, (0.2, 0.6))
BALANCER_USERS = 50
QUICK_BALANCER_USERS = 3


@dataclass
class UserLog:
    steps: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    completed: bool = False

    def record(self, kind: str, result: RunResult) -> None:
        self.steps.append((kind, result.seconds))
        if result.errors:
            self.errors.append(f"{kind}: {result.errors[0]}")


def edit_target(client: StreamlitClient) -> Widget | None:
    fields = client.text_widgets()
    bound = [w for w in fields if "-f." in w.id]
    chosen = bound or fields
    return chosen[0] if chosen else None


async def user(port: int, seed: int, think: tuple[float, float],
               log: UserLog | None = None) -> UserLog:
    rng = random.Random(seed)
    log = UserLog() if log is None else log
    client = StreamlitClient(port)

    async def pause() -> None:
        await asyncio.sleep(rng.uniform(*think))

    try:
        await client.connect(timeout=STEP_TIMEOUT_S)
        log.record("open", await client.rerun(page_name="", timeout=STEP_TIMEOUT_S))
        await pause()
        start = time.perf_counter()
        await load_keinuma(client)
        log.steps.append(("example", time.perf_counter() - start))
        first = client.page_hash
        for page in list(client.pages):
            if page.page_script_hash == first:
                continue
            await pause()
            log.record("page", await client.rerun(page_hash=page.page_script_hash,
                                                  timeout=STEP_TIMEOUT_S))
            target = edit_target(client)
            if target is not None:
                await pause()
                change = client.text(target, target.text_value() + " x")
                log.record("edit", await client.rerun(changes=[change], timeout=STEP_TIMEOUT_S))
        log.completed = True
    except Exception as exc:
        log.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await client.close()
    return log


async def crowd(port: int, users: int, think: tuple[float, float]) -> list[UserLog]:
    return list(await asyncio.gather(*(user(port, seed, think) for seed in range(users))))


class _CpuMeter:
    """CPU seconds (user + system) used by a set of server processes since creation."""

    def __init__(self, pids: list[int]) -> None:
        import psutil

        self.procs = [psutil.Process(pid) for pid in pids]
        self.start = self.now()

    def now(self) -> float:
        return sum(sum(p.cpu_times()[:2]) for p in self.procs)

    def used(self) -> float:
        return self.now() - self.start


def _by_kind(logs: list[UserLog]) -> dict[str, Any]:
    by_kind: dict[str, Any] = {}
    for kind in ("open", "example", "page", "edit"):
        ks = [s * 1000 for log in logs for k, s in log.steps if k == kind]
        by_kind[kind] = {"n": len(ks), "p50_ms": median(ks), "p95_ms": p95(ks)}
    return by_kind


def _stress(port: int, pids: list[int], users: int, think: tuple[float, float]
            ) -> tuple[list[float], dict[str, Any]]:
    """Warm up with one uncounted user, then N users at once; samples (s) and extra."""
    # One user first, uncounted: a server in use has imported the wizard's modules and built
    # its caches; the first run after start pays for that (server.first_run).
    asyncio.run(crowd(port, max(1, len(pids)), (0.0, 0.0)))
    cpu = _CpuMeter(pids)
    start = time.perf_counter()
    logs = asyncio.run(crowd(port, users, think))
    wall = time.perf_counter() - start
    used = cpu.used()
    samples = [s for log in logs for _, s in log.steps]
    errors = [e for log in logs for e in log.errors]
    extra = {
        "users": users, "steps": len(samples), "errors": len(errors),
        "error_examples": errors[:5],
        "completed_users": sum(log.completed for log in logs),
        "wall_s": round(wall, 1), "steps_per_s": round(len(samples) / wall, 2),
        "think_s": list(think), "server_cpu_s": round(used, 1),
        "server_cpu_ms_per_step": round(1000 * used / max(1, len(samples)), 1),
        "by_kind": _by_kind(logs),
    }
    return samples, extra


def stress(wizard: Server, quick: bool) -> list[Figure]:
    figures: list[Figure] = []
    think = QUICK_THINK_S if quick else THINK_S
    for users in QUICK_USERS if quick else USERS:
        wizard.start()
        try:
            samples, extra = _stress(wizard.port, [wizard.pid], users, think)
            extra["server_rss_mb_after"] = round(wizard.rss_bytes() / 2**20, 1)
        finally:
            wizard.stop()
        targets: list[dict[str, Any]] = []
        text = ""
        if users == 50:
            targets = [{"metric": "p95", "limit": 500.0}, {"metric": "errors", "limit": 0}]
            text = "p95 <= 500 ms, 0 errors"
        figures.append(timed_figure(
            f"load.{users}", GROUP,
            f"load: {users} users complete the wizard at once, step latency p50/p95",
            samples, targets=targets, target_text=text, extra=extra,
        ))
    return figures


# ---------------------------------------------------------------- capacity


@dataclass
class Level:
    users: int
    samples: list[float]
    errors: list[str]
    steps_per_s: float
    cpu_ms_per_step: float

    @property
    def p95_ms(self) -> float:
        return 1000 * p95(self.samples) if self.samples else float("inf")

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.samples) and self.p95_ms <= CAPACITY_P95_MS

    def to_json(self) -> dict[str, Any]:
        return {"users": self.users, "steps": len(self.samples), "errors": len(self.errors),
                "error_examples": self.errors[:3], "p50_ms": round(1000 * median(
                    self.samples), 1) if self.samples else None,
                "p95_ms": round(self.p95_ms, 1), "steps_per_s": round(self.steps_per_s, 2),
                "server_cpu_ms_per_step": round(self.cpu_ms_per_step, 1), "ok": self.ok}


async def _steady(port: int, users: int, think: tuple[float, float], ramp: float,
                  window: float) -> tuple[list[UserLog], float, float]:
    """Users join over ``ramp`` seconds; each walks the wizard, then a new user takes its
    place, until the window ends. Returns the logs and the window's (start, end) clock."""
    t0 = time.perf_counter()
    win_start, win_end = t0 + ramp, t0 + ramp + window
    logs: list[UserLog] = []

    async def seat(index: int) -> None:
        rng = random.Random(10_000 + index)
        await asyncio.sleep(rng.uniform(0, ramp))
        generation = 0
        while time.perf_counter() < win_end:
            log = TimedLog(win_start, win_end)
            logs.append(log)
            await user(port, index * 1000 + generation, think, log)
            generation += 1
            if log.errors:
                return

    seats = [asyncio.create_task(seat(i)) for i in range(users)]
    await asyncio.sleep(max(0.0, win_end - time.perf_counter()))
    for task in seats:
        task.cancel()
    await asyncio.gather(*seats, return_exceptions=True)
    return logs, win_start, win_end


class TimedLog(UserLog):
    """A user's log that keeps only the steps that began inside the measurement window."""

    def __init__(self, start: float, end: float) -> None:
        super().__init__()
        self.window = (start, end)

    def record(self, kind: str, result: RunResult) -> None:
        began = time.perf_counter() - result.seconds
        if self.window[0] <= began < self.window[1]:
            super().record(kind, result)
        elif result.errors and began >= self.window[0]:
            self.errors.append(f"{kind}: {result.errors[0]}")


def _level(wizard: Server, users: int, think: tuple[float, float], ramp: float,
           window: float) -> Level:
    wizard.start()
    try:
        asyncio.run(crowd(wizard.port, 1, (0.0, 0.0)))  # warm-up user, uncounted
        cpu = _CpuMeter([wizard.pid])
        logs, _, _ = asyncio.run(_steady(wizard.port, users, think, ramp, window))
        used = cpu.used()
    finally:
        wizard.stop()
    samples = [s for log in logs for k, s in log.steps if k != "example"]
    # The example button is two runs timed as one step; keep it, as a user waits for both.
    samples += [s for log in logs for k, s in log.steps if k == "example"]
    # A user cut off by the end of the window is not an error; any other failure is.
    errors = [e for log in logs for e in log.errors if "CancelledError" not in e]
    total = sum(len(log.steps) for log in logs)
    return Level(users, samples, errors, len(samples) / window,
                 1000 * used / max(1, total))


def capacity(wizard: Server, quick: bool) -> Figure:
    """Step the user count: double from the start while a level passes, then bisect once
    between the last pass and the first failure."""
    if quick:
        start, top, ramp, window, think = QUICK_CAPACITY
    else:
        start, top, ramp, window, think = (CAPACITY_START, CAPACITY_MAX, RAMP_S, WINDOW_S,
                                           REAL_THINK_S)
    levels: list[Level] = []

    def measure(users: int) -> Level:
        level = _level(wizard, users, think, ramp, window)
        levels.append(level)
        print(f"bench: capacity {users} users: p95 {level.p95_ms:.0f} ms, "
              f"{len(level.errors)} errors", file=sys.stderr, flush=True)
        return level

    # Up by doubling while a level passes; if the first fails, down by halving until one
    # passes (a busy machine may not serve the first level); then one bisection.
    users = start
    if measure(users).ok:
        while users * 2 <= top and measure(users * 2).ok:
            users *= 2
    else:
        while users // 2 >= 2 and not measure(users // 2).ok:
            users //= 2
    passed = sorted(lv.users for lv in levels if lv.ok)
    failed = sorted(lv.users for lv in levels if not lv.ok)
    if passed and failed:
        above = [u for u in failed if u > passed[-1]]
        if above:
            middle = (passed[-1] + above[0]) // 2
            if middle not in (passed[-1], above[0]):
                measure(middle)
    best = max((lv for lv in levels if lv.ok), key=lambda lv: lv.users, default=None)
    extra: dict[str, Any] = {
        "think_s": list(think), "ramp_s": ramp, "window_s": window,
        "p95_limit_ms": CAPACITY_P95_MS, "levels": [lv.to_json() for lv in levels],
        "users_served": best.users if best else 0,
        "capped": bool(best and best.users * 2 > top and not failed),
    }
    shown = best or levels[0]
    return Figure(
        id="load.capacity", group=GROUP, unit="users",
        label=(f"users one process serves at p95 <= {CAPACITY_P95_MS:.0f} ms, 0 errors "
               f"({think[0]:g}-{think[1]:g} s think; p95 {shown.p95_ms:.0f} ms, "
               f"{shown.steps_per_s:.1f} steps/s, server CPU {shown.cpu_ms_per_step:.0f} ms/step "
               f"at that level; levels tried: "
               + ", ".join(f"{lv.users} {'ok' if lv.ok else 'no'}" for lv in levels) + ")"),
        median=float(best.users if best else 0), p95=None,
        n=sum(len(lv.samples) for lv in levels),
        targets=[{"metric": "shortfall", "limit": 0}], target_text=">= 300 users",
        extra={**extra, "shortfall": max(0, 300 - (best.users if best else 0))},
    )


# ---------------------------------------------------------------- through the balancer


def balancer(quick: bool) -> tuple[list[Figure], list[str]]:
    """The stress load through HAProxy in front of 1, then 2 wizard processes (SQLite file
    shared on this host)."""
    from deploy.cluster import BalancerMissing, Cluster

    users = QUICK_BALANCER_USERS if quick else BALANCER_USERS
    think = QUICK_THINK_S if quick else THINK_S
    results: dict[int, tuple[list[float], dict[str, Any]]] = {}
    try:
        for processes in (1, 2):
            with Cluster(processes=processes, database_url=None) as cluster:
                samples, extra = _stress(cluster.port, cluster.pids(), users, think)
                results[processes] = (samples, extra)
    except BalancerMissing as exc:
        return [], [f"load.balancer not run: {exc}"]
    figures = []
    one = results[1][1]["steps_per_s"]
    for processes, (samples, extra) in results.items():
        extra = {**extra, "processes": processes,
                 "throughput_vs_1": round(extra["steps_per_s"] / one, 2) if one else None}
        targets: list[dict[str, Any]] = []
        text = ""
        if processes == 2:
            extra["throughput_shortfall"] = max(0.0, 1.6 - (extra["throughput_vs_1"] or 0))
            targets = [{"metric": "throughput_shortfall", "limit": 0.0}]
            text = "throughput >= 1.6x 1 process"
        figures.append(timed_figure(
            f"load.balancer.{processes}", GROUP,
            f"load through HAProxy, {processes} process{'es' if processes > 1 else ''}: "
            f"{users} users, {extra['steps_per_s']} steps/s "
            f"({extra['throughput_vs_1']}x 1 process), step latency p50/p95",
            samples, targets=targets, target_text=text, extra=extra))
    return figures, []


def run(quick: bool = False) -> tuple[list[Figure], list[str]]:
    notes: list[str] = []
    with app_pair() as (wizard, _baseline):
        figures = stress(wizard, quick)
        figures.append(capacity(wizard, quick))
    more, more_notes = balancer(quick)
    return figures + more, notes + more_notes
