"""The deployment of deploy/ for real: Chromium -> HAProxy -> two wizard processes -> PostgreSQL.

deploy/haproxy.cfg (unchanged; addresses in the environment) balances two processes started as
in production, sharing a cookie secret and one PostgreSQL (deploy/cluster.py, as `make cluster`
runs it). Through the balancer a draft file is uploaded, the draft exported (a download) and a
field answered; the balancer's stickiness cookie says which process serves the tab. That
process is killed with SIGKILL. The open tab reconnects by itself, through the balancer, to the
other process and reruns the page there by itself (`autosave.rerun_after_reconnect`), so the
new process opens the draft link in the tab's URL: every answer is back, a sidebar step keeps
the link, the next answer typed into the same page is saved through the new process, and a
reload resumes the same draft.

Found by an earlier version of this test: Streamlit's frontend did not rerun a page after it
reconnected to a process that did not know its session, so (a) the first answer typed into the
stale page was replaced by the stored draft when the new process opened the link, and (b) a
click on a sidebar step dropped ``?draft=`` from the URL (an empty wizard). The rerun fixes (b)
and shrinks (a) to what is typed while the tab is still disconnected (not tested here). The
balancer's security headers are checked on the page the browser got, and its policy enforced
in a test of its own.

Needs Debian's haproxy and chromium and PostgreSQL: ``SELOSTE_TEST_POSTGRES_URL``
(``source .ci/postgres.sh``), or else this test starts that script's throwaway server itself.
Any of them missing is a loud skip, or a failure with ``SELOSTE_REQUIRE_CLIENTS=1`` (CI).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import clients
import pytest

from seloste.draft_file import dump_draft
from seloste.drafts import DraftStore
from seloste.examples import load_example
from seloste.web.autosave import Saved, parse_envelope

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "tests" / "e2e"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from deploy.cluster import Cluster, PostgresMissing, haproxy, throwaway_postgres  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]
clients.require("playwright", "chromium")

from e2e_support import Watch  # noqa: E402
from stapp import RUN_COUNTER, App  # noqa: E402

UPLOADED_NAME = "Vexlori Kantamo Oy"
ANSWER_BEFORE = "Vexlori Kantamo Oy (ennen)"
ANSWER_AFTER = "Vexlori Kantamo Oy (jälkeen)"
#: The flash of a draft opened from its link (ui/fi.yaml drafts.resumed).
RESUMED = "Luonnos avattu."
#: Generous: a slow 2-core machine, seven other jobs, two Streamlit processes and a browser.
WAIT_S = 120.0
CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'


def _missing(message: str) -> None:
    if clients.required():
        pytest.fail(message + " (SELOSTE_REQUIRE_CLIENTS is set)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """The run's PostgreSQL, or a throwaway one of .ci/postgres.sh for this module."""
    url = os.environ.get("SELOSTE_TEST_POSTGRES_URL", "").strip()
    if url:
        yield url
        return
    try:
        with throwaway_postgres() as started:
            yield started
    except PostgresMissing as exc:
        _missing(f"real client missing: PostgreSQL ({exc})")


@pytest.fixture(scope="module")
def cluster(database_url: str) -> Iterator[Cluster]:
    if haproxy() is None:
        _missing("real client missing: haproxy not found: apt-get install -y haproxy")
    with Cluster(processes=2, database_url=database_url) as running:
        yield running


def token_in(url: str) -> str:
    values = parse_qs(urlsplit(url).query).get("draft", [])
    assert len(values) == 1, url
    return values[0]


def serving(context: Any) -> str:
    """The balancer's stickiness cookie: the name (app1/app2) of the process serving the tab."""
    names = [c["value"] for c in context.cookies() if c["name"] == "SELOSTE_SERVER"]
    assert len(names) == 1, context.cookies()
    return str(names[0])


def saved_name(database_url: str, token: str, name: str, timeout: float = WAIT_S) -> Saved:
    """Wait until the store (as any process reads it) holds the draft with that name."""
    with DraftStore(database_url) as store:
        deadline = time.monotonic() + timeout
        while True:
            found = store.load(token)
            saved = parse_envelope(found.json) if found is not None else None
            if saved is not None and saved.notice.controller.name == name:
                return saved
            if time.monotonic() > deadline:
                pytest.fail(f"draft {token[:6]}... never saved with name {name!r}: {saved}")
            time.sleep(0.2)


def tab(browser: Any, url: str, *, bypass_csp: bool) -> tuple[Any, App]:
    """A browser context (a session of its own) on the balancer, watched for page errors."""
    context = browser.new_context(locale="fi-FI", viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True, bypass_csp=bypass_csp)
    context.add_init_script(RUN_COUNTER)
    context.set_default_timeout(WAIT_S * 1000)
    page = context.new_page()
    watch = Watch()
    page.on("pageerror", lambda exc: watch.page_errors.append(f"{exc} on {page.url}"))
    page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    return context, App(page, url, watch)


def test_the_app_runs_under_the_balancers_csp(shared_chromium: Any, cluster: Cluster) -> None:
    """The policy the balancer sets is enforced here (the failover test below lets its
    harness bypass it: Playwright's waiting helpers evaluate strings, which the policy
    forbids). The wizard itself must run under it with no violation and no page error."""
    context, app = tab(shared_chromium, cluster.url, bypass_csp=False)
    violations: list[str] = []
    app.page.on("console", lambda msg: violations.append(msg.text)
                if "Content Security Policy" in msg.text else None)
    try:
        page = app.page
        page.goto(cluster.url)
        page.wait_for_selector(CONNECTED)
        page.locator('[data-testid="stMain"] h1').first.wait_for()
        page.locator(".st-key-start-example-keinuma button").click()
        page.get_by_text("keinuma", exact=False).first.wait_for()
        # The review step in the same session (its sidebar link): downloads, preview, findings.
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').nth(7).click()
        page.locator(".st-key-dl-docx button").wait_for()
        page.wait_for_timeout(2000)  # let late scripts, fonts and styles load
    finally:
        context.close()
    assert not violations, "\n".join(violations)
    assert app.watch is not None and not app.watch.problems(), app.watch.problems()


def test_failover_through_the_balancer_loses_nothing(shared_chromium: Any, cluster: Cluster,
                                                      tmp_path: Path) -> None:
    context, app = tab(shared_chromium, cluster.url, bypass_csp=True)
    try:
        page = app.page
        response = page.goto(cluster.url)
        assert response is not None and response.ok
        # The balancer's headers on the page itself.
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        page.wait_for_selector(CONNECTED, timeout=WAIT_S * 1000)
        app.settle(timeout=WAIT_S)
        first = serving(context)

        # An upload: a draft file (keinuma, under another name) through the start page.
        notice = load_example("keinuma")
        notice = notice.model_copy(
            update={"controller": notice.controller.model_copy(update={"name": UPLOADED_NAME})})
        draft_file = tmp_path / "luonnos.json"
        draft_file.write_text(dump_draft(notice), encoding="utf-8")
        app.act(app.el("start.upload").locator('input[type="file"]').set_input_files,
                str(draft_file))
        page.wait_for_url(re.compile(r"[?&]draft="), timeout=WAIT_S * 1000)
        app.settle()
        token = token_in(page.url)
        saved_name(cluster.database_url, token, UPLOADED_NAME)

        # A download: the draft exported from the start page holds the uploaded answers.
        with page.expect_download() as info:
            app.el("draft.export").locator("button").click()
        path = info.value.path()
        assert path is not None, info.value.failure()
        exported = json.loads(Path(path).read_text(encoding="utf-8"))
        assert UPLOADED_NAME in json.dumps(exported, ensure_ascii=False)

        # An answer on the company step, saved through the first process.
        app.next()  # the start page's "Seuraava": the company step, in the same session
        app.el("f.controller.name").wait_for()
        app.type("f.controller.name", ANSWER_BEFORE)
        saved_name(cluster.database_url, token, ANSWER_BEFORE)
        assert serving(context) == first, "the balancer moved a live session"

        # The process serving this tab dies; the tab stays open.
        victim = cluster.backend(first)
        runs_before = app.runs()
        victim.kill()

        # The tab reconnects by itself, through the balancer, to the other process.
        page.wait_for_function(
            """() => document.querySelector('[data-testid="stApp"]')
                   ?.getAttribute('data-test-connection-state') !== 'CONNECTED'""",
            timeout=WAIT_S * 1000)
        page.wait_for_selector(CONNECTED, timeout=WAIT_S * 1000)
        # ... and reruns the page there by itself (autosave.rerun_after_reconnect): the
        # survivor opens the draft link from the tab's URL before the user does anything.
        page.wait_for_function("(n) => (window.__stRunsStarted || 0) > n", arg=runs_before,
                               timeout=WAIT_S * 1000)
        app.settle(quiet=2.0, timeout=WAIT_S)
        assert token_in(page.url) == token
        page.get_by_text(RESUMED).first.wait_for(timeout=WAIT_S * 1000)
        assert app.value("f.controller.name") == ANSWER_BEFORE
        # A sidebar step keeps the link (it used to drop ?draft=: an empty wizard), and the
        # survivor shows the stored answers there.
        app.sidebar_step(1)
        assert token_in(page.url) == token
        app.sidebar_step(2)
        assert token_in(page.url) == token
        assert app.value("f.controller.name") == ANSWER_BEFORE
        assert app.value("f.controller.business_id") == notice.controller.business_id
        # The next answer, typed into the page without a reload, is saved through the survivor.
        app.type("f.controller.name", ANSWER_AFTER)
        saved = saved_name(cluster.database_url, token, ANSWER_AFTER)
        assert saved.notice.registers, "the uploaded registers were lost"
        # A reload (its URL is the draft link) resumes the same draft, now on the survivor.
        app.reload()
        assert serving(context) != first, "the cookie still names the dead process"
        assert token_in(page.url) == token
        page.wait_for_function(
            """([sel, want]) => document.querySelector(sel)?.value === want""",
            arg=[".st-key-f-controller-name input", ANSWER_AFTER], timeout=WAIT_S * 1000)
        assert victim.proc is not None and victim.proc.poll() is not None
    except BaseException:
        shot = cluster.folder / "failover.png"
        app.page.screenshot(path=str(shot), full_page=True)
        print(f"\nscreenshot of the failing tab: {shot} (at {app.page.url}); "
              f"logs: {cluster.folder} (SELOSTE_CLUSTER_KEEP=1 keeps them)")
        raise
    finally:
        context.close()
    problems = app.watch.problems() if app.watch is not None else []
    assert not problems, "\n".join(problems)
