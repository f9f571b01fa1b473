"""axe-core in a Playwright page: run it, count what it finds, fail on serious findings.

For any page a test has open (a rendered notice, a wizard step):

    results = run_axe(page)            # inject node_modules/axe-core/axe.min.js, axe.run()
    print(impact_counts(results))      # {"minor": 1, "moderate": 0, "serious": 0, "critical": 0}
    assert_no_serious(results)         # AssertionError listing each serious/critical rule

axe-core is pinned in package.json (`npm ci`); `clients.needs("playwright", "chromium", "axe")`
skips a test when it is missing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import clients

IMPACTS = ("minor", "moderate", "serious", "critical")
SERIOUS = ("serious", "critical")


@cache
def _axe_source() -> str:
    path = clients.axe_js()
    if path is None:
        raise FileNotFoundError(clients.CLIENTS["axe"][1])
    return Path(path).read_text(encoding="utf-8")


def run_axe(
    page: Any, context: Any = None, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """axe.run() on the page as it is now; `context`/`options` as in axe-core's API.

    Evaluated through the DevTools protocol, not added as an inline ``<script>``: the wizard's
    Content-Security-Policy (`seloste.web.serve`) rightly refuses inline scripts, and the
    protocol's evaluation is not subject to it, so axe checks the page under its real policy.
    Works on file://, about:blank and served pages alike, and only once per document, so a test
    can call this after each step of a flow.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
        if not page.evaluate("() => typeof window.axe === 'object'"):
            raise RuntimeError("axe-core did not load into the page")
    results: dict[str, Any] = page.evaluate(
        "([context, options]) => axe.run(context || document, options || {})",
        [context, options or {}],
    )
    return results


def impact_counts(results: dict[str, Any]) -> dict[str, int]:
    """Violated rules per impact (a rule that fails on ten elements counts once)."""
    counts = dict.fromkeys(IMPACTS, 0)
    for violation in results.get("violations", []):
        impact = violation.get("impact") or "minor"
        counts[impact] = counts.get(impact, 0) + 1
    return counts


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        nodes = v.get("nodes", [])
        lines.append(f"[{v.get('impact')}] {v.get('id')}: {v.get('help')} "
                     f"({len(nodes)} element(s)) {v.get('helpUrl', '')}")
        for node in nodes[:5]:
            lines.append(f"    {node.get('target')}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_no_serious(results: dict[str, Any], allow: tuple[str, ...] = ()) -> None:
    """Fail on any serious or critical violation, except rule ids in `allow` (say why there)."""
    bad = [v for v in results.get("violations", [])
           if v.get("impact") in SERIOUS and v.get("id") not in allow]
    assert not bad, (f"axe-core: {len(bad)} serious/critical violation(s) on "
                     f"{results.get('url', 'the page')}\n{describe(bad)}")
