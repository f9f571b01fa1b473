"""The analysis: a text in, a `LintReport` out (outdated law, missing items, catalogue facts)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from seloste.catalogue import ServiceEntry, load_catalogue, recognise_services
from seloste.extract import (
    MAX_BYTES,
    FileProblem,
    check_text_budget,
    extract_text,
)
from seloste.facts import entry_needs_consent
from seloste.lint.report import LintReport, MissingItem, OutdatedHit
from seloste.lint.words import (
    _BASES,
    _C1_CONTACT,
    _C1_NAME,
    _COOKIE,
    _COOKIE_CONSENT,
    _DATA_WORDS,
    _ITEMS,
    _JOINT,
    _OLD_BASIS,
    _P2_DESCRIBED,
    _PERIOD,
    _PROCESSOR_WORDS,
    _PROCESSORS_DENIED,
    _PURPOSE,
    _RIGHTS,
    _SAFEGUARD,
    _SENTENCE_END,
    _TIE,
    _TRANSFER_DENIAL,
    _TRANSFER_MENTION,
    _WITHDRAW,
)
from seloste.rules import (
    ITEM_IDS,
    RULES,
    VAGUE_RETENTION,
    Finding,
    Severity,
    make_finding,
    scan_outdated,
    sort_findings,
)

# ---------------------------------------------------------------- analysis


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u2011", "-").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _segments(text: str) -> list[str]:
    """Sentences (a line may hold several; a table row is one), casefolded."""
    out: list[str] = []
    for line in text.split("\n"):
        if line:
            out.extend(s.casefold() for s in _SENTENCE_END.split(line) if s)
    return out


def _p1(full: str, segments: list[str]) -> str | None:
    """None when purposes and bases are tied together; else the reason P1 may be missing."""
    bases = {name for name, rx in _BASES.items() if rx.search(full)}
    if _OLD_BASIS.search(full):
        return "old"
    if not bases:
        return "none"
    any_tie = bool(_TIE.search(full))
    tied = 0
    for seg in segments:
        if not any(rx.search(seg) for rx in _BASES.values()):
            continue
        tie = _TIE.search(seg)
        with_purpose = bool(_PURPOSE.search(seg))
        in_row = any_tie and "|" in seg and with_purpose  # a table row under a basis header
        if (tie and (with_purpose or len(seg[: tie.start()].split()) >= 2)) or in_row:
            tied += 1
    if tied >= 2 or (tied == 1 and len(bases) == 1):
        return None
    return "untied"


def _missing_items(full: str, segments: list[str]) -> list[MissingItem]:
    found: dict[str, MissingItem] = {}
    if not (_C1_NAME.search(full) and _C1_CONTACT.search(full)):
        found["C1"] = MissingItem("C1")
    p1 = _p1(full, segments)
    if p1 is not None:
        found["P1"] = MissingItem("P1", p1)
    if _BASES["legitimate_interest"].search(full) and not _P2_DESCRIBED.search(full):
        found["P2"] = MissingItem("P2")
    if sum(1 for rx in _DATA_WORDS if rx.search(full)) < 2:
        found["D1"] = MissingItem("D1")
    for item, rx in _ITEMS.items():
        if not rx.search(full):
            found[item] = MissingItem(item)
    rights = tuple(r for r, rx in _RIGHTS.items() if not rx.search(full))
    if rights:
        found["RT"] = MissingItem("RT", rights=rights)
    if _BASES["consent"].search(full) and not any(
        _WITHDRAW.search(s) and _BASES["consent"].search(s) for s in segments
    ):
        found["W1"] = MissingItem("W1")
    return [found[i] for i in ITEM_IDS if i in found]


def _tracks(entry: ServiceEntry) -> bool:
    return entry_needs_consent(entry)  # the one consent rule (seloste.facts)


def _catalogue_findings(full: str, segments: list[str], services: list[str],
                        missing: list[MissingItem]) -> list[Finding]:
    catalogue = load_catalogue()
    entries = [catalogue.get(s) for s in services]
    out: list[Finding] = []
    transfers = [e.id for e in entries if e.outside_eea]
    denied = bool(_TRANSFER_DENIAL.search(full))
    if transfers and denied:
        out.append(make_finding("lint_transfer_denied", transfers=" ".join(transfers)))
    elif transfers and not _SAFEGUARD.search(full):
        out.append(make_finding("lint_transfer_no_safeguard", transfers=" ".join(transfers)))
    elif not transfers and not denied and _TRANSFER_MENTION.search(full) \
            and not _SAFEGUARD.search(full):
        missing.append(MissingItem("T1", "safeguard"))
        missing.sort(key=lambda m: ITEM_IDS.index(m.item))
    joint = [e.id for e in entries if e.has_role("joint_controller")]
    if joint and not _JOINT.search(full):
        out.append(make_finding("lint_joint_controller", services=" ".join(joint)))
    trackers = [e.id for e in entries if _tracks(e)]
    if trackers and not any(_COOKIE.search(s) and _COOKIE_CONSENT.search(s) for s in segments):
        out.append(make_finding("lint_cookie_consent", services=" ".join(trackers)))
    receivers = [e.id for e in entries if e.vendor is not None]
    if receivers and _PROCESSORS_DENIED.search(full) and not _PROCESSOR_WORDS.search(full):
        out.append(make_finding("lint_processors_denied", services=" ".join(receivers)))
    if VAGUE_RETENTION.search(full) and not _PERIOD.search(full):
        out.append(make_finding("lint_retention_vague"))
    return out


def _outdated(text: str) -> list[OutdatedHit]:
    hits: dict[tuple[str, str], OutdatedHit] = {}
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    for rule_id, match in scan_outdated(text):
        key = (rule_id, match.group(0).casefold())
        line = _line_of(starts, match.start())
        if key not in hits or hits[key].line > line:
            hits[key] = OutdatedHit(rule_id, match.group(0), line)
    order = {r: i for i, r in enumerate(RULES)}
    return sorted(hits.values(), key=lambda h: (RULES[h.rule_id].severity != Severity.error,
                                                h.line, order[h.rule_id]))


def _line_of(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid
    return lo + 1


def lint_text(text: str) -> LintReport:
    """Check the text of an existing notice.

    Raises `FileProblem` when there is no text at all, or more than the character budget
    (`seloste.extract.MAX_TEXT_CHARS`): the budget is what keeps every pattern's work bounded.
    """
    check_text_budget(text)
    text = _normalise(text)
    if not text.strip():
        raise FileProblem("no_text", "no text to check")
    full = text.casefold()
    segments = _segments(text)
    services = recognise_services(text)
    missing = _missing_items(full, segments)
    findings = _catalogue_findings(full, segments, services, missing)
    return LintReport(
        outdated=_outdated(text),
        missing=missing,
        services=services,
        findings=sort_findings(findings),
        characters=len(text),
    )


# ---------------------------------------------------------------- files



def lint_bytes(data: bytes, filename: str) -> LintReport:
    return lint_text(extract_text(data, filename))


def lint_file(path: Path) -> LintReport:
    """Lint a .txt/.md (UTF-8), .docx or .html file; OSError if unreadable, ValueError if not."""
    path = Path(path)
    if path.stat().st_size > MAX_BYTES:  # before reading it: a file may be any size
        raise FileProblem("too_large", f"the file is too large (over {MAX_BYTES} bytes)")
    return lint_bytes(path.read_bytes(), path.name)
