"""Register presets: typical registers (customers, newsletter, web shop, contact requests, job
applicants, website visitors) as *proposals*.

A preset is a stranger's typical answers, so it must never become the company's statement by
itself (issue #11): a register created from a preset keeps the preset's id (`Register.preset`)
and its purposes with their bases, while its name and legitimate-interest texts stay keys that
render from the clause library in the notice language until the user writes their own. Every other
value (subjects, data, sources, per-purpose requirement, retention) is only proposed: the facts
layer lists it, the wizard offers one click to accept it, and the notice prints only what was
accepted. Presets propose no security measures at all. No Streamlit here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from seloste.i18n import Texts
from seloste.model import PurposeEntry, Register, RetentionRule, ServiceUse
from seloste.vocab import (
    Art9Condition,
    DataCategory,
    DataSubject,
    Lang,
    LegalBasis,
    Purpose,
    RegisterKind,
    Requirement,
    Source,
    SpecialCategory,
)

UI_TEXTS = "seloste.web.ui"
CLAUSES = "seloste.clauses"

#: The requirement a purpose's basis implies (Art. 13(2)(e)); consent data is never required
#: (Art. 7(4)), a legal obligation makes it statutory, a contract contractual.
REQUIREMENT_FOR_BASIS: dict[LegalBasis, Requirement] = {
    LegalBasis.contract: Requirement.contractual,
    LegalBasis.legal_obligation: Requirement.statutory,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PresetPurpose(_Strict):
    purpose: Purpose
    basis: LegalBasis
    legitimate_interest: bool = False
    requirement: Requirement | None = None

    def proposed_requirement(self) -> Requirement:
        if self.requirement is not None:
            return self.requirement
        return REQUIREMENT_FOR_BASIS.get(self.basis, Requirement.voluntary)


class Preset(_Strict):
    id: str
    kind: RegisterKind = RegisterKind.general
    subjects: list[DataSubject]
    purposes: list[PresetPurpose] = Field(default_factory=list)
    data: list[DataCategory]
    sources: list[Source]
    retention: list[RetentionRule] = Field(default_factory=list)
    special: list[SpecialCategory] = Field(default_factory=list)
    """Special categories the trade typically holds (a salon's allergy notes are health data)."""
    art9: Art9Condition | None = None
    services: list[str] = Field(default_factory=list)
    """Catalogue ids of the services such a register typically uses (seloste/trades)."""
    texts: str | None = None
    """The package holding this preset's names and interest texts when it is not one of the
    general presets (a trade's registers keep their texts beside the trade's data file)."""

    def _ui(self, lang: Lang | str) -> Texts:
        return Texts(self.texts or UI_TEXTS, lang)

    def _clauses(self, lang: Lang | str) -> Texts:
        return Texts(self.texts or CLAUSES, lang)

    def name(self, lang: Lang | str) -> str:
        """The preset's name as a button label (UI language)."""
        return self._ui(lang)(f"preset.{self.id}.name")

    def notice_name(self, lang: Lang | str) -> str:
        """The register's name in the notice while the user has not named it (notice language)."""
        return self._clauses(lang)(f"preset.{self.id}.name")

    def interest_text(self, purpose: Purpose | None, lang: Lang | str) -> str:
        """The preset's legitimate-interest text for ``purpose`` in the notice, or ""."""
        for p in self.purposes:
            if p.purpose is purpose and p.legitimate_interest:
                return self._clauses(lang)(f"preset.{self.id}.li.{p.purpose.value}")
        return ""

    def purpose(self, purpose: Purpose | None) -> PresetPurpose | None:
        return next((p for p in self.purposes if p.purpose is purpose), None)

    def text_ids(self) -> list[str]:
        """Every UI string this preset needs (for the completeness test)."""
        return [f"preset.{self.id}.name", f"preset.{self.id}.description"]

    def clause_ids(self) -> list[str]:
        """Every clause this preset renders in the notice (for the completeness test)."""
        ids = [f"preset.{self.id}.name"]
        ids += [f"preset.{self.id}.li.{p.purpose.value}" for p in self.purposes
                if p.legitimate_interest]
        return ids

    def proposals(self) -> dict[str, Any]:
        """Register field -> the value this preset proposes for it (plain data)."""
        proposed: dict[str, Any] = {
            "data_subjects": list(self.subjects),
            "data_categories": list(self.data),
            "sources": list(self.sources),
            "retention": [r.model_copy() for r in self.retention],
        }
        if self.special:
            proposed["special_categories"] = list(self.special)
        if self.art9 is not None:
            proposed["art9_condition"] = self.art9
        if self.services:
            proposed["services"] = [ServiceUse(catalogue_id=cid) for cid in self.services]
        return proposed

    def build(self, lang: Lang | str | None = None) -> Register:
        """A new register from this preset: the preset key, kind and purposes, nothing else.

        ``lang`` is accepted for callers of the old API; the texts are keys now, so the result
        is the same in every language.
        """
        return Register(
            preset=self.id,
            kind=self.kind,
            purposes=[PurposeEntry(purpose=p.purpose, basis=p.basis) for p in self.purposes],
        )


@cache
def load_presets() -> dict[str, Preset]:
    """All presets in file order, validated."""
    source = resources.files("seloste").joinpath("presets.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(source)
    if not isinstance(raw, dict):
        raise ValueError("presets.yaml must be a mapping of preset id to preset")
    return {str(pid): Preset.model_validate({"id": pid, **body}) for pid, body in raw.items()}


def build_register(preset_id: str, lang: Lang | str | None = None) -> Register:
    return load_presets()[preset_id].build(lang)


#: The trades' texts package (seloste/trades/texts); their registers name it as their texts.
TRADE_TEXTS = "seloste.trades.texts"


def _trade_file(trade_id: str) -> Any:
    folder = resources.files("seloste").joinpath("trades")
    return yaml.safe_load(folder.joinpath(f"{trade_id}.yaml").read_text(encoding="utf-8"))


def _trade_ids() -> list[str]:
    """Every trade file's id (seloste/trades/*.yaml), in name order."""
    folder = resources.files("seloste").joinpath("trades")
    return sorted(f.name.removesuffix(".yaml") for f in folder.iterdir()
                  if f.name.endswith(".yaml"))


@cache
def trade_presets(trade_id: str) -> tuple[Preset, ...]:
    """The registers of one trade file (its ``registers:`` section) as presets.

    Parsed here, not in `seloste.trades`, so that this module need not import the trades (which
    import it): `seloste.trades` takes its presets from here, so each preset exists once.
    """
    raw = _trade_file(trade_id)
    registers = (raw.get("registers") or {}) if isinstance(raw, dict) else {}
    return tuple(Preset.model_validate({"id": pid, "texts": TRADE_TEXTS, **reg})
                 for pid, reg in registers.items())


@cache
def all_presets() -> dict[str, Preset]:
    """The general presets and every trade's registers (seloste/trades), by id.

    A stored register may name either kind; only the general ones are offered as buttons on the
    registers step, the trades' ones come from the start page's trade choice.
    """
    found = dict(load_presets())
    for trade_id in _trade_ids():
        for preset in trade_presets(trade_id):
            if preset.id in found:
                raise ValueError(f"trade {trade_id}: preset id {preset.id} is taken")
            found[preset.id] = preset
    return found


def preset_by_id(preset_id: str | None) -> Preset | None:
    """The preset a register was created from, general or a trade's, or None."""
    return all_presets().get(preset_id) if preset_id else None
