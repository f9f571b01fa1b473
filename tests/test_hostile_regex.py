"""Hostile input, part 3: the regular expressions over user text cannot backtrack for ever.

Two checks. Statically: no pattern repeats anything without an upper bound, except whitespace
(after normalisation a run of it is short, and it cannot contain the literal that starts the
pattern) and a repeat that ends a pattern (it always succeeds, so nothing backtracks into it).
With every other repeat bounded, the work at each starting position is bounded, so a search is
linear in the text. Dynamically: each pattern gets its worst cases, made from its own parse
tree (a near-match of every alternative, repeated with and without spaces, plus long runs of
letters, digits, spaces and dots), at 60,000 characters, in a worker with a CPU limit: a
quadratic pattern would need minutes there and be killed. The figures go to the run's summary.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P
import time
from typing import Any

import hostile_files as hf
import pytest

from seloste import catalogue, checks, draft_file, extract, rules
from seloste.extract import MAX_TEXT_CHARS
from seloste.isolation import run_isolated
from seloste.lint import analyse as lint_analyse
from seloste.lint import words as lint_words

#: Characters of each worst case (a quadratic pattern would do ~10^10 steps here).
WORST_CASE_CHARS = 60_000
#: CPU seconds for all worst cases of all patterns together (linear: a few seconds).
CPU_BOUND = 40

#: Figures for the run's summary (test_hostile_server prints them).
FIGURES: dict[str, Any] = {}


def all_patterns() -> dict[str, re.Pattern[str]]:
    """Every pattern that reads user text: the lint's, the checks' and the readers'."""
    found: dict[str, re.Pattern[str]] = {}
    seen: set[int] = set()
    if not catalogue._SERVICE_RX:
        catalogue.recognise_services("")
    for sid, rx in catalogue._SERVICE_RX.items():  # the catalogue's own patterns read no user text
        found[f"seloste.catalogue._SERVICE_RX[{sid}]"] = rx
    for module in (lint_words, lint_analyse, checks, rules, extract, draft_file):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__}.{name}"] = value
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(item, re.Pattern):
                        found[f"{module.__name__}.{name}[{key}]"] = item
            elif isinstance(value, tuple):
                for i, item in enumerate(value):
                    if isinstance(item, re.Pattern):
                        found[f"{module.__name__}.{name}[{i}]"] = item
                    elif isinstance(item, tuple) and isinstance(item[-1], re.Pattern):
                        found[f"{module.__name__}.{name}[{i}]"] = item[-1]
    unique = {}
    for name, pattern in found.items():  # a pattern imported by another module, once
        if id(pattern) not in seen:
            seen.add(id(pattern))
            unique[name] = pattern
    return unique


# ---------------------------------------------------------------- static


_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}


def _is_whitespace(sub: Any) -> bool:
    items = list(sub)
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is C.IN:
        return all((o is C.CATEGORY and a is C.CATEGORY_SPACE)
                   or (o is C.LITERAL and chr(a) in " -\n") for o, a in av)
    return (op is C.CATEGORY and av is C.CATEGORY_SPACE) or (
        op is C.LITERAL and chr(av) == " ")


def _unbounded(tree: Any, top_level: bool = True) -> list[str]:
    """Repeats with no upper bound that are not whitespace and do not end the pattern."""
    problems: list[str] = []
    items = list(tree)
    for i, (op, av) in enumerate(items):
        last = top_level and i == len(items) - 1
        if op in _REPEATS:
            _lo, hi, sub = av
            if hi is C.MAXREPEAT and not _is_whitespace(sub) and not last \
                    and op is not C.POSSESSIVE_REPEAT:
                problems.append(str(sub)[:60])
            problems.extend(_unbounded(sub, False))
        elif op is C.SUBPATTERN:
            problems.extend(_unbounded(av[3], top_level and last))
        elif op is C.BRANCH:
            for alt in av[1]:
                problems.extend(_unbounded(alt, top_level and last))
        elif op in (C.ASSERT, C.ASSERT_NOT):
            problems.extend(_unbounded(av[1], False))
    return problems


def test_there_are_patterns_to_check() -> None:
    patterns = all_patterns()
    assert len(patterns) > 100
    assert "seloste.lint.words._C1_CONTACT" in patterns
    assert checks.VAGUE_RETENTION in patterns.values()
    assert all(p in patterns.values() for _, p in checks.OUTDATED_PATTERNS)


@pytest.mark.parametrize("name", sorted(all_patterns()))
def test_every_repeat_is_bounded(name: str) -> None:
    pattern = all_patterns()[name]
    assert _unbounded(P.parse(pattern.pattern, pattern.flags)) == [], pattern.pattern


def test_the_static_check_finds_what_made_the_lint_slow() -> None:
    """The patterns as they were before the rewrite fail the check (so it can fail)."""
    for before in (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", r"\w*osoite",
                   r"oikeutet\w*\s+e(?:tu|du)", r"automaattis\w*\s+(?:\w+\s+){0,2}päätö"):
        assert _unbounded(P.parse(before, re.IGNORECASE)), before


# ---------------------------------------------------------------- worst cases


def _char(op: Any, av: Any) -> str:
    if op is C.LITERAL:
        return chr(av)
    if op is C.NOT_LITERAL:
        return "a" if av != ord("a") else "b"
    if op is C.RANGE:
        return chr(av[0])
    if op is C.CATEGORY:
        return {C.CATEGORY_WORD: "a", C.CATEGORY_DIGIT: "1", C.CATEGORY_SPACE: " "}.get(av, ".")
    if op is C.IN:
        if av and av[0][0] is C.NEGATE:
            return "a"
        return _char(*av[0]) if av else "a"
    return "a"


def _sample(tree: Any) -> str:
    """A string that follows the pattern as far as it can, each repeat at its longest (or 40)."""
    out = []
    for op, av in tree:
        if op in _REPEATS:
            lo, hi, sub = av
            count = max(lo, min(40 if hi is C.MAXREPEAT else hi, 200))
            out.append(_sample(sub) * count)
        elif op is C.SUBPATTERN:
            out.append(_sample(av[3]))
        elif op is C.BRANCH:
            out.append(_sample(av[1][0]))
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT, C.GROUPREF):
            continue
        else:
            out.append(_char(op, av))
    return "".join(out)


def _has_repeat(tree: Any) -> bool:
    for op, av in tree:
        if op in _REPEATS:
            return True
        if op is C.SUBPATTERN and _has_repeat(av[3]):
            return True
        if op is C.BRANCH and any(_has_repeat(alt) for alt in av[1]):
            return True
    return False


def worst_cases(pattern: re.Pattern[str], size: int = WORST_CASE_CHARS) -> list[str]:
    tree = list(P.parse(pattern.pattern, pattern.flags))
    branches = tree[0][1][1] if len(tree) == 1 and tree[0][0] is C.BRANCH else [tree]
    cases = ["a" * size, " " * size, "a " * (size // 2), "1" * size, "." * size,
             "ä" * size, "x@" * (size // 2)]
    for branch in branches:
        whole = _sample(branch)
        if not whole or not _has_repeat(branch):
            continue  # a fixed sequence costs at most its length at each start
        near = whole[:-1] or whole
        for piece in (near, near + " ", whole):
            cases.append((piece * (size // len(piece) + 1))[:size])
    return cases


def _run_worst_cases(names: list[str]) -> tuple[float, str, int]:
    """In the worker: every worst case of every pattern; (slowest seconds, its name, count)."""
    patterns = all_patterns()
    slowest, slowest_name, count = 0.0, "", 0
    for name in names:
        pattern = patterns[name]
        start = time.process_time()
        for case in worst_cases(pattern):
            for _ in pattern.finditer(case):
                pass
            count += 1
        spent = time.process_time() - start
        if spent > slowest:
            slowest, slowest_name = spent, name
    return slowest, slowest_name, count


def test_every_pattern_survives_its_worst_cases() -> None:
    names = sorted(all_patterns())
    start = time.perf_counter()
    slowest, slowest_name, count = run_isolated(_run_worst_cases, names,
                                                cpu_seconds=CPU_BOUND, wall_seconds=300)
    FIGURES["worst_cases"] = (len(names), count, time.perf_counter() - start, slowest,
                              slowest_name)


def test_the_whole_lint_survives_crafted_text_just_under_the_budget() -> None:
    text = hf.regex_crafted_text(MAX_TEXT_CHARS)
    start = time.perf_counter()
    report = run_isolated(lint_text_characters, text, cpu_seconds=CPU_BOUND, wall_seconds=300)
    FIGURES["crafted_lint"] = (len(text), time.perf_counter() - start)
    assert report > MAX_TEXT_CHARS * 0.99  # normalising joins a few double spaces


def lint_text_characters(text: str) -> int:
    return lint_analyse.lint_text(text).characters


def test_the_old_patterns_would_have_been_stopped() -> None:
    """The email pattern as it was, on 20,000 characters of its worst case, is killed by the
    worker's CPU limit: the limit is what stands behind the rewrite."""
    from seloste.isolation import WorkerFailed

    with pytest.raises(WorkerFailed):
        run_isolated(_old_email_pattern, "a" * 200_000, cpu_seconds=2, wall_seconds=120)


def _old_email_pattern(text: str) -> bool:
    return re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text) is not None
