"""Field paths: how a widget names the piece of the draft it edits.

A path is the dotted location of a value in the `Notice` (``controller.email``,
``registers.0.purposes.1.basis``), the same form the validation errors and the checks use, so an
error or a finding can be shown next to the widget that fixes it. Widget keys are derived from
paths (`widget_key`), which keeps every key unique and stable across reruns.

Changes go through `set_path` and the list helpers: each returns a *new*, fully validated
`Notice` or raises `pydantic.ValidationError`, so the canonical draft is never half-changed.
Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from seloste.model import Notice

Part = str | int


def split(path: str) -> list[Part]:
    """``"registers.0.name"`` -> ``["registers", 0, "name"]``."""
    if not path:
        return []
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def join(parts: Sequence[Part]) -> str:
    return ".".join(str(p) for p in parts)


def child(path: str, *parts: Part) -> str:
    return join([*split(path), *parts])


def parent(path: str) -> str:
    return join(split(path)[:-1])


def widget_key(path: str) -> str:
    """The Streamlit key of the widget bound to ``path``."""
    return f"f.{path}"


def get_path(obj: Any, path: str) -> Any:
    """The value at ``path`` in a model (or in plain dicts and lists)."""
    value = obj
    for part in split(path):
        if isinstance(part, int):
            value = value[part]
        elif isinstance(value, BaseModel):
            value = getattr(value, part)
        else:
            value = value[part]
    return value


def _dump(notice: Notice) -> dict[str, Any]:
    return notice.model_dump(mode="python", round_trip=True)


def _container(data: dict[str, Any], parts: Sequence[Part]) -> Any:
    node: Any = data
    for part in parts:
        node = node[part]
    return node


def set_values(notice: Notice, changes: dict[str, Any]) -> Notice:
    """A new validated notice with every ``path: value`` in ``changes`` applied."""
    data = _dump(notice)
    for path, value in changes.items():
        parts = split(path)
        _container(data, parts[:-1])[parts[-1]] = value
    return Notice.model_validate(data)


def set_path(notice: Notice, path: str, value: Any) -> Notice:
    return set_values(notice, {path: value})


def list_insert(notice: Notice, path: str, item: Any, index: int | None = None) -> Notice:
    """Insert ``item`` (a model or plain data) into the list at ``path``; append by default."""
    data = _dump(notice)
    items = _container(data, split(path))
    plain = item.model_dump(mode="python", round_trip=True) if isinstance(item, BaseModel) else item
    items.insert(len(items) if index is None else index, plain)
    return Notice.model_validate(data)


def list_remove(notice: Notice, path: str, index: int) -> Notice:
    data = _dump(notice)
    del _container(data, split(path))[index]
    return Notice.model_validate(data)


def list_move(notice: Notice, path: str, index: int, delta: int) -> Notice:
    """Move item ``index`` by ``delta`` places (clamped to the list)."""
    data = _dump(notice)
    items = _container(data, split(path))
    target = max(0, min(len(items) - 1, index + delta))
    if target != index:
        items.insert(target, items.pop(index))
    return Notice.model_validate(data)
