"""Draft store figures: create, save and load of the keinuma draft in SQLite through `DraftStore`
(SQLAlchemy, AES-GCM, HKDF, optimistic versioning), against bare `sqlite3` insert / update /
select of a blob of the same size in a file with the same pragmas (WAL, busy timeout)."""

from __future__ import annotations

import itertools
import os
import sqlite3
import tempfile
from pathlib import Path

from bench.report import Figure, timed_figure
from bench.stats import interleaved
from seloste.drafts import DraftStore
from seloste.examples import load_example

GROUP = "store"
#: AES-GCM adds a 12-byte nonce and a 16-byte tag to the plaintext.
_CIPHER_OVERHEAD = 12 + 16


class Bare:
    def __init__(self, path: Path, size: int) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA busy_timeout = 15000")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute(
            "CREATE TABLE drafts (key TEXT PRIMARY KEY, blob BLOB NOT NULL, version INTEGER)")
        self.blob = os.urandom(size)
        self.counter = itertools.count()
        self.key = self.insert()

    def insert(self) -> str:
        key = f"{next(self.counter):064x}"
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute("INSERT INTO drafts VALUES (?, ?, 1)", (key, self.blob))
        return key

    def update(self) -> None:
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute(
                "UPDATE drafts SET blob = ?, version = version + 1 WHERE key = ?",
                (self.blob, self.key))

    def select(self) -> bytes:
        row = self.conn.execute("SELECT blob FROM drafts WHERE key = ?", (self.key,)).fetchone()
        return bytes(row[0])

    def close(self) -> None:
        self.conn.close()


def run(quick: bool = False) -> list[Figure]:
    draft = load_example("keinuma").model_dump_json()
    repeat = 10 if quick else 300
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="seloste-bench-store-") as tmp:
        store = DraftStore(f"sqlite:///{tmp}/drafts.sqlite3")
        bare = Bare(Path(tmp) / "bare.sqlite3", len(draft.encode()) + _CIPHER_OVERHEAD)
        token, version = store.create(draft, 1)
        state = {"version": version}

        def save() -> None:
            state["version"] = store.save(token, draft, 1, state["version"])

        def load() -> None:
            loaded = store.load(token)
            assert loaded is not None

        cases = [
            ("create", "create (new draft)", lambda: store.create(draft, 1), bare.insert,
             "bare sqlite3 INSERT, same bytes"),
            ("save", "save (next version)", save, bare.update, "bare sqlite3 UPDATE, same bytes"),
            ("load", "load", load, bare.select, "bare sqlite3 SELECT, same bytes"),
        ]
        for key, label, ours, base, base_label in cases:
            samples = interleaved({"ours": ours, "base": base}, repeat=repeat, warmup=2)
            figures.append(timed_figure(
                f"store.{key}", GROUP, f"draft {label}, SQLite, keinuma ({len(draft)} B JSON)",
                samples["ours"], baseline_label=base_label, baseline_samples=samples["base"],
                targets=[{"metric": "median", "limit": 5.0}], target_text="<= 5 ms",
            ))
        store.close()
        bare.close()
    return figures
