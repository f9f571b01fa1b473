"""Industry starting points: what a hair salon, a web shop or a coach typically records.

A trade is a set of register presets (seloste.presets.Preset) plus the sources of the law it
states. Choosing a trade on the start page only *offers* its registers; each register the user
adds keeps the preset's id, so its subjects, data, sources, services and retention reach the
notice only once the user accepts them (seloste.facts proposals), exactly like a general preset.
One YAML file per trade in this package; names and texts per language in ``texts/<lang>.yaml``.
A legal fact that could not be confirmed from a primary source is listed in the trade's
``verify`` and shown to the user as something to check, never stated as settled.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from seloste.i18n import Texts
from seloste.presets import TRADE_TEXTS, Preset, load_presets, trade_presets
from seloste.vocab import Lang

TEXTS = TRADE_TEXTS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LawSource(_Strict):
    """Where a trade file's statement of law comes from."""

    url: HttpUrl
    covers: str
    """What the source supports, in a few words (for the maintainer, not the notice)."""


class Trade(_Strict):
    id: str
    presets: list[Preset]
    """The trade's own registers, in the order the start page offers them."""
    general: list[str] = Field(default_factory=list)
    """General presets (seloste/presets.yaml) the trade typically also needs."""
    sources: list[LawSource] = Field(default_factory=list)
    verify: list[str] = Field(default_factory=list)
    """Text ids (``trade.<id>.verify.<n>``) of legal facts the user must check."""

    @model_validator(mode="after")
    def _known_general(self) -> Trade:
        unknown = set(self.general) - set(load_presets())
        if unknown:
            raise ValueError(f"trade {self.id}: unknown general presets {sorted(unknown)}")
        return self

    def name(self, lang: Lang | str) -> str:
        return Texts(TEXTS, lang)(f"trade.{self.id}.name")

    def description(self, lang: Lang | str) -> str:
        return Texts(TEXTS, lang)(f"trade.{self.id}.description")

    def verify_texts(self, lang: Lang | str) -> list[str]:
        t = Texts(TEXTS, lang)
        return [t(f"trade.{self.id}.verify.{v}") for v in self.verify]

    def offered(self) -> list[Preset]:
        """Every register the trade proposes: its own first, then the general ones."""
        general = load_presets()
        return [*self.presets, *(general[g] for g in self.general)]

    def text_ids(self) -> set[str]:
        """Every text this trade needs in ``texts/<lang>.yaml`` (for the completeness test)."""
        ids = {f"trade.{self.id}.name", f"trade.{self.id}.description"}
        ids |= {f"trade.{self.id}.verify.{v}" for v in self.verify}
        for p in self.presets:
            ids |= set(p.clause_ids()) | set(p.text_ids())
        return ids


def _parse(trade_id: str, raw: Any) -> Trade:
    if not isinstance(raw, dict):
        raise ValueError(f"trades/{trade_id}.yaml must be a mapping")
    body = dict(raw)
    body.pop("registers", None)
    presets = list(trade_presets(trade_id))  # parsed once, in seloste.presets
    return Trade.model_validate({"id": trade_id, "presets": presets, **body})


#: The trades in the order the start page lists them.
TRADE_IDS = ("salon", "webshop", "consultant", "restaurant", "health", "tradesperson",
             "association")


@cache
def load_trades() -> dict[str, Trade]:
    """Every trade, validated, in the start page's order."""
    folder = resources.files("seloste.trades")
    trades: dict[str, Trade] = {}
    for trade_id in TRADE_IDS:
        raw = yaml.safe_load(folder.joinpath(f"{trade_id}.yaml").read_text(encoding="utf-8"))
        trades[trade_id] = _parse(trade_id, raw)
    return trades
