"""Draft files: parsed whole or refused with errors in the user's language."""

from __future__ import annotations

import json

from seloste.draft_file import dump_draft, parse_draft
from seloste.examples import example_json, load_example


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
    assert "uudemmalla" in parse_draft(b'{"schema_version": 2}').errors[0].message
    data = json.loads(example_json("keinuma"))
    data["registers"][0]["retention"][0]["amount"] = "many"
    result = parse_draft(json.dumps(data).encode(), "en")
    assert not result.ok
    assert result.errors[0].path == "registers.0.retention.0.amount"
    assert "whole number" in result.errors[0].message


def test_bom_accepted() -> None:
    assert parse_draft("\ufeff".encode() + example_json("keinuma").encode()).ok
