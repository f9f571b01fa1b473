"""What the browser tests share: the server, a watched browser tab, the figures for the summary.

A module of its own (not conftest.py) so that tests can import it by a unique name: pytest
imports every ``conftest.py`` as ``conftest``, so ``from conftest import ...`` would depend on
which one was imported last.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docx import Document
from stapp import RUN_COUNTER, App

from seloste.web.serve import command as serve_command

ROOT = Path(__file__).resolve().parents[2]
#: Seconds a server may take to answer /health (a cold start on a busy 2-core machine).
HEALTH_TIMEOUT = 90.0

#: axe-core results per page: name -> {impact: count}, printed in the run's summary.
AXE_COUNTS: dict[str, dict[str, int]] = {}
#: Requests the app made to other hosts (blocked): url -> count, printed in the summary.
FOREIGN_REQUESTS: dict[str, int] = {}


# ---------------------------------------------------------------- the server


class Server:
    """A running server (``python -m seloste.web.serve app.py``) and its log."""

    def __init__(self, url: str, log: Path, proc: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.log = log
        self.proc = proc

    def log_size(self) -> int:
        return self.log.stat().st_size

    def log_since(self, offset: int) -> str:
        with self.log.open("rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", errors="replace")

    def assert_clean_since(self, offset: int) -> None:
        """The server logged no traceback since ``offset`` (an error the page may not show)."""
        logged = self.log_since(offset)
        assert "Traceback" not in logged, f"the server logged an error:\n{logged[-6000:]}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n"
                               + log.read_text(errors="replace")[-4000:])
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit not healthy after {HEALTH_TIMEOUT:.0f} s:\n"
                       + log.read_text(errors="replace")[-4000:])


def stop(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Terminate ``proc``; kill it if it has not gone after ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


@contextmanager
def streamlit_server(launcher: list[str], *, env: dict[str, str], log: Path,
                     cwd: Path | str = ROOT) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``launcher`` (a command that runs the app, e.g. ``streamlit run app.py``) on a free
    loopback port, headless, its output in ``log``; (url, process) once it answers /health.

    The one way the browser tests start a server, for the wizard as deployed and for the
    plain-Streamlit control alike, so both wait and stop the same way.
    """
    port = free_port()
    cmd = [*launcher, "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url, proc
    finally:
        stop(proc)


@contextmanager
def run_server() -> Iterator[Server]:
    """The app (started by `seloste.web.serve`, as in production) on a free port.

    Drafts are kept in a throwaway SQLite file.

    ``SELOSTE_E2E_APP_DIR`` runs another checkout of the app (a copy with a fix to try); the
    tests still import this checkout's ``seloste``. ``SELOSTE_E2E_KEEP=1`` keeps the server's
    folder (log, database) for a look afterwards.
    """
    work = Path(tempfile.mkdtemp(prefix="seloste-e2e-"))
    data = work / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("SELOSTE_DATABASE_URL", "SELOSTE_SERVER_STORAGE")}
    env.update(SELOSTE_DATA_DIR=str(data), PYTHONUNBUFFERED="1",
               SERVE_EXIT_WITH_PARENT=str(os.getpid()))  # no orphan if the run is cut short
    log = work / "streamlit.log"
    cwd = os.environ.get("SELOSTE_E2E_APP_DIR") or ROOT
    try:
        with streamlit_server(serve_command("app.py"), env=env, log=log, cwd=cwd) as (url, proc):
            yield Server(url, log, proc)
    finally:
        if os.environ.get("SELOSTE_E2E_KEEP"):
            print(f"\ne2e server folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- a watched tab


class Watch:
    """What went wrong in a tab that the test itself would not see."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        #: Content-Security-Policy violations Chromium reported (the launcher's policy,
        #: `seloste.web.serve.CONTENT_SECURITY_POLICY`, must let the whole wizard work).
        self.csp_violations: list[str] = []

    def problems(self) -> list[str]:
        return ([f"dialog: {d}" for d in self.dialogs]
                + [f"page error: {e}" for e in self.page_errors]
                + [f"CSP violation: {v}" for v in self.csp_violations])


def new_tab(browser: Any, server_url: str, *, locale: str = "fi-FI") -> tuple[Any, App]:
    """A browser context (so a Streamlit session of its own) with one watched page.

    Any dialog is recorded (and dismissed, or the page would hang), and so is any uncaught
    page error and any Content-Security-Policy violation; requests to other hosts are blocked
    and counted for the summary.
    """
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url)
    context.add_init_script(RUN_COUNTER)
    context.set_default_timeout(30_000)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith((server_url, "data:", "blob:", "about:")):
            r.continue_()
        else:
            FOREIGN_REQUESTS[url] = FOREIGN_REQUESTS.get(url, 0) + 1
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    watch = Watch()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message!r} on {page.url}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: watch.page_errors.append(f"{exc} on {page.url}"))

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            watch.csp_violations.append(f"{message.text} on {page.url}")

    page.on("console", on_console)
    return context, App(page, server_url, watch)


@contextmanager
def open_tab(browser: Any, server: Server, name: str = "tab",
             failed: Any = lambda: False) -> Iterator[App]:
    """A fresh tab for a test; afterwards: no dialog, no page error, no server traceback.

    ``failed()`` says whether the test failed: then a screenshot is kept for a look.
    """
    offset = server.log_size()
    context, app = new_tab(browser, server.url)
    try:
        yield app
    finally:
        if failed():
            shot = Path(tempfile.gettempdir()) / f"e2e-{name}.png"
            try:
                app.page.screenshot(path=str(shot), full_page=True)
                print(f"\nscreenshot of the failing tab: {shot} (at {app.page.url})")
            except Exception:  # best effort: the test has failed anyway
                pass
        context.close()
    assert app.watch is not None
    problems = app.watch.problems()
    assert not problems, "\n".join(problems)
    server.assert_clean_since(offset)


def download(app: App, key: str) -> tuple[str, bytes]:
    """Click a download button; the file's suggested name and its bytes."""
    with app.page.expect_download() as info:
        app.el(key).locator("button").click()
    dl = info.value
    path = dl.path()
    assert path is not None, f"{key}: the download failed: {dl.failure()}"
    return dl.suggested_filename, Path(path).read_bytes()


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, headers and footers included."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)
