"""Complete example drafts that say everything the two seed notices say, in current-law form."""

from __future__ import annotations

from importlib import resources

from seloste.model import Notice

NAMES = ("keinuma", "meunier")


def example_json(name: str) -> str:
    if name not in NAMES:
        raise KeyError(name)
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def load_example(name: str) -> Notice:
    return Notice.model_validate_json(example_json(name))
