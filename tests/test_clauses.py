"""The clause library: every id in every language; every id the builder uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seloste.i18n import LANGS, Texts, load_texts, missing_ids
from seloste.vocab import (
    Art9Condition,
    ConsentMechanism,
    CookiePurpose,
    DataCategory,
    DataSubject,
    LegalBasis,
    Purpose,
    RetentionPreset,
    RetentionStart,
    RetentionSubject,
    Role,
    SecurityElectronic,
    SecurityManual,
    Source,
    SpecialCategory,
    TransferBasis,
    WithdrawMethod,
)

ROOT = Path(__file__).resolve().parents[1]

KEYED = {
    "basis": LegalBasis,
    "purpose": Purpose,
    "subject": DataSubject,
    "data": DataCategory,
    "source": Source,
    "special_category": SpecialCategory,
    "art9": Art9Condition,
    "security_manual": SecurityManual,
    "security_electronic": SecurityElectronic,
    "retention.subject": RetentionSubject,
    "retention.from": RetentionStart,
    "retention.until": RetentionStart,
    "retention.preset": RetentionPreset,
    "recipient_role": Role,
    "transfers.basis": TransferBasis,
    "cookies.purpose": CookiePurpose,
    "cookies.consent": ConsentMechanism,
    "cookies.withdraw": WithdrawMethod,
}


@pytest.mark.parametrize("package", ["seloste.clauses", "seloste.messages"])
def test_every_id_in_every_language(package: str) -> None:
    assert missing_ids(package) == {}


def test_placeholders_agree_across_languages() -> None:
    fi = load_texts("seloste.clauses", "fi")
    for lang in LANGS[1:]:
        other = load_texts("seloste.clauses", lang.value)
        for key, text in fi.items():
            assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", other[key])), key


@pytest.mark.parametrize("prefix,enum", KEYED.items())
def test_every_key_has_a_text(prefix: str, enum: type) -> None:
    for lang in LANGS:
        texts = Texts("seloste.clauses", lang)
        for member in enum:
            assert texts.has(f"{prefix}.{member.value}"), f"{lang}: {prefix}.{member.value}"


def test_every_clause_id_used_in_code_exists() -> None:
    """Literal ids passed to t(...) in the document builder exist in the library."""
    source = (ROOT / "seloste/render/document.py").read_text(encoding="utf-8")
    used = set(re.findall(r'\bt\(\s*"([a-z_.]+)"', source))
    used |= set(re.findall(r'self\.t\(\s*"([a-z_.]+)"', source))
    assert len(used) > 40
    fi = Texts("seloste.clauses", "fi")
    assert sorted(k for k in used if not fi.has(k)) == []


def test_current_law_only() -> None:
    for lang in LANGS:
        text = "\n".join(load_texts("seloste.clauses", lang.value).values())
        assert "523/1999" not in text
        assert "Privacy Shield" not in text
        assert "Viestintävirasto" not in text
        assert "2016/679" in text and "1050/2018" in text
