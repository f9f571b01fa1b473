"""Register presets: typical registers (customers, newsletter, web shop, contact requests, job
applicants, website visitors) with typical purposes, bases, data, sources and retention filled in.

They are starting points the user changes, stored as data (``presets.yaml``) with keys only, so
one preset fits every language: the register's name and the legitimate-interest texts are UI
strings (``seloste/web/ui``) looked up in the *notice* language when the register is created,
because they become part of the notice. No Streamlit here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from seloste.i18n import Texts
from seloste.model import PurposeEntry, Register, RetentionRule
from seloste.vocab import (
    DataCategory,
    DataSubject,
    Lang,
    LegalBasis,
    Purpose,
    Requirement,
    SecurityElectronic,
    SecurityManual,
    Source,
)

UI_TEXTS = "seloste.web.ui"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PresetPurpose(_Strict):
    purpose: Purpose
    basis: LegalBasis
    legitimate_interest: bool = False


class Preset(_Strict):
    id: str
    subjects: list[DataSubject]
    purposes: list[PresetPurpose] = Field(default_factory=list)
    data: list[DataCategory]
    sources: list[Source]
    requirement: Requirement | None = None
    retention: list[RetentionRule] = Field(default_factory=list)
    security_manual: list[SecurityManual] = Field(default_factory=list)
    security_electronic: list[SecurityElectronic] = Field(default_factory=list)

    def name(self, lang: Lang | str) -> str:
        return Texts(UI_TEXTS, lang)(f"preset.{self.id}.name")

    def text_ids(self) -> list[str]:
        """Every UI string this preset needs (for the completeness test)."""
        ids = [f"preset.{self.id}.name", f"preset.{self.id}.description"]
        ids += [f"preset.{self.id}.li.{p.purpose.value}" for p in self.purposes
                if p.legitimate_interest]
        return ids

    def build(self, lang: Lang | str) -> Register:
        """A new register from this preset, its texts in ``lang`` (the notice language)."""
        texts = Texts(UI_TEXTS, lang)
        purposes = [
            PurposeEntry(
                purpose=p.purpose,
                basis=p.basis,
                legitimate_interest=(
                    texts(f"preset.{self.id}.li.{p.purpose.value}") if p.legitimate_interest
                    else ""
                ),
            )
            for p in self.purposes
        ]
        return Register(
            name=self.name(lang),
            data_subjects=list(self.subjects),
            purposes=purposes,
            data_categories=list(self.data),
            sources=list(self.sources),
            requirement=self.requirement,
            retention=[r.model_copy() for r in self.retention],
            security_manual=list(self.security_manual),
            security_electronic=list(self.security_electronic),
        )


@cache
def load_presets() -> dict[str, Preset]:
    """All presets in file order, validated."""
    source = resources.files("seloste").joinpath("presets.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(source)
    if not isinstance(raw, dict):
        raise ValueError("presets.yaml must be a mapping of preset id to preset")
    return {str(pid): Preset.model_validate({"id": pid, **body}) for pid, body in raw.items()}


def build_register(preset_id: str, lang: Lang | str) -> Register:
    return load_presets()[preset_id].build(lang)
