"""What the documentation says exists, exists (datasette's habit).

The README's configuration table is compared with what `seloste.settings.get_settings` actually
reads; docs/items.md's Art. 13/14 table with the item ids and the rule registry the checks use;
every relative link and every `docs/...` file the code cites, with the files in the repository.
A renamed variable or rule then fails here instead of leaving the documentation to lie.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from seloste import settings
from seloste.rules import ITEM_IDS, RULES

ROOT = Path(__file__).resolve().parents[1]


def table_after(markdown: str, heading: str) -> list[list[str]]:
    """The first Markdown table after `heading`, as rows of cells (header and rule dropped)."""
    lines = markdown[markdown.index(heading):].splitlines()
    rows: list[list[str]] = []
    for line in lines[1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    assert len(rows) > 2, heading
    return rows[2:]


def code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


class RecordingEnv(Mapping[str, str]):
    """An empty environment that remembers which variables were asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __getitem__(self, key: str) -> str:
        self.asked.append(key)
        raise KeyError(key)

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.asked.append(key)
        return default

    def __contains__(self, key: object) -> bool:
        self.asked.append(str(key))
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


# ---------------------------------------------------------------- README configuration table


def readme_settings() -> dict[str, str]:
    rows = table_after((ROOT / "README.md").read_text(encoding="utf-8"), "## Configuration")
    return {code(variable)[0]: default for variable, default, _meaning in rows}


def test_readme_lists_exactly_the_variables_the_settings_read() -> None:
    env = RecordingEnv()
    settings.get_settings(env)
    assert set(env.asked) == set(readme_settings())
    # ... and so does the settings module's own docstring.
    documented = set(re.findall(r"``(SELOSTE_[A-Z_]+)``\n", settings.__doc__ or ""))
    assert documented == set(readme_settings())


def test_readme_defaults_are_the_settings_defaults() -> None:
    table = readme_settings()
    defaults = settings.get_settings({})
    assert code(table["SELOSTE_DATABASE_URL"]) == [defaults.database_url]
    assert code(table["SELOSTE_DATA_DIR"]) == [settings.DEFAULT_DATA_DIR]
    assert defaults.server_storage and table["SELOSTE_SERVER_STORAGE"] == "on"
    assert int(table["SELOSTE_DRAFT_RETENTION_DAYS"]) == defaults.draft_retention_days
    assert int(table["SELOSTE_MAX_UPLOAD_BYTES"]) == defaults.max_upload_bytes


def test_no_other_seloste_variable_is_named_in_the_code() -> None:
    """A variable mentioned in a module (a docstring, an override) must be a documented one."""
    documented = set(readme_settings())
    sources = [*ROOT.glob("seloste/**/*.py"), ROOT / "app.py", *ROOT.glob("pages/*.py")]
    named = {m for path in sources
             for m in re.findall(r"\bSELOSTE_[A-Z_]+\b", path.read_text(encoding="utf-8"))}
    assert named <= documented, named - documented


# ---------------------------------------------------------------- docs/items.md


def item_rows() -> list[list[str]]:
    return table_after((ROOT / "docs/items.md").read_text(encoding="utf-8"), "<!-- items:")


def test_the_item_table_is_the_checks_item_list() -> None:
    assert tuple(row[0] for row in item_rows()) == ITEM_IDS


def test_every_rule_the_item_table_names_exists_and_concerns_that_item() -> None:
    named = 0
    for row in item_rows():
        item, rules = row[0], code(row[-1])
        for rule_id in rules:
            assert rule_id in RULES, (item, rule_id)
            assert item in RULES[rule_id].items, (item, rule_id, RULES[rule_id].items)
            named += 1
    assert named >= len(ITEM_IDS)


def test_every_item_id_a_rule_uses_is_in_the_table() -> None:
    used = {item for rule in RULES.values() for item in rule.items}
    assert used <= {row[0] for row in item_rows()}


def test_items_without_a_rule_say_why() -> None:
    """An item no rule names is one the renderer always prints (and the table says so)."""
    used = {item for rule in RULES.values() for item in rule.items}
    for row in item_rows():
        if row[0] not in used:
            assert "always printed" in row[-1], row


# ---------------------------------------------------------------- links and citations

DOCS = sorted([ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("bench/*.md"),
               *ROOT.glob("tests/data/*.md")])


@pytest.mark.parametrize("page", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_at_files(page: Path) -> None:
    for target in re.findall(r"\]\(([^)#\s]+)", page.read_text(encoding="utf-8")):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (page.parent / target).exists(), (page.name, target)


def test_docs_the_code_cites_exist() -> None:
    sources = [*ROOT.glob("seloste/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("pages/*.py"),
               *ROOT.glob("docs/*.md"), ROOT / "app.py", ROOT / "README.md"]
    cited = {m for path in sources
             for m in re.findall(r"\bdocs/[\w.-]+\.md\b", path.read_text(encoding="utf-8"))}
    assert "docs/design.md" in cited  # fields.py, docx.py, the LibreOffice test
    for doc in cited:
        assert (ROOT / doc).is_file(), doc
