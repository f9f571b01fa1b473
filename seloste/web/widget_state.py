"""One key's look-up instead of a copy of the whole session state, for every keyed widget.

Why: Streamlit 1.67's selectbox, radio, text_input, text_area, number_input, date/time inputs
and slider each ask ``get_session_state().filtered_state`` whether *their own* key holds None.
``filtered_state`` builds a new dict of every key in the session (each value through the
widget presenters) to answer that one question, so a page with W keyed widgets pays W copies
of a session that itself holds about W widget values: O(W²). On the registers step with the
keinuma draft that was ~70 copies of ~136 keys per rerun, nearly half of the rerun's CPU
(cProfile of the script thread, notes/speed3.md).

What: `install` gives those widget modules a `get_session_state` whose ``filtered_state`` is
`OneKeyView`, a read-only mapping that answers ``key in view`` and ``view[key]`` for a user
key by looking that key up in the session (the same `SessionState.__getitem__` the full copy
calls for it), and builds the full copy, once, only for anything else (iteration, length,
widget ids, internal keys). Everything else the modules ask of the session state goes to the
real object. ``st.session_state`` itself and AppTest are untouched.

Guard: `install` patches only a Streamlit whose widget modules still read ``filtered_state``
exactly in the two ways above (`check_module`); otherwise it leaves Streamlit as it is (correct,
only slower) and records why in `SKIPPED`, and ``tests/test_web_widget_state.py`` fails, so an
upgrade is noticed instead of silently running with or without the patch.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import threading
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any, Final

#: The widget modules that read ``filtered_state`` (Streamlit 1.67).
MODULES: Final = (
    "streamlit.elements.widgets.selectbox",
    "streamlit.elements.widgets.radio",
    "streamlit.elements.widgets.text_widgets",
    "streamlit.elements.widgets.number_input",
    "streamlit.elements.widgets.time_widgets",
    "streamlit.elements.widgets.slider",
)

INSTALLED: list[str] = []
SKIPPED: list[str] = []
_LOCK = threading.Lock()


def _allowed(node: ast.Name, parent: ast.AST) -> bool:
    """``session_state = get_session_state().filtered_state``, ``key in session_state`` or
    ``session_state[key]``."""
    if isinstance(parent, ast.Assign):
        value = parent.value
        return (isinstance(value, ast.Attribute) and value.attr == "filtered_state"
                and isinstance(value.value, ast.Call)
                and isinstance(value.value.func, ast.Name)
                and value.value.func.id == "get_session_state")
    if isinstance(parent, ast.Compare):
        return (len(parent.ops) == 1 and isinstance(parent.ops[0], ast.In)
                and parent.comparators[0] is node and isinstance(parent.left, ast.Name)
                and parent.left.id == "key")
    if isinstance(parent, ast.Subscript):
        return (parent.value is node and isinstance(parent.slice, ast.Name)
                and parent.slice.id == "key" and isinstance(parent.ctx, ast.Load))
    return False


def check_module(source: str) -> str | None:
    """Why a widget module's source cannot be patched (None: it can).

    Every use of a variable ``session_state`` in its code must be the ``filtered_state``
    assignment, a ``key in session_state`` test or a ``session_state[key]`` read.
    """
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "session_state"]
    for node in uses:
        if not _allowed(node, parents[node]):
            return f"line {node.lineno} uses session_state otherwise"
    if not any(isinstance(parents[n], ast.Assign) for n in uses):
        return "it no longer reads get_session_state().filtered_state"
    return None


class OneKeyView(Mapping[str, Any]):
    """``filtered_state`` answered key by key (see the module docstring)."""

    def __init__(self, safe: Any) -> None:
        self._safe = safe
        self._full: dict[str, Any] | None = None

    @staticmethod
    def _is_user_key(key: object) -> bool:
        from streamlit.runtime.state.common import is_element_id
        from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

        return (isinstance(key, str) and not is_element_id(key)
                and not key.startswith(STREAMLIT_INTERNAL_KEY_PREFIX))

    def _copy(self) -> dict[str, Any]:
        if self._full is None:
            self._full = dict(self._safe.filtered_state)
        return self._full

    def __contains__(self, key: object) -> bool:
        if not self._is_user_key(key):
            return key in self._copy()
        with self._safe._lock:
            try:
                self._safe._state[key]
            except KeyError:
                return False
            return True

    def __getitem__(self, key: str) -> Any:
        if not self._is_user_key(key):
            return self._copy()[key]
        with self._safe._lock:
            return self._safe._state[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._copy())

    def __len__(self) -> int:
        return len(self._copy())


class _WidgetSessionState:
    """The session state as a widget module sees it: `OneKeyView` for ``filtered_state``."""

    __slots__ = ("_safe",)

    def __init__(self, safe: Any) -> None:
        self._safe = safe

    @property
    def filtered_state(self) -> OneKeyView:
        return OneKeyView(self._safe)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._safe, name)


def _wrap(original: Callable[[], Any]) -> Callable[[], Any]:
    def get_session_state() -> Any:
        return _WidgetSessionState(original())

    get_session_state.seloste_patched = True  # type: ignore[attr-defined]
    return get_session_state


def install() -> None:
    """Patch the widget modules (idempotent; cheap after the first call)."""
    if INSTALLED or SKIPPED:
        return
    with _LOCK:
        if INSTALLED or SKIPPED:
            return
        modules: list[ModuleType] = []
        for name in MODULES:
            module = importlib.import_module(name)
            reason = (check_module(inspect.getsource(module))
                      if hasattr(module, "get_session_state") else "no get_session_state")
            if reason is not None:
                SKIPPED.append(f"{name}: {reason}")
                return
            modules.append(module)
        from streamlit.runtime.state.safe_session_state import SafeSessionState

        if not all(hasattr(SafeSessionState, a) for a in ("filtered_state", "__getattr__")):
            SKIPPED.append("SafeSessionState changed")
            return
        for module in modules:
            current = module.get_session_state
            if not getattr(current, "seloste_patched", False):
                module.get_session_state = _wrap(current)  # type: ignore[attr-defined]
            INSTALLED.append(module.__name__)
