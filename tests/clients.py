"""Where the real clients live (LibreOffice, Chromium, Java, the npm tools), and skip markers.

The output tests open every rendered file in a real client. On a machine without one the test
is skipped with a reason that says what to install, so the gap shows in pytest's `-ra` summary
instead of hiding. With SELOSTE_REQUIRE_CLIENTS=1 (set it in CI once the packages are
installed there) a missing client fails the run instead of skipping.

Debian packages: libreoffice-writer-nogui poppler-utils default-jre-headless chromium;
npm packages (package.json, `npm ci`): vnu-jar, axe-core.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"

APT = "apt-get install -y --no-install-recommends"

#: Flags for Debian's chromium in a container: no sandbox (root), no GPU, no phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _which(env: str, *names: str) -> str | None:
    override = os.environ.get(env)
    if override:
        return override if Path(override).exists() else None
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _file(path: Path) -> str | None:
    return str(path) if path.is_file() else None


def soffice() -> str | None:
    return _which("SELOSTE_SOFFICE", "soffice", "libreoffice")


def pdftotext() -> str | None:
    return _which("SELOSTE_PDFTOTEXT", "pdftotext")


def chromium() -> str | None:
    return _which("SELOSTE_CHROMIUM", "chromium", "chromium-browser", "google-chrome")


def java() -> str | None:
    return _which("SELOSTE_JAVA", "java")


def vnu_jar() -> str | None:
    return _file(NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar")


def axe_js() -> str | None:
    return _file(NODE_MODULES / "axe-core" / "axe.min.js")


def _playwright() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None
    return "playwright"


#: name -> (finder, what to do when it is missing)
CLIENTS = {
    "soffice": (soffice, f"LibreOffice not found: {APT} libreoffice-writer-nogui"),
    "pdftotext": (pdftotext, f"pdftotext not found: {APT} poppler-utils"),
    "chromium": (chromium, f"Chromium not found: {APT} chromium"),
    "java": (java, f"Java not found: {APT} default-jre-headless"),
    "vnu": (vnu_jar, "node_modules/vnu-jar missing: run `npm ci` in the repository root"),
    "axe": (axe_js, "node_modules/axe-core missing: run `npm ci` in the repository root"),
    "playwright": (_playwright, "Python package playwright missing: pip install -e '.[test]'"),
}


def missing(*names: str) -> list[str]:
    """The reasons of the named clients that are not there (empty: all present)."""
    return [CLIENTS[n][1] for n in names if CLIENTS[n][0]() is None]


def _reason(names: tuple[str, ...]) -> str:
    return "real client missing: " + "; ".join(missing(*names))


def required() -> bool:
    return os.environ.get("SELOSTE_REQUIRE_CLIENTS", "") not in ("", "0")


def needs(*names: str) -> Any:
    """A skip marker for tests that need the named clients (see CLIENTS)."""
    gone = missing(*names)
    if gone and required():
        # A marker cannot fail a test; failing the import makes a collection error instead.
        pytest.fail(_reason(names) + " (SELOSTE_REQUIRE_CLIENTS is set)", pytrace=False)
    return pytest.mark.skipif(bool(gone), reason=_reason(names))


def require(*names: str) -> None:
    """Call at module level: skip the whole module (loudly), or fail if CI requires clients."""
    gone = missing(*names)
    if not gone:
        return
    message = _reason(names)
    if required():
        pytest.fail(message + " (SELOSTE_REQUIRE_CLIENTS is set)", pytrace=False)
    pytest.skip(message, allow_module_level=True)


def launch_chromium(playwright: Any, **kwargs: Any) -> Any:
    """Debian's chromium through Playwright (Playwright cannot download its own browser here)."""
    path = chromium()
    if path is None:
        pytest.skip(_reason(("chromium",)))
    return playwright.chromium.launch(
        executable_path=path, args=[*CHROMIUM_ARGS, *kwargs.pop("args", [])], **kwargs
    )
