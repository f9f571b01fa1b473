"""Real Streamlit servers for the server and load figures: the wizard and a one-line app.

Both are started the same way, by the launcher every deployment uses
(`python -m seloste.web.serve APP --server.headless true --server.port P`; `stock=True` runs plain
`streamlit run` for a baseline) from the project's virtualenv, with usage statistics and the file
watcher off: the watcher polls files on a schedule and would add noise to both sides of every
ratio.
"""

from __future__ import annotations

import contextlib
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

from seloste.web.serve import command as serve_command

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


class ServerError(RuntimeError):
    pass


class Server:
    """One `streamlit run` process; `start()` returns the seconds until /_stcore/health is OK."""

    def __init__(self, app: Path, *, name: str, env: dict[str, str] | None = None,
                 stock: bool = False) -> None:
        self.app = app
        #: ``stock``: plain ``streamlit run`` (no TCP_NODELAY, no headers), for a baseline;
        #: otherwise the launcher every deployment uses (`seloste.web.serve`).
        self.stock = stock
        self.name = name
        self.port = 0
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open for the process)
            prefix=f"seloste-bench-{name}-", suffix=".log", delete=False)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def command(self) -> list[str]:
        start = ([*streamlit_command(), "run", str(self.app)] if self.stock
                 else serve_command(str(self.app)))
        return [
            *start,
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", *EXTRA,
        ]

    def start(self) -> float:
        if self.proc is not None:
            raise ServerError(f"{self.name} is already running")
        self.port = free_port()
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
    """The wizard and the one-line baseline app (in a temporary folder), not yet started.

    The wizard's drafts go to a temporary data folder, never to the working tree's ./data.
    """
    with tempfile.TemporaryDirectory(prefix="seloste-bench-apps-") as tmp:
        baseline_dir = Path(tmp) / "one_line"
        baseline_dir.mkdir()
        (baseline_dir / "app.py").write_text(ONE_LINE_APP, encoding="utf-8")
        env = {"SELOSTE_DATA_DIR": str(Path(tmp) / "data")}
        with Server(WIZARD_APP, name="wizard", env=env) as wizard, Server(
            baseline_dir / "app.py", name="one-line", env=env
        ) as baseline:
            yield wizard, baseline
