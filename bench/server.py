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
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.report import Baseline, Figure, timed_figure
from bench.servers import Server, app_trio
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


class _Cpu:
    """CPU seconds (user + system) a server process has used, read with psutil."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.proc = psutil.Process(pid)

    def now(self) -> float:
        times = self.proc.cpu_times()
        return float(times.user + times.system)


@dataclass
class StepSamples:
    rerun: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    switch: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    base_cpu: list[float] = field(default_factory=list)
    stock: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Reruns of one add form alone (an `st.fragment`, see FRAGMENT_KEY) and their CPU.
    fragment: list[float] = field(default_factory=list)
    fragment_cpu: list[float] = field(default_factory=list)


#: The add form whose reruns alone are timed: the retention step's "kind of rule" radio of the
#: first register (an `st.fragment`, seloste.web.widgets.add_form), toggled between two kinds.
FRAGMENT_PAGE = "retention"
FRAGMENT_KEY = "s.rule.0.kind"


async def _fragment_runs(wiz: StreamlitClient, cpu: _Cpu, out: StepSamples, rounds: int) -> None:
    """Change the add form's radio ``rounds`` times; each change reruns only the form."""
    page = wiz.page_by_path(FRAGMENT_PAGE)
    if page is None:
        out.errors.append(f"fragment: no page {FRAGMENT_PAGE!r}")
        return
    await wiz.rerun(page_hash=page.page_script_hash)
    for n in range(rounds):
        radio = next((w for w in wiz.widgets.values() if w.id.endswith("-" + FRAGMENT_KEY)), None)
        if radio is None or not radio.fragment_id:
            out.errors.append(f"fragment: {FRAGMENT_KEY} is not drawn in a fragment")
            return
        state = WidgetState(id=radio.id)
        state.string_value = radio.proto.options[n % 2]  # a radio's value is its label
        before = cpu.now()
        result = await wiz.rerun(changes=[state], fragment_id=radio.fragment_id)
        out.fragment_cpu.append(cpu.now() - before)
        out.fragment.append(result.seconds)
        out.errors.extend(result.errors)


async def _steps(wizard: Server, baseline: Server, stock: Server, rounds: int) -> StepSamples:
    wiz = await open_session(wizard.port, wizard=True)
    base = StreamlitClient(baseline.port)
    await base.connect()
    await base.rerun(page_name="")
    old = StreamlitClient(stock.port)
    await old.connect()
    await old.rerun(page_name="")
    wiz_cpu, base_cpu = _Cpu(wizard.pid), _Cpu(baseline.pid)
    pages = list(wiz.pages)
    if not pages:
        raise ClientError("the wizard sent no navigation (no pages found)")
    out = StepSamples(rerun={_page_label(p): [] for p in pages},
                      cpu={_page_label(p): [] for p in pages})
    for _ in range(rounds):
        for page in pages:
            result = await wiz.rerun(page_hash=page.page_script_hash)
            out.switch.append(result.seconds)
            out.errors.extend(result.errors)
            before = wiz_cpu.now()
            result = await wiz.rerun()
            out.cpu[_page_label(page)].append(wiz_cpu.now() - before)
            out.rerun[_page_label(page)].append(result.seconds)
            out.errors.extend(result.errors)
            for _ in range(2):
                before = base_cpu.now()
                out.base.append((await base.rerun()).seconds)
                out.base_cpu.append(base_cpu.now() - before)
            out.stock.append((await old.rerun()).seconds)
    await _fragment_runs(wiz, wiz_cpu, out, rounds * 4)
    await wiz.close()
    await base.close()
    await old.close()
    return out


#: The pages whose work is real (tables, previews, findings): the issue's "heaviest step".
HEAVY_PAGES = ("registers", "retention", "review")


def steps(wizard: Server, baseline: Server, stock: Server, quick: bool
          ) -> tuple[list[Figure], list[str]]:
    rounds = 2 if quick else 8
    for server in (wizard, baseline, stock):
        server.start()
    try:
        got = asyncio.run(_steps(wizard, baseline, stock, rounds))
    finally:
        for server in (wizard, baseline, stock):
            server.stop()
    label = "fair one-line app (empty page) rerun: stall fix, postScriptGC off"
    targets: list[dict[str, Any]] = [{"metric": "median", "limit": 50.0}]
    text = "<= 50 ms"
    figures = [timed_figure(
        "server.floor", GROUP, "one-line app rerun, fixed server (stall fix, postScriptGC off)",
        got.base, baseline_label="stock `streamlit run`, Streamlit's defaults",
        baseline_samples=got.stock, targets=[{"metric": "ratio", "limit": 0.3}],
        target_text="ratio <= 0.3")]
    figures += [
        timed_figure(f"server.step.{name}", GROUP,
                     f"script run, step `{name}`, keinuma loaded (rerun)", samples,
                     baseline_label=label, baseline_samples=got.base, targets=targets,
                     target_text=text)
        for name, samples in got.rerun.items()
    ]
    pooled = [s for samples in got.rerun.values() for s in samples]
    figures.append(timed_figure(
        "server.step.all", GROUP, "script run, all steps pooled (rerun)", pooled,
        baseline_label=label, baseline_samples=got.base,
        targets=[{"metric": "ratio", "limit": 2.0}], target_text="ratio <= 2"))
    heavy = {n: s for n, s in got.rerun.items() if n in HEAVY_PAGES}
    if heavy:
        name = max(heavy, key=lambda n: median(heavy[n]))
        figures.append(timed_figure(
            "server.step.heaviest", GROUP, f"heaviest step rerun (`{name}`)", heavy[name],
            baseline_label=label, baseline_samples=got.base,
            targets=[{"metric": "ratio", "limit": 4.0}], target_text="ratio <= 4",
            extra={"page": name}))
    if got.fragment:
        figures.append(timed_figure(
            "server.step.fragment", GROUP,
            f"a field of an add form (`{FRAGMENT_KEY}` on `{FRAGMENT_PAGE}`), "
            "rerun of the form alone (st.fragment)", got.fragment,
            baseline_label=label, baseline_samples=got.base,
            extra={"full_page_median_ms": 1000 * median(got.rerun.get(FRAGMENT_PAGE, [0.0]))}))
    figures.append(timed_figure(
        "server.step.switch", GROUP, "page switch into a step, all steps pooled", got.switch,
        baseline_label=label, baseline_samples=got.base, targets=targets, target_text=text))
    # CPU times come from /proc in 10 ms clock ticks, so a single rerun reads 0 or 10 ms: the
    # figure is the MEAN over all reruns (total CPU / reruns), which the ticks do not bias.
    cpu_label = "fair one-line app, server CPU per rerun (mean)"

    def cpu_figure(id: str, label: str, samples: list[float], **kw: Any) -> Figure:
        return Figure(id=id, group=GROUP, label=label, unit="ms",
                      median=1000 * sum(samples) / max(1, len(samples)), n=len(samples),
                      baseline=Baseline(cpu_label, 1000 * sum(got.base_cpu)
                                        / max(1, len(got.base_cpu)), n=len(got.base_cpu)),
                      **kw)

    for name, samples in got.cpu.items():
        figures.append(cpu_figure(f"server.cpu.{name}",
                                  f"server CPU per rerun (mean), step `{name}`", samples))
    if got.fragment_cpu:
        figures.append(cpu_figure(
            "server.cpu.fragment", f"server CPU per rerun (mean), add form alone on "
            f"`{FRAGMENT_PAGE}`", got.fragment_cpu))
    figures.append(cpu_figure(
        "server.cpu.all", "server CPU per rerun (mean), all steps pooled",
        [s for samples in got.cpu.values() for s in samples],
        targets=[{"metric": "median", "limit": 15.0}], target_text="<= 15 ms",
        note="mean, not median: /proc reports CPU time in 10 ms ticks"))
    notes = [f"script-run errors: {len(got.errors)}; first: {got.errors[0]}"] if got.errors else []
    return figures, notes


# ---------------------------------------------------------------- memory


#: Quiet time before the RSS samples: longer than the launcher's shortest wait between two
#: background collections (`seloste.web.memory.MIN_INTERVAL`, 2 s), so that the figure is the
#: steady state of a server whose sessions are open, not the peak of the runs just made.
SETTLE_S = 3.0


def _settled_rss(server: Server, samples: int = 5) -> float:
    time.sleep(SETTLE_S)
    values = []
    for _ in range(samples):
        values.append(server.rss_bytes() / MB)
        time.sleep(0.4)
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
    with app_trio() as (wizard, baseline, stock):
        start = time.perf_counter()
        figures += cold_start(wizard, baseline, quick)
        spent["cold start"] = time.perf_counter() - start
        start = time.perf_counter()
        step_figures, step_notes = steps(wizard, baseline, stock, quick)
        spent["steps"] = time.perf_counter() - start
        figures += step_figures
        notes += step_notes
        start = time.perf_counter()
        figures += memory(wizard, baseline, quick)
        spent["memory"] = time.perf_counter() - start
    notes.append("server group time: " + ", ".join(f"{k} {v:.0f} s" for k, v in spent.items()))
    return figures, notes
