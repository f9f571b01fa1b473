"""Helpers for the wizard's AppTest tests (imported by the other tests/test_web_*.py modules).

`downloads` captures every download button's bytes: AppTest keeps them in an in-memory media
store that it throws away after each run, so the store is replaced by one that remembers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from seloste.i18n import LANGS, Texts
from seloste.model import Notice
from seloste.web.steps import STEP_KEYS, page_path
from seloste.web.widgets import ARRIVAL, CURRENT, REVIEW_TABS, box_key, tabs_key

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TIMEOUT = 60


def new_app(**context: Any) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.context.update(context)
    return at.run()


def ok(at: AppTest) -> AppTest:
    """Fail with the app's own traceback text when a run raised."""
    assert not at.exception, "\n\n".join(str(e.value) + "\n" + "".join(e.stack)
                                         for e in at.exception)
    return at


def goto(at: AppTest, step: str) -> AppTest:
    at.switch_page(page_path(step))
    return ok(at.run())


def register_tab_labels(at: AppTest) -> list[str]:
    """The register tabs of the step on the page ("1. Asiakasrekisteri", ...)."""
    return [str(tab.label) for tab in at.tabs if str(tab.label)[:1].isdigit()]


def open_register(at: AppTest, index: int) -> AppTest:
    """Open register ``index``'s tab (its box on the registers step), as the user's click on
    it does: a rerun that draws that register's fields (`widgets.register_tabs`,
    `widgets.register_box`: only the open register is drawn).

    AppTest has no click for a tab, so the tabs' own session-state key is set, which is what
    the browser's click sends."""
    step, arrival = at.session_state[CURRENT], at.session_state[ARRIVAL]
    if step == "registers":  # one expander per register, the first open on arrival
        at.session_state[box_key(index, arrival)] = True
    else:
        at.session_state[tabs_key(step, arrival)] = register_tab_labels(at)[index]
    return ok(at.run())


def open_box(at: AppTest, list_path: str, index: int) -> AppTest:
    """Open item ``index``'s box of the list at ``list_path`` (``registers.0.retention``), as a
    click on it does: a finished purpose or retention rule is folded on arrival
    (`widgets.item_box`)."""
    at.session_state[box_key(index, at.session_state[ARRIVAL], list_path)] = True
    return ok(at.run())


def open_purpose(at: AppTest, register: int, index: int) -> AppTest:
    """Open purpose ``index`` of register ``register`` on the registers step."""
    return open_box(at, f"registers.{register}.purposes", index)


def purpose_box_open(at: AppTest, register: int, index: int) -> bool:
    """Whether the purpose's box is open now (its fields are drawn)."""
    return any(getattr(w, "key", None) == f"f.registers.{register}.purposes.{index}.basis"
               for w in at.selectbox)


REVIEW_TAB_INDEX = {"findings": 0, "answers": 1, "preview": 2}


def open_review_tab(at: AppTest, which: str) -> AppTest:
    """Open the review's ``findings``, ``answers`` or ``preview`` tab as a click does: only the
    open tab is drawn (`widgets.tracked_tabs`), so a test reads another tab after opening it."""
    labels = [str(tab.label) for tab in at.tabs if not str(tab.label)[:1].isdigit()]
    assert len(labels) == len(REVIEW_TAB_INDEX), labels
    at.session_state[REVIEW_TABS] = labels[REVIEW_TAB_INDEX[which]]
    return ok(at.run())


def draft(at: AppTest) -> Notice:
    value = at.session_state["_draft"]
    assert isinstance(value, Notice)
    return value


def shown_step(at: AppTest) -> tuple[str, str]:
    """(step, UI language) of the page the user sees, read from its title, not from session keys.

    Every step's title differs from every other step's in every language, so the title alone
    says where the user is and in which language the wizard speaks.
    """
    titles = {str(t.value) for t in at.title}
    seen = [(step, lang.value) for lang in LANGS for step in STEP_KEYS
            if Texts("seloste.web.ui", lang)(f"step.{step}.title") in titles]
    assert len(seen) == 1, (titles, seen)
    return seen[0]


def errors_text(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


class _Keeping(MemoryMediaFileStorage):
    files: ClassVar[dict[str, bytes]] = {}

    def load_and_get_id(self, path_or_data: Any, mimetype: str, kind: Any,
                        filename: str | None = None) -> str:
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        _Keeping.files[self.get_url(file_id)] = self.get_file(file_id).content
        return file_id


def download_bytes(at: AppTest, key: str) -> bytes:
    return _Keeping.files[at.download_button(key=key).proto.url]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    import streamlit.testing.v1.app_test as app_test

    _Keeping.files = {}
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", _Keeping)
    yield _Keeping.files


def next_sibling(at: AppTest, widget: Any) -> Any:
    """The element drawn right after ``widget`` in the same block (where field errors go)."""

    def walk(block: Any) -> Any:
        children = list(getattr(block, "children", {}).values())
        for i, node in enumerate(children):
            if node is widget:
                return children[i + 1] if i + 1 < len(children) else None
            found = walk(node)
            if found is not None:
                return found
        return None

    return walk(at._tree)
