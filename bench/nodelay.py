"""`python -m bench.nodelay run APP [streamlit options]`: `streamlit run` without the 40 ms stall.

Streamlit 1.67's Starlette server pre-binds its listening socket with
``socket.socket(family=family)``, so the socket object's ``proto`` is 0; asyncio sets
``TCP_NODELAY`` only on accepted sockets whose ``proto`` is ``IPPROTO_TCP`` and the accepted
socket inherits ``proto`` from the listening one. Without ``TCP_NODELAY`` Nagle's algorithm holds
the second websocket frame of every rerun until the browser's delayed ACK (~40 ms on Linux).

This wraps Streamlit's ``_bind_socket`` so the bound socket is re-wrapped (same file
descriptor, same options) as an ``IPPROTO_TCP`` socket object; asyncio then sets
``TCP_NODELAY`` on every accepted connection. It is the bench's stand-in for the project's
launcher (``seloste.web.serve``), which bench/servers.py uses instead once it exists. If
Streamlit renames or drops ``_bind_socket`` this fails loudly rather than measuring a stock
server under the fixed server's name.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import Any


def patch() -> None:
    from streamlit.web.server.starlette import starlette_server as server

    original: Callable[..., socket.socket] | None = getattr(server, "_bind_socket", None)
    if original is None:
        raise SystemExit("bench.nodelay: streamlit's starlette_server._bind_socket is gone; "
                         "the stall fix needs revisiting for this Streamlit version")

    def bind_tcp(*args: Any, **kwargs: Any) -> socket.socket:
        sock = original(*args, **kwargs)
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto:
            return sock
        timeout = sock.gettimeout()
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.settimeout(timeout)
        return tcp

    server._bind_socket = bind_tcp


def main() -> None:
    patch()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
