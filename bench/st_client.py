"""A Streamlit client that speaks the browser's own websocket protocol.

It does what the browser's JavaScript does on the wire, with the protobuf classes that ship
in the `streamlit` package: open `/_stcore/stream` with the `streamlit` subprotocol, send
`BackMsg.rerun_script` with a `ClientState` (page, query string, widget states, locale), read
`ForwardMsg`s until `script_finished`. Pages come from the server's own `navigation` message,
widgets from the `delta` messages of the last run, so nothing about the wizard is hard-coded
here except how to recognise the "load the keinuma example" button.

What it does not do: lay out or draw anything, run custom components' JavaScript, or report
the initial value of every widget on mount as the browser does (it sends only the values it
changed; the server keeps the others from session state, as it does for a browser).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus
#: Statuses that end a run as far as the user is concerned (a rerun started by the script
#: itself, FINISHED_EARLY_FOR_RERUN, is followed by another run).
_DONE = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR,
         FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
#: Elements that are widgets (have an id the client reports state for).
TEXT_WIDGETS = ("text_input", "text_area")


class ClientError(RuntimeError):
    pass


@dataclass(frozen=True)
class Page:
    url_pathname: str
    page_script_hash: str
    page_name: str
    is_default: bool


@dataclass
class Widget:
    id: str
    kind: str
    proto: Any
    #: The `st.fragment` the widget was drawn in ("" for none).
    fragment_id: str = ""

    @property
    def disabled(self) -> bool:
        return bool(getattr(self.proto, "disabled", False))

    def text_value(self) -> str:
        """The text the widget shows: the value set from session state, else its default."""
        p = self.proto
        if _has(p, "value") or getattr(p, "set_value", False):
            return str(p.value)
        return str(getattr(p, "default", "") or "")


def _has(proto: Any, name: str) -> bool:
    try:
        return bool(proto.HasField(name))
    except ValueError:
        return False


@dataclass
class RunResult:
    seconds: float
    status: int
    errors: list[str] = field(default_factory=list)
    #: Elements and blocks the server sent in this run (a fragment run sends only its own).
    deltas: int = 0
    #: Every run's status, in order: a fragment run that asks for a full rerun ends
    #: FINISHED_EARLY_FOR_RERUN and is followed by the full run.
    statuses: list[int] = field(default_factory=list)


class StreamlitClient:
    def __init__(self, port: int, *, locale: str = "fi-FI", host: str = "127.0.0.1") -> None:
        self.port = port
        self.host = host
        self.locale = locale
        self.ws: Any = None
        self.pages: list[Page] = []
        self.page_hash = ""
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, WidgetState] = {}
        self._run_widgets: dict[str, Widget] = {}
        self._run_errors: list[str] = []
        self._run_deltas = 0
        self._run_statuses: list[int] = []
        self._finished: asyncio.Future[int] | None = None
        self._reader: asyncio.Task[None] | None = None
        self.closed_reason: str | None = None

    # ------------------------------------------------------------ connection

    async def connect(self, timeout: float = 30.0) -> None:
        self.ws = await websockets.connect(
            f"ws://{self.host}:{self.port}/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            max_size=None, ping_interval=None, open_timeout=timeout, close_timeout=2,
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def _read(self) -> None:
        try:
            async for data in self.ws:
                if isinstance(data, bytes):
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    self._handle(msg)
        except websockets.ConnectionClosed as exc:
            self.closed_reason = f"connection closed: {exc}"
        except Exception as exc:  # a parse error must fail the waiting run, not vanish
            self.closed_reason = f"{type(exc).__name__}: {exc}"
        else:
            self.closed_reason = "connection closed"
        if self._finished is not None and not self._finished.done():
            self._finished.set_exception(ClientError(self.closed_reason))

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            # Sent as each script run starts; a run that the script restarted starts afresh.
            self._run_widgets = {}
            if msg.new_session.page_script_hash:
                self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            nav = msg.navigation
            self.pages = [
                Page(p.url_pathname, p.page_script_hash, p.page_name, p.is_default)
                for p in nav.app_pages if not p.external_url
            ]
            self.page_hash = nav.page_script_hash
        elif kind == "delta":
            delta = msg.delta
            self._run_deltas += 1
            if delta.WhichOneof("type") == "new_element":
                self._element(delta.new_element, delta.fragment_id)
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            self._run_errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event":
            event = msg.session_event
            if event.WhichOneof("type") == "script_compilation_exception":
                exc = event.script_compilation_exception
                self._run_errors.append(f"compile error: {exc.type}: {exc.message}")
        elif kind == "script_finished":
            status = msg.script_finished
            self._run_statuses.append(int(status))
            if status in _DONE and self._finished is not None and not self._finished.done():
                self._finished.set_result(status)

    def _element(self, element: Any, fragment_id: str = "") -> None:
        kind = element.WhichOneof("type")
        if kind is None:
            return
        if kind == "exception":
            exc = element.exception
            self._run_errors.append(f"{exc.type}: {exc.message}")
            return
        proto = getattr(element, kind)
        widget_id = getattr(proto, "id", "") if hasattr(proto, "DESCRIPTOR") and any(
            f.name == "id" for f in proto.DESCRIPTOR.fields) else ""
        if widget_id:
            self._run_widgets[widget_id] = Widget(widget_id, kind, proto, fragment_id)

    # ------------------------------------------------------------ runs

    def _client_state(self, page_hash: str, page_name: str) -> ClientState:
        state = ClientState()
        state.query_string = self.query_string
        state.page_script_hash = page_hash
        state.page_name = page_name
        info = state.context_info
        info.timezone = "Europe/Helsinki"
        info.timezone_offset = -120
        info.locale = self.locale
        info.url = f"http://{self.host}:{self.port}/{page_name}"
        return state

    async def rerun(
        self, *, page_hash: str | None = None, page_name: str = "",
        changes: list[WidgetState] | None = None, timeout: float = 120.0,
        fragment_id: str = "",
    ) -> RunResult:
        """Send one rerun and wait for its `script_finished`; time from send to finish.

        ``changes`` are widget values the user just set (kept, as the browser keeps them, and
        sent with every later run while the widget exists) or triggers (sent once).
        ``fragment_id``: rerun only that `st.fragment`, as the browser does for a widget drawn
        in one (`Widget.fragment_id`).
        """
        if self.ws is None:
            raise ClientError("not connected")
        if self.closed_reason:
            raise ClientError(self.closed_reason)
        loop = asyncio.get_running_loop()
        self._finished = loop.create_future()
        self._run_widgets = {}
        self._run_errors = []
        self._run_deltas = 0
        self._run_statuses = []
        triggers = []
        for change in changes or []:
            if change.WhichOneof("value") in ("trigger_value", "string_trigger_value",
                                               "json_trigger_value"):
                triggers.append(change)
            else:
                self.values[change.id] = change
        state = self._client_state(self.page_hash if page_hash is None else page_hash, page_name)
        state.widget_states.widgets.extend([*self.values.values(), *triggers])
        state.fragment_id = fragment_id
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        try:
            status = await asyncio.wait_for(self._finished, timeout)
        except TimeoutError as exc:
            raise ClientError(f"no script_finished within {timeout:.0f} s") from exc
        seconds = time.perf_counter() - start
        if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            # Only the fragment was drawn again: the rest of the page stays as it was.
            self.widgets = {**{k: w for k, w in self.widgets.items()
                               if w.fragment_id != fragment_id}, **self._run_widgets}
        else:
            self.widgets = self._run_widgets
        # The browser forgets the state of widgets that the last run did not draw.
        self.values = {k: v for k, v in self.values.items() if k in self.widgets}
        errors = list(self._run_errors)
        if status == FINISHED.FINISHED_WITH_COMPILE_ERROR and not errors:
            errors.append("script finished with a compile error")
        return RunResult(seconds, int(status), errors, self._run_deltas,
                         list(self._run_statuses))

    # ------------------------------------------------------------ helpers for users

    def find_button(self, *suffixes: str) -> Widget | None:
        """The first button whose key (the end of its id) is one of ``suffixes``, or contains
        the first suffix when none matches exactly."""
        buttons = [w for w in self.widgets.values() if w.kind == "button"]
        for suffix in suffixes:
            for w in buttons:
                if w.id.endswith("-" + suffix) or w.id == suffix:
                    return w
        return next((w for w in buttons if suffixes and suffixes[0] in w.id), None)

    def text_widgets(self) -> list[Widget]:
        return [w for w in self.widgets.values() if w.kind in TEXT_WIDGETS and not w.disabled]

    @staticmethod
    def trigger(widget: Widget) -> WidgetState:
        state = WidgetState(id=widget.id)
        state.trigger_value = True
        return state

    @staticmethod
    def text(widget: Widget, value: str) -> WidgetState:
        state = WidgetState(id=widget.id)
        state.string_value = value
        return state

    def page_by_path(self, url_pathname: str) -> Page | None:
        return next((p for p in self.pages if p.url_pathname == url_pathname), None)
