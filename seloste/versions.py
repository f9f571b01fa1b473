"""Published versions: dated, labelled snapshots of the answers kept in the draft itself.

"Publish this version" (review step) copies the answers as they are into `Notice.versions` and
stamps the notice's date of last change (`Notice.updated`, printed at the top of the notice) and
its label. Because the snapshots live in the draft, they travel with the draft file and the
encrypted draft store without a table of their own, and any earlier version can be rendered again
in any format. A snapshot is read back through the draft file's migrations, so versions published
under an older schema stay readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from seloste.changes import describe_changes
from seloste.model import Notice, PublishedVersion


class SnapshotError(ValueError):
    """A stored version no longer validates (e.g. a service left the catalogue)."""


def answers_of(notice: Notice) -> dict[str, Any]:
    """The answers as the draft file holds them, without the version history itself."""
    data: dict[str, Any] = notice.model_dump(mode="json", exclude={"versions"})
    return data


def snapshot_notice(version: PublishedVersion) -> Notice:
    """The notice as it was published."""
    from pydantic import ValidationError

    from seloste.draft_file import migrate

    try:
        return Notice.model_validate(migrate(dict(version.answers)))
    except ValidationError as exc:
        raise SnapshotError(str(exc)) from exc


def last_published(notice: Notice) -> Notice | None:
    return snapshot_notice(notice.versions[-1]) if notice.versions else None


def publish(notice: Notice, label: str = "", day: dt.date | None = None) -> Notice:
    """A copy of `notice` with this version published on `day` (default: today)."""
    day = day or dt.date.today()
    published = notice.model_copy(deep=True)
    published.updated = day
    if published.created is None:
        published.created = day
    published.version_label = label
    published.versions = [*notice.versions,
                          PublishedVersion(published=day, label=label,
                                           answers=answers_of(published))]
    return published


def pending_changes(notice: Notice, lang: str | None = None) -> list[str] | None:
    """What publishing now would change against the last published version (None: never
    published). Date and label are what publishing sets, so they are not changes."""
    before = last_published(notice)
    if before is None:
        return None
    return describe_changes(before, notice, lang)


@dataclass(frozen=True)
class LogEntry:
    published: dt.date
    label: str
    changes: list[str]
    """Empty for the first version."""


def change_log(notice: Notice, lang: str | None = None) -> list[LogEntry]:
    """Every published version with what changed against the one before, newest first.

    A version that no longer validates is left out rather than breaking the notice."""
    entries: list[LogEntry] = []
    previous: Notice | None = None
    for version in notice.versions:
        try:
            current = snapshot_notice(version)
        except SnapshotError:
            continue
        changes = describe_changes(previous, current, lang) if previous is not None else []
        entries.append(LogEntry(version.published, version.label, changes))
        previous = current
    return entries[::-1]
