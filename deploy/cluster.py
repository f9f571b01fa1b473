"""`python -m deploy.cluster [--processes N] [--port P]`: the deployment of deploy/README.md on
one machine: HAProxy (deploy/haproxy.cfg, unchanged) in front of N wizard processes that share
one cookie secret and one PostgreSQL.

`make cluster` runs it with the throwaway PostgreSQL of .ci/postgres.sh (or the database in
``SELOSTE_DATABASE_URL``); tests/test_cluster.py and the bench (`load.balancer.*`) use the
`Cluster` class. Nothing here is a second configuration: the balancer reads the same file a
server would, with its addresses in the environment.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
#: How one wizard process is started: the ONE place in deploy/ (the systemd unit's ExecStart
#: says the same). Arguments after it: the app and Streamlit's options.
SERVE = [sys.executable, "-m", "seloste.web.serve"]
MAX_PROCESSES = 4  # deploy/haproxy.cfg has SELOSTE_APP1..4
HEALTH_TIMEOUT_S = 120.0


class BalancerMissing(RuntimeError):
    """HAProxy is not installed."""


class PostgresMissing(RuntimeError):
    """No PostgreSQL could be started."""


def haproxy() -> str | None:
    found = os.environ.get("SELOSTE_HAPROXY") or shutil.which("haproxy")
    if found is None and Path("/usr/sbin/haproxy").is_file():
        found = "/usr/sbin/haproxy"
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path,
                 timeout: float = HEALTH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}:\n"
                               + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy after {timeout:.0f} s:\n"
                       + log.read_text(errors="replace")[-3000:])


def _stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@dataclass
class Backend:
    """One wizard process: its name in haproxy.cfg (the cookie's value) and its port."""

    name: str
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; only what the store committed survives."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=15)


class Cluster:
    """HAProxy on ``port`` (a free one by default) in front of ``processes`` wizard processes.

    ``database_url`` None: a SQLite file in the cluster's folder (several processes on one
    host; the bench uses that). ``command``: how a process is started (default SERVE).
    """

    def __init__(self, processes: int = 2, database_url: str | None = None, *,
                 port: int | None = None, command: list[str] | None = None,
                 settings: list[str] | None = None) -> None:
        if not 1 <= processes <= MAX_PROCESSES:
            raise ValueError(f"1 to {MAX_PROCESSES} processes (haproxy.cfg has that many)")
        binary = haproxy()
        if binary is None:
            raise BalancerMissing("haproxy not found: apt-get install -y haproxy")
        self.haproxy = binary
        self.folder = Path(tempfile.mkdtemp(prefix="seloste-cluster-"))
        self.database_url = database_url or f"sqlite:///{self.folder.as_posix()}/drafts.sqlite3"
        self.port = port or free_port()
        self.command = command or SERVE
        self.settings = settings or []
        self.cookie_secret = secrets.token_urlsafe(32)
        self.backends = [Backend(f"app{i + 1}", free_port(), self.folder / f"app{i + 1}.log")
                         for i in range(processes)]
        self.balancer: subprocess.Popen[bytes] | None = None
        self.balancer_log = self.folder / "haproxy.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        return [b.proc.pid for b in self.backends if b.proc is not None]

    def backend(self, name: str) -> Backend:
        return next(b for b in self.backends if b.name == name)

    def process_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SELOSTE_")}
        env.update(SELOSTE_DATABASE_URL=self.database_url, PYTHONUNBUFFERED="1",
                   # One secret for all: an XSRF cookie one process signed passes on another.
                   STREAMLIT_SERVER_COOKIE_SECRET=self.cookie_secret)
        return env

    def start_backend(self, backend: Backend) -> None:
        with backend.log.open("ab") as log:
            backend.proc = subprocess.Popen(
                [*self.command, "app.py", "--server.headless", "true",
                 "--server.port", str(backend.port), "--server.address", "127.0.0.1",
                 "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
                 *self.settings],
                cwd=ROOT, env=self.process_env(), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def start(self) -> Cluster:
        try:
            for backend in self.backends:
                self.start_backend(backend)
            for backend in self.backends:
                assert backend.proc is not None
                wait_healthy(backend.url, backend.proc, backend.log)
            env = {**os.environ, "SELOSTE_BIND": f"127.0.0.1:{self.port}",
                   "SELOSTE_PLAIN_HTTP": "1"}
            for i, backend in enumerate(self.backends, start=1):
                env[f"SELOSTE_APP{i}"] = f"127.0.0.1:{backend.port}"
            with self.balancer_log.open("ab") as log:
                self.balancer = subprocess.Popen(
                    [self.haproxy, "-db", "-f", str(HAPROXY_CFG)], env=env,
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
            wait_healthy(self.url, self.balancer, self.balancer_log)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        _stop(self.balancer)
        for backend in self.backends:
            _stop(backend.proc)

    def close(self) -> None:
        self.stop()
        if os.environ.get("SELOSTE_CLUSTER_KEEP"):
            print(f"cluster folder kept: {self.folder}", file=sys.stderr)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- PostgreSQL


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """The throwaway server of .ci/postgres.sh, for as long as the block runs; its URL.

    The script stops its server when the shell that sourced it exits, unless an EXIT trap is
    already set; so it is sourced under a no-op trap and stopped here afterwards.
    """
    script = ('trap : EXIT; source .ci/postgres.sh; '
              'printf "%s\\n" "${SELOSTE_TEST_POSTGRES_URL:-}" "${SELOSTE_PG_DIR:-}" '
              '"${SELOSTE_PG_BINDIR:-}"')
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=False)
    url, folder, bindir = ([*out.stdout.splitlines(), "", "", ""])[:3]
    if not url:
        raise PostgresMissing("no PostgreSQL: .ci/postgres.sh said:\n" + out.stderr[-2000:])
    try:
        yield url
    finally:
        if folder and bindir:
            stop = [f"{bindir}/pg_ctl", "-D", f"{folder}/data", "-m", "immediate", "-w", "stop"]
            if os.getuid() == 0:
                stop = ["runuser", "-u", "postgres", "--", *stop]
            subprocess.run(stop, capture_output=True, timeout=60, check=False)
            shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- make cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port")
    args = parser.parse_args(argv)
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))

    def serve(database_url: str) -> None:
        with Cluster(args.processes, database_url, port=args.port) as cluster:
            for b in cluster.backends:
                print(f"  {b.name}: {b.url} (pid {b.proc.pid if b.proc else '?'})")
            print(f"Seloste on {cluster.url} (HAProxy, {args.processes} processes); "
                  f"logs in {cluster.folder}; Ctrl-C stops everything.", flush=True)
            try:
                while not stopping:
                    time.sleep(0.5)
            except KeyboardInterrupt:
                pass

    url = os.environ.get("SELOSTE_DATABASE_URL")
    if url:
        serve(url)
    else:
        with throwaway_postgres() as url:
            serve(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
