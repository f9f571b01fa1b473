"""UI strings: every id in every language, every id the code asks for exists, and the
placeholders match, so switching the UI language can never raise or show a raw id."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from seloste.catalogue import _VERIFY_CHILDREN, _VERIFY_ROOTS
from seloste.examples import NAMES
from seloste.i18n import LANGS, Texts, load_texts, missing_ids
from seloste.presets import load_presets
from seloste.vocab import (
    Art9Condition,
    ConsentMechanism,
    DurationUnit,
    LegalBasis,
    PeriodUnit,
    Requirement,
    Role,
    Source,
    TransferBasis,
    WithdrawMethod,
)
from seloste.web.steps import EXTRA_PAGES, STEP_KEYS, Status

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "seloste.web.ui"
CODE = [ROOT / "app.py", *sorted((ROOT / "seloste" / "web").glob("*.py")),
        *sorted((ROOT / "pages").glob("*.py"))]
LITERAL = re.compile(r"""\bt\(\s*(["'])([a-z0-9_.]*[a-z0-9])\1""")
CLAUSE = re.compile(r"""\bclause\(\s*(["'])([a-z0-9_.]+)\1""")


def _dynamic_ids() -> set[str]:
    ids: set[str] = set()
    for step in STEP_KEYS:
        ids |= {f"step.{step}.nav", f"step.{step}.title", f"step.{step}.intro"}
    ids |= {f"status.{s.value}" for s in Status}
    ids |= {f"lang.{lang.value}" for lang in LANGS}
    ids |= {f"basis.{b.value}.short" for b in LegalBasis}
    ids |= {f"basis.{b.value}.help" for b in LegalBasis}
    ids |= {f"source.{s.value}" for s in Source}
    ids |= {f"requirement.{r.value}" for r in Requirement}
    ids |= {f"art9.{a.value}" for a in Art9Condition}
    ids |= {f"role.{r.value}" for r in Role}
    ids |= {f"tbasis.{b.value}" for b in TransferBasis}
    ids |= {f"unit.{u.value}" for u in DurationUnit} | {f"unit.{u.value}" for u in PeriodUnit}
    ids |= {f"mechanism.{m.value}" for m in ConsentMechanism}
    ids |= {f"withdraw.{m.value}" for m in WithdrawMethod}
    ids |= {f"severity.{s}" for s in ("error", "warning", "tip")}
    ids |= {f"review.status_{s}" for s in ("ok", "missing", "na")}
    ids |= {f"retention.kind_{k}" for k in ("accounting_vouchers", "accounting_books", "own")}
    ids |= {f"verify.{r}" for r in _VERIFY_ROOTS}
    ids |= {f"verify.{r}_{c}" for r, cs in _VERIFY_CHILDREN.items() for c in cs}
    ids |= {f"start.example.{n}" for n in NAMES} | {f"start.example.{n}_about" for n in NAMES}
    ids |= {f"extra.{name}" for name in EXTRA_PAGES}
    ids |= {f"controller.{f}_{s}" for f in ("dpo", "eu_representative")
            for s in ("toggle", "help")}
    for preset in load_presets().values():
        ids |= set(preset.text_ids())
    return ids


def _literal_ids(pattern: re.Pattern[str]) -> set[str]:
    found: set[str] = set()
    for path in CODE:
        found |= {m.group(2) for m in pattern.finditer(path.read_text(encoding="utf-8"))}
    return found


def test_every_id_exists_in_every_language() -> None:
    assert missing_ids(PACKAGE) == {}


def test_the_code_finds_every_id_it_asks_for() -> None:
    literal = _literal_ids(LITERAL)
    assert len(literal) > 150
    fi = load_texts(PACKAGE, "fi")
    assert sorted(literal - set(fi)) == []
    assert sorted(_dynamic_ids() - set(fi)) == []


def test_domain_labels_come_from_the_clause_files() -> None:
    clauses = load_texts("seloste.clauses", "fi")
    assert sorted(_literal_ids(CLAUSE) - set(clauses)) == []


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_placeholders_match_finnish(lang: str) -> None:
    fi = load_texts(PACKAGE, "fi")
    other = load_texts(PACKAGE, lang)
    assert {k: _fields(v) for k, v in other.items()} == {k: _fields(v) for k, v in fi.items()}


def test_no_yaml_booleans_or_untranslated_copies() -> None:
    for lang in LANGS:
        texts = load_texts(PACKAGE, lang.value)
        assert not [k for k in texts if k.split(".")[-1] in ("True", "False")]
    fi, sv, en = (load_texts(PACKAGE, lang) for lang in ("fi", "sv", "en"))
    same = [k for k in fi if fi[k] == sv[k] == en[k] and len(fi[k]) > 12]
    assert same == ["sidebar.ui_lang"]


def test_texts_render_with_their_placeholders() -> None:
    for lang in LANGS:
        texts = Texts(PACKAGE, lang)
        for key in texts.ids():
            values = {name: "x" for name in _fields(load_texts(PACKAGE, lang.value)[key])}
            assert texts(key, **values) if values else texts(key)
