"""The launcher (`seloste.web.serve`) against a real server process: headers, TCP_NODELAY, guards.

TCP_NODELAY is read off the *server's* side of a live websocket: the test duplicates the
server's file descriptor for that connection with ``pidfd_getfd(2)`` (the test is the server's
parent, so the kernel allows it) and asks the socket itself. Where the kernel refuses that, the
test skips with the reason rather than pass.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seloste.web import serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[1]
SYS_PIDFD_GETFD = 438  # x86_64 and aarch64 alike


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Running:
    def __init__(self, proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.proc, self.port, self.log = proc, port, log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start(cmd: list[str], port: int, log: Path, **extra_env: str) -> Running:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELOSTE_")}
    env.update(SELOSTE_DATA_DIR=str(log.parent), PYTHONUNBUFFERED="1",
               SERVE_EXIT_WITH_PARENT=str(os.getpid()), **extra_env)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*cmd, "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return Running(proc, port, log)
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail(f"server not healthy in 90 s:\n{log.read_text()[-3000:]}")


def stop(running: Running) -> None:
    running.proc.terminate()
    try:
        running.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        running.proc.kill()
        running.proc.wait(timeout=15)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    log = tmp_path_factory.mktemp("serve") / "server.log"
    running = start(serve.command("app.py"), free_port(), log)
    yield running
    stop(running)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


# ---------------------------------------------------------------- headers


def _static_script(html: bytes) -> str:
    marker = b'src="./static/js/'
    start_at = html.index(marker) + len('src="./')
    return html[start_at:html.index(b'"', start_at)].decode()


def test_every_http_response_carries_the_security_headers(server: Running) -> None:
    status, headers, page = get(f"{server.url}/")
    assert status == 200 and b"<div id=\"root\">" in page
    paths = ["/", "/company", "/_stcore/health", "/_stcore/host-config", f"/{_static_script(page)}",
             "/no-such-file.js", "/_stcore/metrics"]
    seen = {}
    for path in paths:
        status, headers, _ = get(server.url + path)
        seen[path] = status
        for name, value in serve.security_headers().items():
            assert headers.get(name.lower()) == value, (path, name, headers)
    print(f"\nstatus per path with the headers: {seen}")
    policy = serve.security_headers()["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_metrics_are_not_served_and_framed_page_loads_are_refused(server: Running) -> None:
    status, _, body = get(f"{server.url}/_stcore/metrics")
    assert status == 404 and b"session" not in body
    for dest in ("iframe", "frame", "embed", "object"):
        status, _, body = get(f"{server.url}/", **{"Sec-Fetch-Dest": dest})
        assert status == 403, dest
        assert b"root" not in body
    assert get(f"{server.url}/", **{"Sec-Fetch-Dest": "document"})[0] == 200


def test_stock_streamlit_serves_none_of_this(tmp_path: Path) -> None:
    """The baseline the headers fix: plain ``streamlit run`` sends none of them."""
    running = start([str(Path(sys.executable).with_name("streamlit")), "run", "app.py"],
                    free_port(), tmp_path / "stock.log")
    try:
        status, headers, _ = get(f"{running.url}/")
        assert status == 200
        for name in serve.security_headers():
            assert name.lower() not in headers
        assert get(f"{running.url}/_stcore/metrics")[0] == 200
        assert websocket_nodelay(running) == 0
    finally:
        stop(running)


# ---------------------------------------------------------------- TCP_NODELAY


def _server_fd_of(pid: int, server_port: int, client_port: int) -> int:
    """The server's file descriptor for the TCP connection from ``client_port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.read().splitlines()[1:]:
                fields = line.split()
                local, remote = fields[1], fields[2]
                if (int(local.rsplit(":", 1)[1], 16) == server_port
                        and int(remote.rsplit(":", 1)[1], 16) == client_port):
                    inodes.add(fields[9])
    assert len(inodes) == 1, inodes
    link = f"socket:[{inodes.pop()}]"
    for name in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{name}") == link:
                return int(name)
        except OSError:
            continue
    raise AssertionError(f"no fd of {pid} is {link}")


def _server_side_nodelay(pid: int, fd: int) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        dup = libc.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0)
        if dup < 0:
            code = ctypes.get_errno()
            if code in (errno.EPERM, errno.ENOSYS, errno.EACCES):
                pytest.skip(f"pidfd_getfd refused here ({os.strerror(code)})")
            raise OSError(code, os.strerror(code))
    finally:
        os.close(pidfd)
    with socket.socket(fileno=dup) as theirs:
        return theirs.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def websocket_nodelay(running: Running) -> int:
    """Open Streamlit's websocket and read TCP_NODELAY off the server's end of it."""
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{running.port}/_stcore/stream",
                 subprotocols=["streamlit"], open_timeout=30) as ws:  # type: ignore[list-item]
        client_port = ws.socket.getsockname()[1]
        fd = _server_fd_of(running.proc.pid, running.port, client_port)
        return _server_side_nodelay(running.proc.pid, fd)


def test_accepted_websocket_has_tcp_nodelay_on_the_server_side(server: Running) -> None:
    value = websocket_nodelay(server)
    print(f"\nTCP_NODELAY on the server's end of a websocket: {value}")
    assert value != 0


def first_run(running: Running) -> Iterator[Any]:
    """The ForwardMsgs a browser gets after asking for the first run, up to its end."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with connect(f"ws://127.0.0.1:{running.port}/_stcore/stream",
                 subprotocols=["streamlit"], open_timeout=30,  # type: ignore[list-item]
                 max_size=None) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        ws.send(back.SerializeToString())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            forward = ForwardMsg()
            forward.ParseFromString(ws.recv(timeout=60))
            yield forward
            if forward.WhichOneof("type") == "script_finished":
                return
    raise AssertionError("the first run did not finish in 60 s")


def first_session_message(running: Running) -> object:
    """The NewSession message a browser gets after asking for the first run."""
    for forward in first_run(running):
        if forward.WhichOneof("type") == "new_session":
            return forward.new_session
    raise AssertionError("no new_session message in the first run")


def test_clients_are_not_told_the_exact_versions(server: Running) -> None:
    info = first_session_message(server).initialize.environment_info  # type: ignore[attr-defined]
    assert info.streamlit_version == serve.HIDDEN_VERSION
    assert info.python_version == serve.HIDDEN_VERSION
    assert sys.version.split()[0] not in str(info)


# ---------------------------------------------------------------- guards against upgrades


def test_stock_streamlit_still_binds_with_protocol_zero() -> None:
    """When this fails, Streamlit binds with IPPROTO_TCP itself: drop `with_tcp_protocol`."""
    from streamlit.web.server.starlette import starlette_server

    original = starlette_server._bind_socket
    if original.__module__ != starlette_server.__name__:  # patched by an earlier import
        pytest.skip("the launcher's patch is installed in this process")
    sock = original("127.0.0.1", 0, 8)
    assert sock.proto == 0, "Streamlit fixed the socket protocol: remove the workaround"
    with serve.with_tcp_protocol(sock) as wrapped:
        assert wrapped.proto == socket.IPPROTO_TCP
        assert wrapped.getsockname()[0] == "127.0.0.1"
        assert not wrapped.getblocking()


def test_install_fails_loudly_when_streamlit_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.web.server.starlette import starlette_server

    monkeypatch.setattr(serve, "_INSTALLED", [])
    monkeypatch.delattr(starlette_server, "_bind_socket")
    with pytest.raises(serve.StreamlitChanged, match="_bind_socket"):
        serve.install()

    monkeypatch.setattr(starlette_server, "_bind_socket", lambda host, port: None,
                        raising=False)
    with pytest.raises(serve.StreamlitChanged, match=r"review seloste/web/serve\.py"):
        serve.install()


class FakeLoop:
    def __init__(self) -> None:
        self.timers: list[tuple[float, Any]] = []

    def call_later(self, delay: float, callback: Any, *args: Any) -> None:
        self.timers.append((delay, lambda: callback(*args)))


class FakeEvent:
    """A ScriptRunnerEvent stand-in: the batching reads only its name."""

    def __init__(self, name: str) -> None:
        self.name = name


ELEMENT, STARTED, FINISHED, BOOM = (FakeEvent(n) for n in (
    "ENQUEUE_FORWARD_MSG", "SCRIPT_STARTED", "SCRIPT_STOPPED_WITH_SUCCESS", "BOOM"))


class FakeSession:
    """Streamlit's AppSession in miniature: events handled by one loop callback each."""

    def __init__(self) -> None:
        self._event_loop = FakeLoop()
        self.scheduled: list[Any] = []
        self.handled: list[str] = []

    def _on_scriptrunner_event(self, sender: Any, event: Any, forward_msg: Any = None,
                               exception: Any = None, client_state: Any = None,
                               page_script_hash: Any = None, fragment_ids_this_run: Any = None,
                               pages: Any = None, run_descriptor: Any = None) -> None:
        self._call_soon_on_event_loop(lambda: self._handle_scriptrunner_event_on_event_loop(
            sender, event, forward_msg))

    def _call_soon_on_event_loop(self, callback: Any) -> None:
        self.scheduled.append(callback)

    def _handle_scriptrunner_event_on_event_loop(
            self, sender: Any, event: Any, forward_msg: Any = None, exception: Any = None,
            client_state: Any = None, page_script_hash: Any = None,
            fragment_ids_this_run: Any = None, pages: Any = None,
            run_descriptor: Any = None) -> None:
        if event is BOOM:
            raise ValueError("one bad event")
        self.handled.append(f"{event.name}:{forward_msg}")

    def run_soon(self) -> int:
        """Run the callbacks scheduled from the script thread (each one a wake-up)."""
        ran = 0
        while self.scheduled:
            self.scheduled.pop(0)()
            ran += 1
        return ran

    def run_timers(self) -> list[float]:
        timers, self._event_loop.timers = self._event_loop.timers, []
        for _, callback in timers:
            callback()
        return [delay for delay, _ in timers]


def batched() -> FakeSession:
    class Session(FakeSession):
        pass

    serve.coalesce_runner_events(Session)
    return Session()


def test_element_messages_wake_the_loop_once_per_batch() -> None:
    session = batched()
    for i in range(5):
        session._on_scriptrunner_event(None, ELEMENT, forward_msg=i)
    assert len(session.scheduled) == 1  # stock Streamlit: 5 wake-ups
    assert session.run_soon() == 1
    assert session.handled == []  # the batch waits a moment on the loop...
    session._on_scriptrunner_event(None, ELEMENT, forward_msg=5)
    assert session.scheduled == []  # ...and takes what comes meanwhile, without a wake-up
    assert session.run_timers() == [serve.BATCH_SECONDS]
    assert session.handled == [f"ENQUEUE_FORWARD_MSG:{i}" for i in range(6)]
    session._on_scriptrunner_event(None, ELEMENT, forward_msg=6)  # the next batch
    assert len(session.scheduled) == 1


def test_a_finished_run_is_handled_at_once_after_what_came_before() -> None:
    session = batched()
    session._on_scriptrunner_event(None, STARTED)
    session._on_scriptrunner_event(None, ELEMENT, forward_msg="a")
    session._on_scriptrunner_event(None, BOOM)  # logged; the batch goes on
    session._on_scriptrunner_event(None, ELEMENT, forward_msg="b")
    session._on_scriptrunner_event(None, FINISHED)
    assert len(session.scheduled) == 1  # one immediate drain takes all five
    session.run_soon()
    assert session.handled == ["SCRIPT_STARTED:None", "ENQUEUE_FORWARD_MSG:a",
                               "ENQUEUE_FORWARD_MSG:b", "SCRIPT_STOPPED_WITH_SUCCESS:None"]
    assert session._event_loop.timers == []


def test_a_finish_during_a_waiting_batch_drains_it_at_once() -> None:
    session = batched()
    session._on_scriptrunner_event(None, ELEMENT, forward_msg="a")
    session.run_soon()  # the batch now waits on a timer
    session._on_scriptrunner_event(None, FINISHED)
    assert len(session.scheduled) == 1
    session.run_soon()
    assert session.handled == ["ENQUEUE_FORWARD_MSG:a", "SCRIPT_STOPPED_WITH_SUCCESS:None"]
    session.run_timers()  # the late timer finds nothing left
    assert len(session.handled) == 2


def test_an_event_during_a_drain_schedules_the_next_drain() -> None:
    class Session(FakeSession):
        def _handle_scriptrunner_event_on_event_loop(self, sender: Any, event: Any,
                                                     *args: Any, **kwargs: Any) -> None:
            super()._handle_scriptrunner_event_on_event_loop(sender, event, *args, **kwargs)
            if event is STARTED:  # the script thread emits while the loop drains
                self._on_scriptrunner_event(None, FINISHED)

    serve.coalesce_runner_events(Session)
    session = Session()
    session._on_scriptrunner_event(None, STARTED)
    assert session.run_soon() == 2
    assert session.handled == ["SCRIPT_STARTED:None", "SCRIPT_STOPPED_WITH_SUCCESS:None"]


def test_the_real_event_names_are_the_ones_batched() -> None:
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    assert ScriptRunnerEvent.ENQUEUE_FORWARD_MSG.name == ELEMENT.name
    assert ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS.name == FINISHED.name


def test_the_batching_is_installed_on_streamlits_session() -> None:
    """In a fresh interpreter: install() patches the process-wide AppSession class."""
    probe = ("import inspect; from seloste.web import serve; serve.install();"
             " from streamlit.runtime.app_session import AppSession as S;"
             " print(S._on_scriptrunner_event.__module__);"
             " print(list(inspect.signature(S._handle_scriptrunner_event_on_event_loop)"
             ".parameters)[:10] == list(serve.RUNNER_EVENT_PARAMS))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    assert out == ["seloste.web.serve", "True"]


#: A launcher that counts, on the real server, the script events and the loop wake-ups they
#: cost, and writes both to $COUNTS when a run finishes (the test reads them there).
COUNTING_LAUNCHER = """
import json, os, sys
from streamlit.runtime.app_session import AppSession
from seloste.web import serve

counts = {"events": 0, "wakeups": 0}
call_soon = AppSession._call_soon_on_event_loop
def counted_call_soon(self, callback):
    counts["wakeups"] += 1
    return call_soon(self, callback)
AppSession._call_soon_on_event_loop = counted_call_soon
serve.install()
batched = AppSession._on_scriptrunner_event
def counted_event(self, *args, **kwargs):
    counts["events"] += 1
    batched(self, *args, **kwargs)
    event = kwargs.get("event", args[1] if len(args) > 1 else None)
    if getattr(event, "name", "") == "SCRIPT_STOPPED_WITH_SUCCESS":
        with open(os.environ["COUNTS"] + ".tmp", "w") as out:
            json.dump(counts, out)
        os.replace(os.environ["COUNTS"] + ".tmp", os.environ["COUNTS"])
AppSession._on_scriptrunner_event = counted_event
raise SystemExit(serve.main(sys.argv[1:]))
"""


def test_a_real_run_wakes_the_loop_far_less_than_once_per_element(tmp_path: Path) -> None:
    """On a real server, 300 elements reach the browser whole and in order, for a fraction of
    the loop wake-ups stock Streamlit pays (one per event: the ratio would be 1)."""
    app = tmp_path / "many.py"
    app.write_text("import streamlit as st\nfor i in range(300):\n    st.text(f'line {i}')\n")
    launcher = tmp_path / "launch.py"
    launcher.write_text(COUNTING_LAUNCHER)
    counts_file = tmp_path / "counts.json"
    running = start([sys.executable, str(launcher), str(app)], free_port(),
                    tmp_path / "server.log", COUNTS=str(counts_file))
    try:
        texts = [forward.delta.new_element.text.body for forward in first_run(running)
                 if forward.WhichOneof("type") == "delta"
                 and forward.delta.WhichOneof("type") == "new_element"]
        deadline = time.monotonic() + 30
        while not counts_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        counts = json.loads(counts_file.read_text())
    finally:
        stop(running)
    print(f"\n300 elements: {counts['events']} script events, {counts['wakeups']} wake-ups")
    assert texts == [f"line {i}" for i in range(300)]
    assert counts["events"] >= 300
    assert counts["wakeups"] * 4 <= counts["events"]


def test_inline_scripts_are_allowed_by_their_hash_only() -> None:
    page = "<script>\n  window.x = 1\n</script><script type=module src=./a.js></script>"
    assert serve.inline_script_hashes(page) == [
        "'sha256-" + __import__("base64").b64encode(
            __import__("hashlib").sha256(b"\n  window.x = 1\n").digest()).decode() + "'"]


def test_the_launcher_purges_unused_drafts_before_the_first_visit(tmp_path: Path) -> None:
    import datetime as dt

    from sqlalchemy import update

    from seloste.drafts import DraftStore, drafts_table

    log = tmp_path / "purge.log"  # start() puts SELOSTE_DATA_DIR here
    with DraftStore(f"sqlite:///{tmp_path.as_posix()}/drafts.sqlite3") as store:
        token, _ = store.create('{"format": "x"}', 1)
        with store.engine.begin() as connection:
            connection.execute(update(drafts_table).values(
                updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=91)))
        running = start(serve.command("app.py"), free_port(), log)
        try:
            assert store.load(token) is None  # nobody opened the app
        finally:
            stop(running)


_ORPHANING_PARENT = """
import os, subprocess, sys, time, urllib.request
app, port, log = sys.argv[1], sys.argv[2], sys.argv[3]
env = {**os.environ, "SERVE_EXIT_WITH_PARENT": str(os.getpid())}
with open(log, "wb") as out:
    child = subprocess.Popen(
        [sys.executable, "-m", "seloste.web.serve", app, "--server.headless", "true",
         "--server.port", port, "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
print(child.pid, flush=True)
for _ in range(900):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
        break
    except OSError:
        time.sleep(0.1)
print("healthy", flush=True)
os._exit(0)  # as a killed pytest run would: the server is not stopped
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie nobody reaped has stopped too)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def test_a_test_server_stops_when_the_process_that_started_it_is_gone(tmp_path: Path) -> None:
    """SERVE_EXIT_WITH_PARENT (set by the tests' and the bench's server helpers): a pytest
    run cut short no longer leaves its servers running. Here the parent starts a server in a
    session of its own, waits until it answers and exits without stopping it."""
    app = tmp_path / "one_line.py"
    app.write_text("import streamlit as st\nst.write('x')\n")
    port = free_port()
    parent = subprocess.run(
        [sys.executable, "-c", _ORPHANING_PARENT, str(app), str(port), str(tmp_path / "log")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = parent.stdout.split()
    assert lines[1:] == ["healthy"], parent.stderr
    pid = int(lines[0])
    try:
        deadline = time.monotonic() + 20
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _running(pid), (tmp_path / "log").read_text()[-2000:]
        assert "is gone: stopping" in (tmp_path / "log").read_text()
    finally:
        if _running(pid):
            os.kill(pid, 9)
