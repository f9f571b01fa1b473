"""Draft files: parsed whole or refused with errors in the user's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seloste.draft_file import MIGRATIONS, dump_draft, parse_draft
from seloste.examples import example_json, load_example
from seloste.model import SCHEMA_VERSION
from seloste.vocab import DpaState, RegisterKind, Requirement

V1 = sorted((Path(__file__).parent / "fixtures" / "v1").glob("*.json"))


def test_round_trip_is_byte_stable() -> None:
    notice = load_example("meunier")
    text = dump_draft(notice)
    again = parse_draft(text.encode())
    assert again.ok and again.notice == notice
    assert dump_draft(again.notice) == text


def test_each_problem_has_its_own_message() -> None:
    assert "liian suuri" in parse_draft(b"{}" + b" " * 2_000_000).errors[0].message
    assert "too large" in parse_draft(b" " * 2_000_001, "en").errors[0].message
    assert "JSON" in parse_draft(b"{", "sv").errors[0].message
    assert "uudemmalla" in parse_draft(b'{"schema_version": 3}').errors[0].message
    data = json.loads(example_json("keinuma"))
    data["registers"][0]["retention"][0]["amount"] = "many"
    result = parse_draft(json.dumps(data).encode(), "en")
    assert not result.ok
    assert result.errors[0].path == "registers.0.retention.0.amount"
    assert "whole number" in result.errors[0].message


def test_bom_accepted() -> None:
    assert parse_draft("\ufeff".encode() + example_json("keinuma").encode()).ok


def test_every_version_has_a_migration() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_every_v1_draft_migrates(path: Path) -> None:
    """The version-1 examples (as shipped before issue #11) load as version 2, answers kept."""
    old = json.loads(path.read_text(encoding="utf-8"))
    assert old["schema_version"] == 1
    result = parse_draft(path.read_bytes(), "en")
    assert result.ok, result.errors
    notice = result.notice
    assert notice is not None and notice.schema_version == SCHEMA_VERSION
    for reg_old, reg in zip(old["registers"], notice.registers, strict=True):
        assert {p.requirement for p in reg.purposes} == {Requirement(reg_old["requirement"])}
        assert [s.catalogue_id for s in reg.services] == [
            s["catalogue_id"] for s in reg_old["services"]]
    assert dump_draft(parse_draft(dump_draft(notice)).notice or notice) == dump_draft(notice)


def test_v1_preset_texts_become_keys() -> None:
    """A v1 register named and explained with a preset's Finnish text keeps the preset key."""
    data = json.loads((Path(__file__).parent / "fixtures" / "v1" / "meunier.json").read_text())
    notice = parse_draft(json.dumps(data), "en").notice
    assert notice is not None
    webshop = notice.registers[1]
    assert data["registers"][1]["name"] == "Verkkokaupan asiakkaat"
    assert webshop.preset == "webshop" and not webshop.name
    assert notice.registers[0].preset is None and notice.registers[0].name


def test_v1_processor_agreement_tick_becomes_agreement_states() -> None:
    data = json.loads((Path(__file__).parent / "fixtures" / "v1" / "keinuma.json").read_text())
    notice = parse_draft(json.dumps(data)).notice
    assert notice is not None
    newsletter, visitors = notice.registers[1], notice.registers[2]
    assert "processor_agreements" in data["registers"][1]["security_electronic"]
    assert newsletter.services[0].dpa is DpaState.confirmed
    assert all(s.dpa is None for s in visitors.services)  # no tick: unanswered
    assert visitors.kind is RegisterKind.site and newsletter.kind is RegisterKind.general
