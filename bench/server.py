"""Server figures, against real `streamlit run` processes (see bench/servers.py):

* cold start to healthy: process start until `/_stcore/health` answers, wizard vs one-line app;
  and the first session's first script run after that (the wizard's imports happen there);
* script run per wizard step, keinuma loaded: one client of the websocket protocol
  (bench/st_client.py) reruns each page in turn, interleaved with reruns of the one-line app;
  time from `BackMsg` sent to `script_finished` received;
* server memory: RSS of the server process with 1, 10 and 50 sessions open, each having run
  the start page (in the wizard: then loaded the keinuma example and opened every page once),
  and the cost per extra session.

Pages are discovered from the wizard's own `navigation` message at run time.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.report import Baseline, Figure, timed_figure
from bench.servers import Server, app_pair
from bench.st_client import ClientError, Page, StreamlitClient
from bench.stats import median

GROUP = "server"
SESSION_COUNTS = (1, 10, 50)
QUICK_SESSION_COUNTS = (1, 3)
MB = 1024 * 1024


async def open_session(port: int, *, wizard: bool, visit: bool = False) -> StreamlitClient:
    """Connect, run the start page and, in the wizard, load the keinuma example; with
    ``visit``, then open every page once (a user in the middle of the wizard)."""
    client = StreamlitClient(port)
    await client.connect()
    result = await client.rerun(page_name="")
    if result.errors:
        raise ClientError(f"start page: {result.errors[0]}")
    if wizard:
        await load_keinuma(client)
        if visit:
            for page in list(client.pages):
                result = await client.rerun(page_hash=page.page_script_hash)
                if result.errors:
                    raise ClientError(f"page {page.url_pathname}: {result.errors[0]}")
    return client


async def load_keinuma(client: StreamlitClient) -> float:
    """Press the start page's keinuma example button (and confirm, if asked); seconds taken."""
    button = client.find_button("start.example.keinuma", "keinuma")
    if button is None:
        buttons = [w.id for w in client.widgets.values() if w.kind == "button"]
        raise ClientError(f"no keinuma example button on the start page (buttons: {buttons})")
    result = await client.rerun(changes=[client.trigger(button)])
    seconds = result.seconds
    confirm = client.find_button("start.confirm")
    if confirm is not None:
        result = await client.rerun(changes=[client.trigger(confirm)])
        seconds += result.seconds
    if result.errors:
        raise ClientError(f"loading keinuma: {result.errors[0]}")
    return seconds


# ---------------------------------------------------------------- cold start


async def _first_run(port: int) -> float:
    client = StreamlitClient(port)
    await client.connect()
    try:
        result = await client.rerun(page_name="")
        if result.errors:
            raise ClientError(f"first run: {result.errors[0]}")
        return result.seconds
    finally:
        await client.close()


def cold_start(wizard: Server, baseline: Server, quick: bool) -> list[Figure]:
    reps, warmup = (1, 0) if quick else (5, 1)
    healthy: dict[str, list[float]] = {"wizard": [], "base": []}
    first: dict[str, list[float]] = {"wizard": [], "base": []}
    for i in range(warmup + reps):
        order = [("wizard", wizard), ("base", baseline)]
        if i % 2:
            order.reverse()
        for name, server in order:
            seconds = server.start()
            try:
                first_run = asyncio.run(_first_run(server.port))
            finally:
                server.stop()
            if i >= warmup:
                healthy[name].append(seconds)
                first[name].append(first_run)
    return [
        timed_figure(
            "server.cold_start", GROUP, "Streamlit cold start to healthy (`/_stcore/health`)",
            healthy["wizard"], unit="s", baseline_label="one-line Streamlit app",
            baseline_samples=healthy["base"], targets=[{"metric": "ratio", "limit": 1.5}],
            target_text="ratio <= 1.5",
        ),
        timed_figure(
            "server.first_run", GROUP, "first session's first script run after cold start",
            first["wizard"], unit="s", baseline_label="one-line Streamlit app",
            baseline_samples=first["base"],
            note="not in the issue: the wizard's imports happen in the first run, not at start",
        ),
    ]


# ---------------------------------------------------------------- script run per step


def _page_label(page: Page) -> str:
    """The page's URL path; the default page has none, so its title stands in."""
    return page.url_pathname or f"{page.page_name} (default page)"


async def _steps(wizard_port: int, base_port: int, rounds: int) -> tuple[
        dict[str, list[float]], list[float], list[float], list[str]]:
    wiz = await open_session(wizard_port, wizard=True)
    base = StreamlitClient(base_port)
    await base.connect()
    await base.rerun(page_name="")
    pages = list(wiz.pages)
    if not pages:
        raise ClientError("the wizard sent no navigation (no pages found)")
    rerun: dict[str, list[float]] = {_page_label(p): [] for p in pages}
    switch: list[float] = []
    base_samples: list[float] = []
    errors: list[str] = []
    for _ in range(rounds):
        for page in pages:
            result = await wiz.rerun(page_hash=page.page_script_hash)
            switch.append(result.seconds)
            errors.extend(result.errors)
            result = await wiz.rerun()
            rerun[_page_label(page)].append(result.seconds)
            errors.extend(result.errors)
            base_samples.append((await base.rerun()).seconds)
            base_samples.append((await base.rerun()).seconds)
    await wiz.close()
    await base.close()
    return rerun, switch, base_samples, errors


def steps(wizard: Server, baseline: Server, quick: bool) -> tuple[list[Figure], list[str]]:
    rounds = 2 if quick else 8
    wizard.start()
    baseline.start()
    try:
        rerun, switch, base, errors = asyncio.run(_steps(wizard.port, baseline.port, rounds))
    finally:
        wizard.stop()
        baseline.stop()
    label = "one-line app (empty page) rerun"
    targets: list[dict[str, Any]] = [{"metric": "median", "limit": 50.0}]
    text = "<= 50 ms"
    figures = [
        timed_figure(f"server.step.{name}", GROUP,
                     f"script run, step `{name}`, keinuma loaded (rerun)", samples,
                     baseline_label=label, baseline_samples=base, targets=targets, target_text=text)
        for name, samples in rerun.items()
    ]
    pooled = [s for samples in rerun.values() for s in samples]
    figures.append(timed_figure(
        "server.step.all", GROUP, "script run, all steps pooled (rerun)", pooled,
        baseline_label=label, baseline_samples=base, targets=targets, target_text=text))
    figures.append(timed_figure(
        "server.step.switch", GROUP, "page switch into a step, all steps pooled", switch,
        baseline_label=label, baseline_samples=base, targets=targets, target_text=text))
    notes = [f"script-run errors: {len(errors)}; first: {errors[0]}"] if errors else []
    return figures, notes


# ---------------------------------------------------------------- memory


def _settled_rss(server: Server, samples: int = 5) -> float:
    time.sleep(1.0)
    values = []
    for _ in range(samples):
        values.append(server.rss_bytes() / MB)
        time.sleep(0.2)
    return median(values)


async def _memory(server: Server, *, wizard: bool, counts: tuple[int, ...]) -> dict[int, float]:
    clients: list[StreamlitClient] = []
    rss: dict[int, float] = {}
    gate = asyncio.Semaphore(4)

    async def one() -> StreamlitClient:
        async with gate:
            return await open_session(server.port, wizard=wizard, visit=True)

    try:
        for count in counts:
            clients += await asyncio.gather(*(one() for _ in range(count - len(clients))))
            rss[count] = await asyncio.to_thread(_settled_rss, server)
    finally:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    return rss


def memory(wizard: Server, baseline: Server, quick: bool) -> list[Figure]:
    counts = QUICK_SESSION_COUNTS if quick else SESSION_COUNTS
    results: dict[str, dict[int, float]] = {}
    for name, server in (("wizard", wizard), ("base", baseline)):
        server.start()
        try:
            results[name] = asyncio.run(_memory(server, wizard=name == "wizard", counts=counts))
        finally:
            server.stop()
    label = "one-line app, same sessions"
    figures = []
    for count in counts:
        figures.append(Figure(
            id=f"server.rss.{count}", group=GROUP,
            label=f"server RSS, {count} open session{'s' if count > 1 else ''}", unit="MB",
            median=results["wizard"][count], n=5,
            baseline=Baseline(label, results["base"][count], n=5),
        ))
    lo, hi = counts[0], counts[-1]

    def per(r: dict[int, float]) -> float:
        return (r[hi] - r[lo]) / (hi - lo)

    extra: dict[str, Any] = {"from_sessions": lo, "to_sessions": hi}
    figures.append(Figure(
        id="server.rss.per_session", group=GROUP,
        label=f"server RSS per extra session ({lo}->{hi})", unit="MB",
        median=per(results["wizard"]), baseline=Baseline(label, per(results["base"])),
        targets=[{"metric": "excess", "limit": 2.0}], target_text="<= 2 MB above baseline",
        extra=extra,
    ))
    return figures


def run(quick: bool = False) -> tuple[list[Figure], list[str]]:
    figures: list[Figure] = []
    notes: list[str] = []
    spent: dict[str, float] = {}
    with app_pair() as (wizard, baseline):
        start = time.perf_counter()
        figures += cold_start(wizard, baseline, quick)
        spent["cold start"] = time.perf_counter() - start
        start = time.perf_counter()
        step_figures, step_notes = steps(wizard, baseline, quick)
        spent["steps"] = time.perf_counter() - start
        figures += step_figures
        notes += step_notes
        start = time.perf_counter()
        figures += memory(wizard, baseline, quick)
        spent["memory"] = time.perf_counter() - start
    notes.append("server group time: " + ", ".join(f"{k} {v:.0f} s" for k, v in spent.items()))
    return figures, notes
