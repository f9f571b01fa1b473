"""Smoke test of the benchmark harness (issue #8): it runs and writes every figure.

No timing is asserted: figures from a quick run on a shared machine mean nothing, and `make
test` must not fail because a machine was busy. `make bench` is where the figures are read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _bench(tmp_path: Path, group: str) -> dict:
    out = tmp_path / f"{group}.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", group, "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| figure |" in proc.stdout
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("render", {f"render.{case}.{fmt}" for case in ("keinuma", "large")
                    for fmt in ("html", "page", "md", "docx")} | {"render.keinuma.pdf"}),
        ("store", {"store.create", "store.save", "store.load"}),
        ("domain", {"checks.keinuma", "checks.meunier", "lint.keinuma-2023", "lint.meunier-2019"}),
    ],
)
def test_quick_run_writes_every_figure(tmp_path: Path, group: str, expected: set[str]) -> None:
    data = _bench(tmp_path, group)
    assert data["errors"] == []
    assert data["quick"] is True and data["only"] == [group]
    for key in ("nproc", "memory_gb", "python", "streamlit"):
        assert data["machine"][key]
    figures = {f["id"]: f for f in data["figures"]}
    assert set(figures) == expected
    for figure in figures.values():
        assert figure["group"] == group
        assert figure["n"] > 0 and figure["median"] > 0 and figure["p95"] >= figure["median"]
        assert figure["baseline"]["median"] > 0
        assert figure["ratio"] is not None


def test_large_draft_has_ten_registers_and_forty_distinct_services() -> None:
    from bench.render import large_notice

    notice = large_notice()
    ids = [s.catalogue_id for r in notice.registers for s in r.services]
    assert len(notice.registers) == 10
    assert len(ids) == 40 and len(set(ids)) == 40


def test_bench_stall_fix_sets_tcp_nodelay_on_accepted_sockets() -> None:
    """The bench's stand-in launcher (bench/nodelay.py): Streamlit's own bind function, wrapped,
    gives a listening socket on which asyncio sets TCP_NODELAY for every accepted connection;
    the unwrapped one does not (which is the stall, and why the stock baseline is slower)."""
    import asyncio
    import concurrent.futures
    import socket

    from streamlit.web.server.starlette import starlette_server

    from bench import nodelay

    async def accepted_nodelay(listener: socket.socket) -> int:
        seen: list[int] = []

        async def on_client(_r: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_client, sock=listener)
        port = listener.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    def run(listener: socket.socket) -> int:
        # A thread of its own: another test (Playwright's sync API) may own this thread's loop.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, accepted_nodelay(listener)).result(timeout=60)

    original = starlette_server._bind_socket
    try:
        stock = run(original("127.0.0.1", 0, 8))
        nodelay.patch()
        fixed = run(starlette_server._bind_socket("127.0.0.1", 0, 8))
    finally:
        starlette_server._bind_socket = original
    assert stock == 0, "Streamlit sets TCP_NODELAY itself now: the stall fix can go"
    assert fixed != 0
