"""Driving the Streamlit wizard in a real browser: find widgets by key, act, wait for the rerun.

Streamlit gives every widget with a key a CSS class ``st-key-<key>`` in which each character
outside ``[a-zA-Z0-9_-]`` becomes ``-`` (so ``f.controller.name`` -> ``st-key-f-controller-name``).
The widget keys are field paths (`seloste.web.paths.widget_key`), so tests can address any answer.

A widget's value reaches the server only when it is committed (Enter or blur for a text input,
blur or Ctrl+Enter for a text area, a click for buttons, options and toggles), and every commit
starts a script run. `App.settle` waits for that run (and for the extra run of a page switch)
to finish: an init script counts the runs by watching ``data-test-script-state`` on the app root,
which a polling wait could miss when a run is shorter than the polling interval.
"""

from __future__ import annotations

import contextlib
import re
import time
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the module imports without playwright, so conftest can skip loudly
    from playwright.sync_api import Locator, Page

#: Counts the script runs that start, from before any of the page's own scripts run.
RUN_COUNTER = """
(() => {
  window.__stRunsStarted = 0;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.getAttribute('data-test-script-state') === 'running') {
        window.__stRunsStarted += 1;
      }
    }
  }).observe(document, {attributes: true, subtree: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""

IDLE = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') !== 'running'
    && !document.querySelector('[data-stale="true"]');
}
"""


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element of widget ``key`` (its frontend's rule)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


class App:
    """One browser tab on the wizard."""

    def __init__(self, page: Page, base_url: str, watch: Any = None) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        #: Records the tab's dialogs and page errors (`e2e_support.Watch`).
        self.watch = watch

    def check(self) -> None:
        """Fail at once on a dialog, a page error or an error box from Streamlit."""
        problems = self.watch.problems() if self.watch is not None else []
        assert not problems, "\n".join(problems)
        boxes = self.page.locator('[data-testid="stException"]')
        if boxes.count():
            raise AssertionError(f"Streamlit shows an exception on {self.page.url}:\n"
                                 + boxes.first.inner_text())

    # ------------------------------------------------------------ waiting

    def runs(self) -> int:
        return int(self.page.evaluate("window.__stRunsStarted || 0"))

    def settle(self, since: int | None = None, *, start_timeout: float | None = None,
               quiet: float = 0.15, timeout: float = 30.0) -> None:
        """Wait until the app is idle again after an action.

        ``since`` is `runs()` taken before the action: then wait for a run to start, up to
        ``start_timeout`` (default: the whole ``timeout``). Either way wait until no run is
        going and none started for ``quiet`` seconds (a page switch is two runs back to back).

        Why the whole timeout by default: between the click and the server's "running" the
        page still looks idle (the frontend marks nothing stale for a widget's rerun or a page
        link), so a short wait that gives up reads the old page or the new page's first
        frame. On a loaded machine a run started 1.5 s after a sidebar click, and the test read
        a seeded text input in the frame before Streamlit applied its value (an empty register
        name that was never lost). Only an action that may legitimately start no run (a value
        committed unchanged) passes a short ``start_timeout``.
        """
        page = self.page
        deadline = time.monotonic() + timeout
        if start_timeout is None:
            start_timeout = timeout
        if since is not None:
            # A timeout here means the action started no run (nothing changed).
            with contextlib.suppress(Exception):
                # A function, not an expression string: Playwright evaluates a string that
                # times out with eval, which the app's CSP (rightly) refuses.
                page.wait_for_function("(n) => (window.__stRunsStarted || 0) > n", arg=since,
                                       timeout=start_timeout * 1000)
        while True:
            remaining = max(deadline - time.monotonic(), 0.1)
            page.wait_for_function(IDLE, timeout=remaining * 1000, polling=50)
            before = self.runs()
            page.wait_for_timeout(quiet * 1000)
            if self.runs() == before and page.evaluate(IDLE):
                self.check()
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not settle")

    def act(self, action: Any, *args: Any, may_not_run: bool = False, **kwargs: Any) -> None:
        """Run ``action`` (a locator method) and wait for the run it starts.

        ``may_not_run``: the action may change nothing (so start no run); then wait for a run
        only briefly.
        """
        since = self.runs()
        action(*args, **kwargs)
        self.settle(since, start_timeout=1.5 if may_not_run else None)

    # ------------------------------------------------------------ navigation

    def open(self, path: str = "", query: str = "") -> None:
        """Open a step by its URL path (or any full URL) and wait until it is drawn."""
        url = path if path.startswith(("http://", "https://")) else (
            f"{self.base_url}/{path.lstrip('/')}" + (f"?{query}" if query else ""))
        self.page.goto(url)
        self._wait_loaded()

    def reload(self) -> None:
        """Reload the tab (a new Streamlit session on the same address)."""
        self.page.reload()
        self._wait_loaded()

    def _wait_loaded(self) -> None:
        self.page.wait_for_selector(
            '[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=30_000)
        self.page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
        self.settle()

    def path(self) -> str:
        """The page's URL path without the server (``/controller``)."""
        url = self.page.url
        return "/" + url[len(self.base_url):].lstrip("/").split("?")[0]

    def title(self) -> str:
        return self.page.locator('[data-testid="stMain"] h1').first.inner_text().strip()

    def next(self) -> None:
        self.click("nav.next")

    def sidebar_step(self, number: int) -> None:
        """Open a step from the sidebar (1-based, as numbered there) and check that it opened.

        Why the check: in one fresh-clone CI run two sidebar clicks (the browser tests run
        first) did not end on the link's page (one on the cookies step, one where the next read
        waited 30 s for a field never drawn), and the failure only said that a field was
        missing; it never happened in repeated runs here, with or without two busy cores.
        So the landing is compared with the link's address: a miss is clicked once more and
        reported as a warning (pytest's summary lists it), a second miss fails with where the
        tab is.
        """
        link = self.page.locator(
            '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').nth(number - 1)
        href = (link.get_attribute("href") or "").split("?")[0].rstrip("/")
        target = href.split("/")[-1]
        for attempt in (1, 2):
            # The link to the step already shown may start no run.
            self.act(link.click, may_not_run=self._on(target))
            if self._on(target):
                return
            if attempt == 1:
                warnings.warn(f"sidebar step {number} ({href or '/'}) opened {self.path()} "
                              "instead; clicked again", stacklevel=2)
        raise AssertionError(f"sidebar step {number} ({href or '/'}) opened {self.path()} "
                             f"({self.title()!r}) after two clicks")

    def _on(self, step_path: str) -> bool:
        """Whether the tab shows the page at ``step_path`` (the start page's is empty)."""
        return self.path().strip("/").split("/")[-1] == step_path

    # ------------------------------------------------------------ widgets

    def el(self, key: str) -> Locator:
        return self.page.locator(f".{key_class(key)}")

    def click(self, key: str) -> None:
        self.act(self.el(key).locator("button").first.click)

    def type(self, key: str, text: str, *, keystrokes: bool = False) -> None:
        """Type into a text input or area and commit it (Tab moves the focus on, as a user would).

        ``keystrokes`` sends every character as a key press; otherwise the text is entered at
        once (`fill`, what a paste does).
        """
        box = self.el(key).locator("input, textarea").first
        unchanged = box.input_value() == text  # committing the same text starts no run
        box.click()
        if keystrokes:
            box.press("ControlOrMeta+a")
            box.press("Delete")
            box.press_sequentially(text)
        else:
            box.fill(text)
        self.act(box.press, "Tab", may_not_run=unchanged)

    def value(self, key: str) -> str:
        return self.el(key).locator("input, textarea").first.input_value()

    def choose(self, key: str, option: str) -> None:
        """Pick ``option`` (its visible label) in a selectbox or a multiselect: type a few
        letters to filter the list, then click the option, as a user would."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        combo = self.el(key).locator('[role="combobox"]').first
        for attempt in range(3):
            # The list closes when the page scrolls while it is open (as any scroll closes
            # it for a user). A select low on the screen opened its list partly below the
            # fold, and the click on an option scrolled the page to reach it: the list was
            # gone before the click landed, with no run in between (the old-notice walk's
            # failure). With the select in the middle of the screen the list opens in view.
            combo.evaluate("e => e.scrollIntoView({block: 'center', inline: 'nearest'})")
            combo.click()
            combo.fill(option[:12])
            # The open list: a list that an earlier select left fading out in the page's
            # popover layer is still in the DOM (and has the same options) but hidden.
            listbox = self.page.get_by_role("listbox").filter(visible=True).last
            choice = listbox.get_by_role("option", name=option, exact=True)
            try:
                choice.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                # A run that redraws the widget (a register's box just opened, its fields
                # drawn by the server a moment later) closes a list opened in between, as it
                # would for a user, who opens it again.
                if attempt == 2:
                    raise
                combo.press("Escape")
                self.settle()
        self.act(choice.click)
        if combo.get_attribute("aria-expanded") == "true":
            combo.press("Escape")
        # The list fades out over the widgets below it: a click there would only close it.
        self.page.get_by_role("listbox").wait_for(state="detached")
        # A focused multiselect is a line taller: leave it before clicking below it, or the
        # click's mousedown shrinks it and the mouseup lands beside the moved button.
        combo.blur()
        self.page.wait_for_timeout(50)

    def chosen(self, key: str) -> list[str]:
        """What a select shows: a multiselect's tags, or a selectbox's chosen label."""
        el = self.el(key)
        if el.locator('[data-testid="stMultiSelect"]').count():
            return [t.strip() for t in el.locator("[data-tag] > span[title]").all_inner_texts()]
        return [el.locator('[role="combobox"]').first.input_value()]

    def radio(self, key: str, option: str) -> None:
        group = self.el(key).locator('[role="radiogroup"]')
        label = group.locator("label").filter(has_text=re.compile(
            rf"^\s*{re.escape(option)}\s*$")).first
        # Clicking the option already chosen starts no run.
        chosen = label.locator('input[type="radio"]').is_checked()
        self.act(label.click, may_not_run=chosen)

    def radio_value(self, key: str) -> str:
        checked = self.el(key).locator('input[type="radio"]:checked')
        label = checked.locator("xpath=ancestor::label[1]")
        return label.inner_text().strip()

    def toggle(self, key: str, on: bool = True) -> None:
        box = self.el(key).locator('input[type="checkbox"]').first
        if box.is_checked() != on:
            self.act(self.el(key).locator("label").first.click)

    def expander(self, label: str) -> Any:
        """The expander whose own title holds ``label`` (its icon's ligature comes first): the
        nearest one around that title, not a register's box that holds a purpose's box."""
        summary = self.page.locator("summary", has_text=label).first
        return summary.locator("xpath=ancestor::*[@data-testid='stExpander'][1]")

    def is_expanded(self, label: str) -> bool:
        # Streamlit marks a closed expander's content `inert`.
        details = self.expander(label).locator('[data-testid="stExpanderDetails"]').first
        return details.get_attribute("inert") is None

    def expand(self, label: str) -> None:
        """Open the expander whose title holds ``label`` (on the registers step a register's
        box: opening it is a run that draws its fields)."""
        from playwright.sync_api import expect  # here: the module imports without playwright

        if not self.is_expanded(label):
            # A register's box tracks its state: opening it always starts a run.
            self.act(self.expander(label).locator("summary").first.click)
        expect(self.expander(label).locator('[data-testid="stExpanderDetails"]').first
               ).not_to_have_attribute("inert", "")

    def tab(self, name: str) -> None:
        """Show the tab labelled ``name``: every tab of the wizard is a run that draws the tab
        it opens (`widgets.tracked_tabs`: only the open register, or review tab, is drawn)."""
        tab = self.page.get_by_role("tab", name=name, exact=True)
        if tab.get_attribute("aria-selected") != "true":
            self.act(tab.click)
            self.page.get_by_role("tab", name=name, exact=True, selected=True).wait_for()
