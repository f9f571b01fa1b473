"""Untrusted files are read in a worker process that may die, so that the server never does.

The bounds in `seloste.extract` and `seloste.draft_file` refuse what is known to be too big
before it expands. This is the second wall, for what finds a way past them: reading and linting
an uploaded or pasted notice, and parsing an uploaded draft, run in a child process with

- an address-space limit (``RLIMIT_AS``): `WORKER_MEMORY_BYTES` above what the worker holds
  when it starts, so a file that expands in memory gets a MemoryError (or is killed) in the
  worker, never the OOM killer in the server;
- a CPU-time limit (``RLIMIT_CPU``, `WORKER_CPU_SECONDS`): a pattern or a parser that runs
  away is stopped by the kernel (SIGXCPU, then SIGKILL at the hard limit);
- a wall-clock limit in the parent (`WORKER_WALL_SECONDS`), for a worker that waits instead of
  computing (a busy machine, a stuck pipe): the parent kills it.

Whatever the way a worker fails, the caller gets `WorkerFailed` and tells the user that the file
could not be read in time; the server and every other session carry on. A Streamlit session
waits for its own worker on its own script thread, so other sessions are not held up.

In the server, workers come from a "forkserver": a clean process started once (not a fork of the
multi-threaded server) that has already imported the modules the jobs need
(`seloste.worker_preload`), so each job starts in milliseconds from a fork of it instead of
re-importing pydantic, lxml and the catalogue. A single-threaded caller (the CLI) simply forks.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import resource
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "WORKER_CPU_SECONDS",
    "WORKER_MEMORY_BYTES",
    "WORKER_WALL_SECONDS",
    "WorkerFailed",
    "prestart",
    "run_isolated",
]

T = TypeVar("T")

#: Address space a worker may add to what it holds at start (its imports, ~0.3-0.5 GB virtual).
WORKER_MEMORY_BYTES = 768 * 1024 * 1024
#: CPU seconds a worker may use: reading and linting the largest file within the bounds takes
#: a few seconds on a slow 2-core machine.
WORKER_CPU_SECONDS = 20
#: Seconds the caller waits for a worker in all (CPU time plus waiting for a busy machine).
WORKER_WALL_SECONDS = 60.0
#: What the forkserver imports once, so that a job's fork starts warm. ``__main__`` first (as
#: multiprocessing's own default): a child whose main module is not already loaded would re-run
#: it (for the server, the ``streamlit`` launcher script; for the CLI, ``seloste``'s).
_PRELOAD = ["__main__", "seloste.worker_preload", "seloste.isolation"]

_lock = threading.Lock()
_context: Any = None
_prestarted = False


class WorkerFailed(RuntimeError):
    """The worker did not return a result: ``reason`` is "timeout", "memory" or "crashed"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"worker {reason}" + (f": {detail}" if detail else ""))
        self.reason = reason


def _ctx() -> Any:
    """A plain fork where this process has one thread (the CLI: a fork is cheap and safe and
    already warm), else the forkserver (the server has many threads, which a fork must not
    copy)."""
    global _context
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
            _context = ctx
        return _context


def _vm_size() -> int:
    """This process's virtual size now (bytes), from /proc; 0 where there is no /proc."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit(memory: int, cpu: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    resource.setrlimit(resource.RLIMIT_AS, (_vm_size() + memory, _vm_size() + memory))


def _child(conn: multiprocessing.connection.Connection, func: Callable[..., Any],
           args: tuple[Any, ...], memory: int, cpu: int) -> None:
    """Run in the worker: limit itself, run the job, send back ("ok", result) or the error."""
    try:
        _limit(memory, cpu)
        result = func(*args)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("memory", ""))
    except Exception as exc:  # the job's own errors (FileProblem ...) go back to the caller
        try:
            conn.send(("raise", exc))
        except Exception:  # an exception that cannot be pickled
            conn.send(("crashed", traceback.format_exc(limit=5)))
    finally:
        conn.close()


def prestart() -> None:
    """Start the forkserver in the background, so that the first check does not wait for it."""
    global _prestarted
    if _prestarted or threading.active_count() == 1:
        return
    import multiprocessing.forkserver

    _prestarted = True
    _ctx()
    threading.Thread(target=multiprocessing.forkserver.ensure_running, daemon=True,
                     name="seloste-forkserver").start()


def run_isolated(func: Callable[..., T], *args: Any, memory: int = WORKER_MEMORY_BYTES,
                 cpu_seconds: int = WORKER_CPU_SECONDS,
                 wall_seconds: float = WORKER_WALL_SECONDS) -> T:
    """``func(*args)`` in a limited worker process; its exceptions are raised here.

    ``func`` must be a module-level function and ``args`` picklable. `WorkerFailed` when the
    worker ran out of memory or time, or died.
    """
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, func, args, memory, cpu_seconds),
                          daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(wall_seconds):
            raise WorkerFailed("timeout", f"no answer within {wall_seconds:.0f} s")
        try:
            status, value = receive.recv()
        except (EOFError, OSError) as exc:  # killed: SIGXCPU/SIGKILL (CPU) or the OOM killer
            process.join(5)
            code = process.exitcode
            reason = "timeout" if code in (-9, -24) else "crashed"
            raise WorkerFailed(reason, f"exit code {code}") from exc
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "ok":
        return value  # type: ignore[no-any-return]
    if status == "raise":
        raise value
    raise WorkerFailed(status, str(value))
