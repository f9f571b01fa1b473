"""Start the wizard's server: ``python -m seloste.web.serve [SCRIPT] [streamlit run options]``.

Use this wherever ``streamlit run app.py`` was used (``make run``, the deployment's service
units, the tests' servers, the bench). It takes exactly the arguments of ``streamlit run``
(``SCRIPT`` defaults to the repository's ``app.py``) and starts Streamlit's own server with
three things Streamlit 1.67 cannot be configured to do:

* **Security headers on every HTTP response** (`security_headers`): a Content-Security-Policy
  with ``frame-ancestors 'none'``, ``X-Frame-Options: DENY``, ``X-Content-Type-Options:
  nosniff`` and ``Referrer-Policy: no-referrer``. Why: Streamlit's frontend posts the page's
  query string -- the draft link included -- to its parent window with target origin ``"*"``,
  so any site that framed the wizard could harvest draft links. A page request a browser says
  is for a frame (``Sec-Fetch-Dest: iframe``, ...) is refused outright as well, for browsers
  that send Fetch Metadata but ignore the headers.
* **TCP_NODELAY on accepted connections.** Streamlit's Starlette server pre-binds its
  listening socket with ``socket.socket(family)`` (protocol 0), and asyncio sets TCP_NODELAY
  only on sockets whose protocol is ``IPPROTO_TCP``. Without it every rerun's second and later
  websocket frames wait for the browser's delayed ACK (Nagle): ~40 ms on Linux, up to 200 ms
  on Windows. The listening socket is re-wrapped with ``proto=IPPROTO_TCP`` (same file
  descriptor, same options), so asyncio's own code sets the option on every accepted socket.
* **One event-loop wake-up per batch of script events** (`coalesce_runner_events`). A script
  run emits an event for every element it draws, and Streamlit hands each one to the event loop
  with its own ``call_soon_threadsafe``, which writes to the loop's self-pipe every time: 12 %
  of the script thread's time on the registers page (py-spy), and a wake-up of the loop
  thread per element. The events now queue per session; element messages are handled in
  batches a couple of milliseconds long, a run's start and finish at once, all in order.
* **The draft purge at start-up** (and hourly after), not at the first visit.
* **Memory given back** (`seloste.web.memory`): a background full collection and heap trim,
  because Streamlit's collection after every run is turned off for speed.
* **No orphaned test servers**: with ``SERVE_EXIT_WITH_PARENT`` (set by the tests' and the
  bench's helpers) the server stops itself when the process that started it is gone.
* **Less to tell anonymous clients**: ``/_stcore/metrics`` answers 404, and the exact Streamlit
  and Python versions are not sent in the session's first message.

Streamlit has no supported hook for any of this when started by ``streamlit run`` (``st.App``
takes middleware, but the socket is bound by the same private function either way), so the
launcher patches two private functions of ``streamlit.web.server.starlette.starlette_server``
and one of ``AppSession``. `install` checks that each still has the shape it was written for and
raises `StreamlitChanged` otherwise: an upgrade that changes the server stops the launcher
loudly instead of silently serving without the fixes (``tests/test_serve.py`` also fails when
Streamlit starts binding with ``IPPROTO_TCP`` itself, so the workaround can go).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import inspect
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Any, Final

#: Where ``app.py`` lives (the repository root) when no script is named.
DEFAULT_SCRIPT: Final = Path(__file__).resolve().parents[2] / "app.py"

#: The policy the wizard passes in Chromium (every browser test fails on a violation Chromium
#: reports, tests/e2e/e2e_support.py). Streamlit's frontend injects styles at run time
#: (emotion), so ``style-src`` needs 'unsafe-inline'; scripts come only from the server itself,
#: plus the one inline script of Streamlit's index.html, allowed by its hash (computed from the
#: installed file, so an upgrade that changes it keeps working); images and fonts may be
#: data:/blob: URLs; the websocket is same-origin.
POLICY: Final[tuple[tuple[str, str], ...]] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("media-src", "'self' data: blob:"),
    ("worker-src", "'self' blob:"),
    ("frame-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP source expressions ('sha256-…') for each inline script of a page."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
            for m in _INLINE_SCRIPT.findall(index_html)]


@functools.cache
def content_security_policy() -> str:
    """The policy, with the installed Streamlit index.html's inline scripts allowed by hash."""
    import streamlit

    index = Path(streamlit.__file__).parent / "static" / "index.html"
    hashes = inline_script_hashes(index.read_text(encoding="utf-8"))
    return "; ".join(f"{name} {' '.join([value, *hashes])}" if name == "script-src"
                     else f"{name} {value}" for name, value in POLICY)


def security_headers() -> dict[str, str]:
    """The headers every HTTP response carries."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


#: Requests that anonymous clients do not get an answer to.
HIDDEN_PATHS: Final = ("/_stcore/metrics",)
#: ``Sec-Fetch-Dest`` values of a page loaded into a frame of some kind.
FRAMED_DESTINATIONS: Final = frozenset({b"iframe", b"frame", b"embed", b"object",
                                        b"fencedframe"})
#: What the session's first message says instead of the exact versions.
HIDDEN_VERSION: Final = "hidden"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class StreamlitChanged(RuntimeError):
    """The installed Streamlit no longer has the server this launcher was written for."""


# ---------------------------------------------------------------- the headers (pure ASGI)


class SecurityHeaders:
    """ASGI middleware: security headers on every HTTP response; framed, hidden pages refused.

    Pure ASGI (not Starlette's BaseHTTPMiddleware) so websocket traffic passes untouched and
    streamed responses are not buffered.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                            for k, v in security_headers().items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if path.rstrip("/").endswith(HIDDEN_PATHS):
            await self._refuse(send, 404, b"Not found\n")
            return
        dest = dict(scope.get("headers") or []).get(b"sec-fetch-dest", b"")
        if dest in FRAMED_DESTINATIONS:
            await self._refuse(send, 403, b"This page cannot be shown in a frame.\n")
            return

        async def send_with_headers(message: Message) -> None:
            if message.get("type") == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in self.raw_headers if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse(self, send: Send, status: int, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                *self.raw_headers]})
        await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------- the listening socket


def with_tcp_protocol(sock: socket.socket) -> socket.socket:
    """The same listening socket, re-wrapped so that ``sock.proto == IPPROTO_TCP``.

    Accepted sockets inherit the listener's ``proto``, and asyncio's transport sets
    TCP_NODELAY only when it is ``IPPROTO_TCP``. Only the Python object changes: the file
    descriptor, its bind, options and listen backlog stay as Streamlit made them.
    """
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    blocking = sock.getblocking()
    inheritable = sock.get_inheritable()
    wrapped = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    wrapped.setblocking(blocking)
    wrapped.set_inheritable(inheritable)
    return wrapped


# ---------------------------------------------------------------- script events, batched

#: The parameters of ``AppSession._on_scriptrunner_event`` that the batching passes through.
RUNNER_EVENT_PARAMS: Final = (
    "self", "sender", "event", "forward_msg", "exception", "client_state", "page_script_hash",
    "fragment_ids_this_run", "pages", "run_descriptor")

_LOGGER: Final = logging.getLogger(__name__)
_QUEUE_ATTR: Final = "_seloste_runner_events"
_QUEUE_CREATION: Final = threading.Lock()

#: How long a script's element messages may wait on the loop to be handled as one batch. Any
#: other event (a run starting or finishing) is handled at once, with all that came before it.
BATCH_SECONDS: Final = 0.002


class _EventQueue:
    """One session's script events not yet handled on the event loop."""

    __slots__ = ("events", "lock", "now", "pending")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.pending = False  # a drain is scheduled (at once or after BATCH_SECONDS)
        self.now = False  # a drain is scheduled at once


def _queue_of(session: Any) -> _EventQueue:
    queue = getattr(session, _QUEUE_ATTR, None)
    if queue is None:
        with _QUEUE_CREATION:
            queue = getattr(session, _QUEUE_ATTR, None)
            if queue is None:
                queue = _EventQueue()
                setattr(session, _QUEUE_ATTR, queue)
    return queue


def _is_element_message(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    event = kwargs["event"] if "event" in kwargs else args[1] if len(args) > 1 else None
    return getattr(event, "name", None) == "ENQUEUE_FORWARD_MSG"


def coalesce_runner_events(session_class: Any) -> None:
    """Make ``session_class`` wake its event loop once per batch of script-runner events.

    Events are queued in arrival order. An element message that finds no drain scheduled
    schedules one ``BATCH_SECONDS`` later (one wake-up of the loop, through the session's own
    ``_call_soon_on_event_loop``, which drops it when the loop is closed); any other event --
    a run starting or finishing -- schedules one at once, so the browser hears that a run
    finished as soon as before. A drain hands every queued event to Streamlit's own handler,
    so each message is still built and sent by Streamlit, in the same order; an exception in
    one event is logged and the rest still run, as separate loop callbacks did.
    """
    handle = session_class._handle_scriptrunner_event_on_event_loop

    def drain(session: Any, queue: _EventQueue) -> None:
        with queue.lock:
            batch, queue.events = queue.events, []
            queue.pending = queue.now = False
        for args, kwargs in batch:
            try:
                handle(session, *args, **kwargs)
            except Exception:
                _LOGGER.exception("script-runner event failed")

    def drain_soon(session: Any, queue: _EventQueue) -> None:
        session._event_loop.call_later(BATCH_SECONDS, drain, session, queue)

    def on_scriptrunner_event(self: Any, *args: Any, **kwargs: Any) -> None:
        queue = _queue_of(self)
        element = _is_element_message(args, kwargs)
        with queue.lock:
            queue.events.append((args, kwargs))
            if queue.now or (element and queue.pending):
                return  # the drain already scheduled takes this event too
            queue.pending = True
            queue.now = not element
        self._call_soon_on_event_loop(functools.partial(drain_soon if element else drain,
                                                        self, queue))

    session_class._on_scriptrunner_event = on_scriptrunner_event


# ---------------------------------------------------------------- installing the patches


def _expect(function: Any, name: str, params: Sequence[str]) -> None:
    if not callable(function):
        raise StreamlitChanged(f"streamlit has no {name} any more: review seloste/web/serve.py")
    found = list(inspect.signature(function).parameters)
    if found[: len(params)] != list(params):
        raise StreamlitChanged(f"streamlit's {name}{tuple(found)} is not {name}{tuple(params)}:"
                               " review seloste/web/serve.py")


_INSTALLED: list[str] = []


def install() -> None:
    """Patch the installed Streamlit's server (idempotent); `StreamlitChanged` if it moved on."""
    if _INSTALLED:
        return
    from streamlit.runtime import app_session
    from streamlit.web.server import server as st_server
    from streamlit.web.server.starlette import starlette_server

    bind = getattr(starlette_server, "_bind_socket", None)
    create_app = getattr(starlette_server, "create_starlette_app", None)
    new_session = getattr(app_session.AppSession, "_create_new_session_message", None)
    _expect(bind, "starlette_server._bind_socket", ("address", "port", "backlog"))
    _expect(create_app, "starlette_server.create_starlette_app", ("runtime",))
    _expect(new_session, "AppSession._create_new_session_message", ("self",))
    session = app_session.AppSession
    _expect(getattr(session, "_on_scriptrunner_event", None),
            "AppSession._on_scriptrunner_event", RUNNER_EVENT_PARAMS)
    _expect(getattr(session, "_handle_scriptrunner_event_on_event_loop", None),
            "AppSession._handle_scriptrunner_event_on_event_loop", RUNNER_EVENT_PARAMS)
    _expect(getattr(session, "_call_soon_on_event_loop", None),
            "AppSession._call_soon_on_event_loop", ("self", "callback"))
    if "UvicornServer" not in inspect.getsource(st_server):
        raise StreamlitChanged("streamlit's Server no longer runs UvicornServer:"
                               " review seloste/web/serve.py")
    assert bind is not None and create_app is not None and new_session is not None

    def bind_socket(address: str, port: int, backlog: int) -> socket.socket:
        return with_tcp_protocol(bind(address, port, backlog))

    def create_starlette_app(runtime: Any) -> Any:
        app = create_app(runtime)
        app.add_middleware(SecurityHeaders)
        return app

    def create_new_session_message(self: Any, *args: Any, **kwargs: Any) -> Any:
        msg = new_session(self, *args, **kwargs)
        info = msg.new_session.initialize.environment_info
        info.streamlit_version = HIDDEN_VERSION
        info.python_version = HIDDEN_VERSION
        return msg

    starlette_server._bind_socket = bind_socket
    starlette_server.create_starlette_app = create_starlette_app  # type: ignore[attr-defined]
    app_session.AppSession._create_new_session_message = (  # type: ignore[method-assign]
        create_new_session_message)
    coalesce_runner_events(session)
    _INSTALLED.append("installed")


#: Set by the tests and the bench for the servers they start, to their own process id: the
#: server stops itself once that process is no longer its parent. Test servers run in sessions
#: of their own, so an interrupted pytest run used to leave them serving (stop 29: three
#: orphans skewed a bench run). Any other value watches whatever parent the server started with.
#: Not ``SELOSTE_``: those are the app's settings (README, Configuration), and this is only a
#: hook of the launcher for the processes that start it.
EXIT_WITH_PARENT: Final = "SERVE_EXIT_WITH_PARENT"


def exit_with_parent(value: str = "", interval: float = 0.5,
                     grace: float = 10.0) -> threading.Thread:
    """Watch the parent process; when it is gone (this process was handed to another parent),
    stop the server as ``kill`` would (SIGTERM, Streamlit's own shutdown), and exit outright if
    that has not ended it within ``grace`` seconds. ``value``, a process id, names the parent
    to expect: one that died before the watch began is noticed too."""
    parent = int(value) if value.isdigit() and int(value) > 1 else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        _LOGGER.warning("the process that started this server (pid %d) is gone: stopping", parent)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(grace)
        os._exit(1)

    thread = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    thread.start()
    return thread


def command(*args: str, python: str | None = None) -> list[str]:
    """The command line that starts a server: ``command("app.py", "--server.port", "0")``.

    For tests, the bench and service units: ``[python, "-m", "seloste.web.serve", *args]``.
    """
    return [python or sys.executable, "-m", "seloste.web.serve", *args]


def main(argv: Sequence[str] | None = None) -> int:
    """``streamlit run`` with the patches installed; returns its exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        args.insert(0, str(DEFAULT_SCRIPT))
    install()
    if os.environ.get(EXIT_WITH_PARENT):
        exit_with_parent(os.environ[EXIT_WITH_PARENT])
    if Path(args[0]).resolve() == DEFAULT_SCRIPT:
        # The wizard: purge unused drafts now, before the first visitor, and then hourly.
        from seloste.web import autosave, memory

        autosave.start_purging()
        # Streamlit's collection after every run is off (.streamlit/config.toml): give the
        # garbage of many runs, and the heap it freed, back in the background instead.
        memory.start_collecting()
    from streamlit.web import cli

    try:
        # Click's standalone mode: a bad option prints streamlit's own usage line and exits 2.
        cli.main(["run", *args], prog_name="streamlit")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
