"""Load: N simulated users complete the wizard at once against one real server (N = 10, 50).

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
import time
from dataclasses import dataclass, field
from typing import Any

from bench.report import Figure, timed_figure
from bench.server import load_keinuma
from bench.servers import app_pair
from bench.st_client import RunResult, StreamlitClient, Widget
from bench.stats import median, p95

GROUP = "load"
USERS = (10, 50)
QUICK_USERS = (3,)
#: Seconds a user pauses between steps (uniform in this range).
THINK_S = (0.5, 1.5)
QUICK_THINK_S = (0.05, 0.15)
STEP_TIMEOUT_S = 120.0


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


async def user(port: int, seed: int, think: tuple[float, float]) -> UserLog:
    rng = random.Random(seed)
    log = UserLog()
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


def run(quick: bool = False) -> list[Figure]:
    import psutil

    figures: list[Figure] = []
    think = QUICK_THINK_S if quick else THINK_S
    with app_pair() as (wizard, _baseline):
        for users in QUICK_USERS if quick else USERS:
            wizard.start()
            try:
                # One user first, uncounted: a server in use has imported the wizard's modules
                # and built its caches; the first run after start pays for that (server.first_run).
                asyncio.run(crowd(wizard.port, 1, (0.0, 0.0)))
                proc = psutil.Process(wizard.pid)
                cpu_before = sum(proc.cpu_times()[:2])
                start = time.perf_counter()
                logs = asyncio.run(crowd(wizard.port, users, think))
                wall = time.perf_counter() - start
                cpu = sum(proc.cpu_times()[:2]) - cpu_before
                rss_mb = wizard.rss_bytes() / 2**20
            finally:
                wizard.stop()
            samples = [s for log in logs for _, s in log.steps]
            errors = [e for log in logs for e in log.errors]
            by_kind: dict[str, Any] = {}
            for kind in ("open", "example", "page", "edit"):
                ks = [s * 1000 for log in logs for k, s in log.steps if k == kind]
                by_kind[kind] = {"n": len(ks), "p50_ms": median(ks), "p95_ms": p95(ks)}
            extra = {
                "users": users, "steps": len(samples), "errors": len(errors),
                "error_examples": errors[:5],
                "completed_users": sum(log.completed for log in logs),
                "wall_s": round(wall, 1), "steps_per_s": round(len(samples) / wall, 2),
                "think_s": list(think), "server_cpu_s": round(cpu, 1),
                "server_cpu_ms_per_step": round(1000 * cpu / max(1, len(samples)), 1),
                "server_rss_mb_after": round(rss_mb, 1), "by_kind": by_kind,
            }
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
