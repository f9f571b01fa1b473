"""Issue #20: a saved draft always reopens; a hostile draft is refused with a short error list.

* Every list bound of `seloste.limits` holds on import (and so on autosave and the CLI, which
  read through the same model): at the bound a draft exported by the wizard imports again, one
  over the bound is refused with a message that says which list and how many.
* The draft file's size bound: the wizard does not save or export a draft whose file its own
  import would refuse (the 1.29 MB export of the issue).
* Error lists are capped: 50 lines and one that counts the rest, in the UI language.
* The import's own messages carry no English decoder detail; UTF-16 and UTF-8-BOM files open.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seloste import limits
from seloste.draft_file import dump_draft, parse_draft
from seloste.examples import load_example
from seloste.model import (
    CustomCookie,
    Notice,
    PurposeEntry,
    Register,
    RetentionRule,
    ServiceUse,
)
from seloste.vocab import DataSubject, Lang, Purpose

#: Each bounded list: (bound, where it is in a draft dict, one valid item as JSON).
BOUNDS: dict[str, tuple[int, tuple[str | int, ...], Any]] = {
    "registers": (limits.MAX_REGISTERS, ("registers",), {"name": "r"}),
    "purposes": (limits.MAX_PURPOSES, ("registers", 0, "purposes"),
                 {"purpose": Purpose.customer_relationship.value}),
    "services": (limits.MAX_SERVICES, ("registers", 0, "services"),
                 {"custom": {"name": "Palvelu"}}),
    "retention": (limits.MAX_RETENTION_RULES, ("registers", 0, "retention"),
                  {"amount": 2, "unit": "years"}),
    "custom_cookies": (limits.MAX_COOKIES, ("cookies", "custom_cookies"), {"name": "c"}),
    "custom_data_subjects": (limits.MAX_LIST_ITEMS, ("registers", 0, "custom_data_subjects"),
                             "oma ryhmä"),
    "data_subjects": (limits.MAX_CHOICES, ("registers", 0, "data_subjects"),
                      DataSubject.customers.value),
}


def draft_with(name: str, count: int) -> dict[str, Any]:
    _, where, item = BOUNDS[name]
    data = json.loads(dump_draft(Notice(registers=[Register(name="r")])))
    parent: Any = data
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = [item] * count
    return data


@pytest.mark.parametrize("name", list(BOUNDS))
def test_each_list_bound_round_trips_at_the_bound_and_refuses_one_more(name: str) -> None:
    bound = BOUNDS[name][0]
    at_bound = parse_draft(json.dumps(draft_with(name, bound)), Lang.fi)
    assert at_bound.ok, at_bound.errors[:3]
    assert at_bound.notice is not None
    exported = dump_draft(at_bound.notice)
    again = parse_draft(exported.encode("utf-8"), Lang.fi)
    assert again.notice == at_bound.notice

    over = parse_draft(json.dumps(draft_with(name, bound + 1)), Lang.fi)
    assert over.notice is None
    lines = [e.line() for e in over.errors]
    assert lines == [f"{'.'.join(map(str, BOUNDS[name][1]))}: Luettelossa on liikaa kohtia "
                     f"({bound + 1}, enintään {bound})."], lines


def test_the_issue_s_330000_empty_registers_are_one_short_error() -> None:
    raw = ('{"registers": [' + ",".join(["{}"] * 330_000) + "]}").encode()
    assert len(raw) < 1_000_000
    result = parse_draft(raw, Lang.fi)
    assert result.notice is None
    assert [e.line() for e in result.errors] == [
        f"registers: Luettelossa on liikaa kohtia (330000, enintään {limits.MAX_REGISTERS})."]


# ---------------------------------------------------------------- every limit at once


def _text(size: int) -> str:
    return ("Äö€ " * (size // 4 + 1))[:size]


@st.composite
def drafts_at_the_limits(draw: st.DrawFn) -> Notice:
    """Drafts with lists at (or near) their bounds and texts up to their bounds."""
    n_registers = draw(st.sampled_from([1, limits.MAX_REGISTERS]))
    long_len = draw(st.sampled_from([0, 200, limits.MAX_LONG_TEXT]))
    short_len = draw(st.sampled_from([1, limits.MAX_SHORT_TEXT]))
    purposes = draw(st.sampled_from([1, limits.MAX_PURPOSES]))
    services = draw(st.sampled_from([0, limits.MAX_SERVICES]))
    retention = draw(st.sampled_from([0, limits.MAX_RETENTION_RULES]))
    cookies = draw(st.sampled_from([0, limits.MAX_COOKIES]))
    register = Register(
        name=_text(short_len),
        purposes=[PurposeEntry(purpose=Purpose.customer_relationship,
                               description=_text(long_len))] * purposes,
        services=[ServiceUse(custom={"name": "x"})] * services,  # type: ignore[arg-type]
        retention=[RetentionRule(amount=1, unit="years")] * retention,  # type: ignore[arg-type]
        security_note=_text(long_len),
    )
    notice = Notice(registers=[register] * n_registers,
                    request_instructions=_text(long_len))
    notice.cookies.custom_cookies = [CustomCookie(name="c")] * cookies
    return notice


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts_at_the_limits())
def test_what_the_wizard_would_export_it_can_import_again(notice: Notice) -> None:
    """The wizard exports a draft only when `export_problem` says its file can be imported;
    every such file imports back to the same draft; every other one is refused on export."""
    file = dump_draft(notice).encode("utf-8")
    problem = limits.export_problem(len(file))
    result = parse_draft(file, Lang.fi)
    if problem is None:
        assert result.ok, [e.line() for e in result.errors[:3]]
        assert result.notice == notice
    else:
        assert len(file) > limits.MAX_DRAFT_BYTES
        assert problem == {"size": len(file), "limit": limits.MAX_DRAFT_BYTES}
        assert result.notice is None  # and so the wizard does not offer the file


def test_the_issue_s_long_text_draft_is_not_exported_but_refused_with_a_reason() -> None:
    notice = load_example("keinuma")
    notice.registers = [notice.registers[0].model_copy(
        update={"security_note": _text(limits.MAX_LONG_TEXT)})] * 30
    file = dump_draft(notice).encode("utf-8")
    assert len(file) > limits.MAX_DRAFT_BYTES
    assert limits.export_problem(len(file)) == {"size": len(file),
                                                "limit": limits.MAX_DRAFT_BYTES}


# ---------------------------------------------------------------- error lists


def test_an_error_list_is_capped_with_a_count_of_the_rest() -> None:
    register = {"data_subjects": [7] * limits.MAX_CHOICES}
    raw = json.dumps({"registers": [register] * limits.MAX_REGISTERS})
    total = limits.MAX_CHOICES * limits.MAX_REGISTERS
    for lang, more in ((Lang.fi, f"… ja {total - 50:,} muuta virhettä.".replace(",", "\xa0")),
                       (Lang.en, f"… and {total - 50:,} more errors.")):
        result = parse_draft(raw, lang)
        assert result.notice is None
        assert len(result.errors) == limits.MAX_ERRORS_SHOWN + 1
        assert result.errors[-1].message == more
        assert result.errors[0].path == "registers.0.data_subjects.0"


# ---------------------------------------------------------------- text encodings and messages


def test_not_json_is_said_in_finnish_without_the_decoder_s_english() -> None:
    result = parse_draft(b"nonsense", Lang.fi)
    assert [e.message for e in result.errors] == [
        "Tiedosto ei ole kelvollista JSONia (virhe rivillä 1, sarakkeessa 1)."]
    assert "Expecting" not in result.errors[0].message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_drafts_open(encoding: str) -> None:
    notice = load_example("meunier")
    text = dump_draft(notice)
    raw = text.encode(encoding)
    if encoding == "utf-16-le":
        raw = codecs.BOM_UTF16_LE + raw
    elif encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    result = parse_draft(raw, Lang.fi)
    assert result.ok, result.errors
    assert result.notice == notice


def test_other_binary_says_save_as_utf8() -> None:
    result = parse_draft(b"\xff\xfe\x00\xd8", Lang.fi)  # a UTF-16 BOM, then a lone surrogate
    assert [e.message for e in result.errors] == [
        "Tiedosto ei ole UTF-8-tekstiä. Tallenna se tekstieditorissa UTF-8-muodossa ja yritä "
        "uudelleen."]
    assert "UTF-8" in parse_draft(b"\x81\x82\xfe", Lang.en).errors[0].message
