"""Real Streamlit servers for the server and load figures: the wizard and a one-line app.

Both are started the same way (`serve_command() APP --server.headless true --server.port P`)
from the project's virtualenv, with usage statistics and the file watcher off: the watcher polls
files on a schedule and would add noise to both sides of every ratio.

The fair floor: the one-line baseline runs with the wizard's server settings, i.e. with the
stall fix (TCP_NODELAY on accepted sockets, see bench/nodelay.py) and ``runner.postScriptGC``
off as in the repository's .streamlit/config.toml. The *stock* one-line server (plain
``streamlit run``, Streamlit's defaults) is measured once beside it so the gain stays visible.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIZARD_APP = ROOT / "app.py"
ONE_LINE_APP = 'import streamlit as st\nst.write("x")\n'
HEALTH_TIMEOUT_S = 90.0
EXTRA: list[str] = []


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def streamlit_command() -> list[str]:
    script = Path(sys.executable).with_name("streamlit")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "streamlit"]


def serve_command(*, fixed: bool = True) -> list[str]:
    """How every bench server is started: the ONE place to change when the launcher moves.

    ``fixed``: with the stall fix. The project's launcher (``python -m seloste.web.serve``) is
    used when it exists; until then the bench's own stand-in, bench/nodelay.py. ``fixed=False``
    is plain ``streamlit run`` (the stock server, for the before/after figure only).
    """
    if not fixed:
        return [*streamlit_command(), "run"]
    if importlib.util.find_spec("seloste.web.serve") is not None:
        return [sys.executable, "-m", "seloste.web.serve"]
    return [sys.executable, "-m", "bench.nodelay", "run"]


#: The wizard's own server settings (.streamlit/config.toml) that the baseline app, in a
#: folder of its own, would otherwise not get.
FAIR_SETTINGS = ["--runner.postScriptGC", "false"]


class ServerError(RuntimeError):
    pass


class Server:
    """One `streamlit run` process; `start()` returns the seconds until /_stcore/health is OK."""

    def __init__(self, app: Path, *, name: str, env: dict[str, str] | None = None,
                 fixed: bool = True, settings: list[str] | None = None) -> None:
        self.app = app
        self.name = name
        self.port = 0
        self.fixed = fixed
        self.settings = list(settings or [])
        # PYTHONPATH: the stand-in launcher is `-m bench.nodelay`, run from the app's folder.
        # SERVE_EXIT_WITH_PARENT: a bench cut short leaves no server behind (the launcher's).
        self.env = {**os.environ, "PYTHONPATH": str(ROOT),
                    "SERVE_EXIT_WITH_PARENT": str(os.getpid()), **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open for the process)
            prefix=f"seloste-bench-{name}-", suffix=".log", delete=False)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def command(self) -> list[str]:
        return [
            *serve_command(fixed=self.fixed), str(self.app),
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", *self.settings, *EXTRA,
        ]

    def start(self, port: int | None = None) -> float:
        if self.proc is not None:
            raise ServerError(f"{self.name} is already running")
        self.port = port or free_port()
        url = f"http://127.0.0.1:{self.port}/_stcore/health"
        start = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command(), cwd=self.app.parent, env=self.env, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        while True:
            if self.proc.poll() is not None:
                raise ServerError(
                    f"{self.name} exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.perf_counter() - start > HEALTH_TIMEOUT_S:
                self.stop()
                raise ServerError(f"{self.name} not healthy after {HEALTH_TIMEOUT_S:.0f} s")
            time.sleep(0.01)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def log_tail(self, lines: int = 15) -> str:
        self._log.flush()
        text = Path(self._log.name).read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def rss_bytes(self) -> int:
        import psutil

        return int(psutil.Process(self.pid).memory_info().rss)

    def close(self) -> None:
        self.stop()
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@contextlib.contextmanager
def app_pair() -> Iterator[tuple[Server, Server]]:
    """The wizard and the fair one-line baseline app (in a temporary folder), not yet started.

    The wizard's drafts go to a temporary data folder, never to the working tree's ./data.
    """
    with app_trio() as (wizard, baseline, _stock):
        yield wizard, baseline


@contextlib.contextmanager
def app_trio() -> Iterator[tuple[Server, Server, Server]]:
    """The wizard, the fair one-line baseline and the stock one-line server, not yet started."""
    with tempfile.TemporaryDirectory(prefix="seloste-bench-apps-") as tmp:
        baseline_dir = Path(tmp) / "one_line"
        baseline_dir.mkdir()
        (baseline_dir / "app.py").write_text(ONE_LINE_APP, encoding="utf-8")
        env = {"SELOSTE_DATA_DIR": str(Path(tmp) / "data")}
        with Server(WIZARD_APP, name="wizard", env=env) as wizard, Server(
            baseline_dir / "app.py", name="one-line", env=env, settings=FAIR_SETTINGS
        ) as baseline, Server(
            baseline_dir / "app.py", name="one-line-stock", env=env, fixed=False
        ) as stock:
            yield wizard, baseline, stock
