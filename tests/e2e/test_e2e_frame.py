"""Another website frames the wizard: the frame does not render, and no draft link reaches it.

Issue #20: Streamlit's frontend posts the page's query string -- ``?draft=<token>`` once the
user has answered -- to its parent window with target origin ``"*"``. A page on another origin
(here: a second loopback port) frames the wizard and counts every message whose text carries
``draft=``.

* Against the wizard as deployed (`seloste.web.serve`: ``frame-ancestors 'none'``,
  ``X-Frame-Options: DENY``) the frame never draws the app and the parent receives 0 tokens.
* The control: the same page framing plain ``streamlit run app.py`` (today's server) draws the
  app; one answer typed inside the frame hands the parent the draft token. So the counting
  page can see a leak when there is one.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Server, streamlit_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(240)]

FRAMER = """<!doctype html><html><head><title>framer</title></head><body>
<iframe id="victim" src="{target}" width="1300" height="900" title="victim"></iframe>
<script>
window.received = [];
window.addEventListener("message", (event) => {{
  let text;
  try {{ text = JSON.stringify(event.data); }} catch (e) {{ text = String(event.data); }}
  window.received.push(text);
}});
</script></body></html>"""


@contextmanager
def framing_site(target: str) -> Iterator[str]:
    """A page on another origin (another port) whose only content is an iframe of ``target``."""
    body = FRAMER.format(target=target).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def stock_server(tmp_path: Path) -> Iterator[str]:
    """Plain ``streamlit run app.py``: what every deployment ran before the launcher."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELOSTE_")}
    env.update(SELOSTE_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    streamlit = str(Path(sys.executable).with_name("streamlit"))
    with streamlit_server([streamlit, "run", "app.py"], env=env,
                          log=tmp_path / "stock.log") as (url, _proc):
        yield url


def tokens(received: list[str]) -> set[str]:
    return set(re.findall(r"draft=([A-Za-z0-9_-]{20,})", " ".join(received)))


def frame_and_answer(browser: Any, app_url: str) -> tuple[bool, list[str], list[str]]:
    """Open the framing page; answer inside the frame if it drew. (drew, received, blocked)."""
    context = browser.new_context(locale="fi-FI", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    blocked: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: blocked.append(m.text)
                if "frame" in m.text.lower() or "ancestor" in m.text.lower() else None)
        with framing_site(app_url) as framer:
            page.goto(framer)
            frame = page.frame_locator("#victim")
            drew = True
            try:
                frame.locator('[data-testid="stApp"]').wait_for(timeout=20_000)
            except Exception:
                drew = False
            if drew:
                frame.get_by_role("button", name=re.compile("Seuraava")).click()
                field = frame.locator(".st-key-f-controller-name input")
                field.fill("Kehysvuoto Oy")
                field.press("Enter")
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and not tokens(
                        page.evaluate("window.received")):
                    time.sleep(0.2)
            else:
                time.sleep(2)  # any late message would still be counted
            received: list[str] = page.evaluate("window.received")
        return drew, received, blocked
    finally:
        context.close()


def test_a_framing_site_gets_no_frame_and_no_draft_token(e2e_browser: Any,
                                                          e2e_server: Server) -> None:
    drew, received, blocked = frame_and_answer(e2e_browser, e2e_server.url + "/")
    print(f"\nframed wizard (seloste.web.serve): drew={drew}, messages to the parent: "
          f"{len(received)}, tokens received by the parent: {len(tokens(received))}")
    assert not drew, "the wizard rendered inside another site's frame"
    assert tokens(received) == set()
    assert not any("draft" in text for text in received)
    assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in blocked), \
        blocked


def test_control_stock_streamlit_hands_the_token_to_the_framing_site(
        e2e_browser: Any, tmp_path: Path) -> None:
    with stock_server(tmp_path) as url:
        drew, received, _ = frame_and_answer(e2e_browser, url + "/")
    found = tokens(received)
    print(f"\nframed wizard (plain streamlit run): drew={drew}, messages to the parent: "
          f"{len(received)}, tokens received by the parent: {len(found)}")
    assert drew
    assert len(found) == 1, received[-5:]
