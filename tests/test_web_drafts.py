"""Autosave, the draft link, tabs in conflict, delete, import errors and storage off (issue #6).

Every test gets its own SQLite file (the process's store is cached per database URL, so a new
URL is a new store and a fresh start-up purge). Two AppTest instances on one token play two
browser tabs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block
from test_web_support import (
    APP,
    TIMEOUT,
    download_bytes,
    downloads,
    draft,
    goto,
    new_app,
    ok,
    shown_step,
)

from seloste.draft_file import MIGRATIONS, dump_draft, parse_draft
from seloste.drafts import DraftStore, drafts_table, lookup_key
from seloste.examples import load_example
from seloste.model import SCHEMA_VERSION, Notice
from seloste.vocab import Lang
from seloste.web.autosave import Saved, dump_envelope, parse_envelope

__all__ = ["downloads"]

NAME = "Qorvex Zintaru Oy"  # appears nowhere else, so a scan of the database file can find it


def _use(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[DraftStore]:
    monkeypatch.setenv("SELOSTE_DATABASE_URL", url)
    monkeypatch.delenv("SELOSTE_SERVER_STORAGE", raising=False)
    monkeypatch.delenv("SELOSTE_DRAFT_RETENTION_DAYS", raising=False)
    with DraftStore(url) as store:
        yield store


@pytest.fixture
def sqlite_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DraftStore]:
    """A fresh SQLite draft database for the app under test, and a store to inspect it."""
    yield from _use(f"sqlite:///{tmp_path.as_posix()}/drafts.sqlite3", monkeypatch)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[DraftStore]:
    """The same, on SQLite and (with SELOSTE_TEST_POSTGRES_URL) on a fresh PostgreSQL schema."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path.as_posix()}/drafts.sqlite3"
    yield from _use(url, monkeypatch)


def rows(store: DraftStore) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(drafts_table)).scalar_one())


def stored(store: DraftStore, token: str) -> Saved:
    found = store.load(token)
    assert found is not None
    saved = parse_envelope(found.json)
    assert saved is not None
    return saved


def token_of(at: AppTest) -> str:
    value = at.query_params.get("draft")
    assert isinstance(value, str) and value, at.query_params
    assert at.session_state["_store_token"] == value
    return value


def run(at: AppTest) -> AppTest:
    return ok(at.run())


def open_link(token: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["draft"] = token
    return run(at)


def type_name(at: AppTest, name: str = NAME) -> None:
    goto(at, "controller")
    at.text_input(key="f.controller.name").input(name)
    run(at)


def texts(at: AppTest | Block, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def conflict_of(at: AppTest) -> object:
    return at.session_state.get("_store_conflict")


# ---------------------------------------------------------------- autosave and the link


def test_a_visitor_who_only_looks_stores_nothing(db: DraftStore) -> None:
    at = new_app()
    for step in ("controller", "registers", "review", "start"):
        goto(at, step)
    at.button(key="start.example.keinuma").click()
    run(at)
    goto(at, "review")
    assert rows(db) == 0
    assert "draft" not in at.query_params
    # Changing the example is a real answer: now it is stored.
    type_name(at)
    assert rows(db) == 1
    assert stored(db, token_of(at)).notice.controller.name == NAME


def test_first_answer_saves_and_every_page_shows_the_link_again(db: DraftStore) -> None:
    at = new_app()
    assert any("ensimmäiseen kysymykseen" in c for c in texts(at, "caption"))
    type_name(at)
    token = token_of(at)
    assert rows(db) == 1
    saved = stored(db, token)
    assert saved.notice.controller.name == NAME
    assert saved.step == "controller"
    # A page switch clears the query parameters in the browser; the next run sets it again.
    for step in ("registers", "start"):
        at.query_params.clear()
        goto(at, step)
        assert at.query_params["draft"] == token
    # The start page says the link is the key, and shows it.
    assert any("Linkki on luonnoksesi avain" in m for m in texts(at, "markdown"))
    assert [c.value for c in at.code] == [f"?draft={token}"]  # AppTest has no page URL
    at.context["url"] = "https://seloste.example.fi"
    run(at)
    assert [c.value for c in at.code] == [f"https://seloste.example.fi/?draft={token}"]
    assert any("90 päivään" in c for c in texts(at, "caption"))


def test_every_change_is_saved_before_the_next_run(db: DraftStore) -> None:
    at = new_app()
    type_name(at)
    token = token_of(at)
    versions = [db.load(token).version]  # type: ignore[union-attr]
    for city in ("Oulu", "Kuopio", "Vaasa"):
        at.text_input(key="f.controller.city").input(city)
        run(at)
        assert stored(db, token).notice.controller.city == city
        versions.append(db.load(token).version)  # type: ignore[union-attr]
    assert versions == sorted(set(versions))


def test_the_database_file_holds_neither_the_token_nor_any_answer(
    sqlite_db: DraftStore, tmp_path: Path
) -> None:
    db = sqlite_db
    at = new_app()
    type_name(at)
    at.text_input(key="f.controller.email").input("zintaru@qorvex.fi")
    run(at)
    at.button(key="nav.next").click()  # the step's submit
    run(at)
    token = token_of(at)
    assert stored(db, token).notice.controller.email == "zintaru@qorvex.fi"
    files = [p for p in tmp_path.iterdir() if p.name.startswith("drafts.sqlite3")]
    assert files
    blob = b"".join(p.read_bytes() for p in files)  # the main file, the WAL and its index
    assert len(blob) > 0
    for secret in (NAME, "Qorvex", "zintaru@qorvex.fi", token):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in blob, (secret, encoding)
    assert lookup_key(token).encode() in blob  # sanity: the scan sees the row


def test_the_link_resumes_answers_step_and_language(db: DraftStore) -> None:
    at = new_app()
    type_name(at)
    at.session_state["_ui_lang"] = "sv"
    goto(at, "registers")
    goto(at, "services")
    token = token_of(at)
    assert stored(db, token).step == "services"

    other = open_link(token)  # a fresh session: a reload, the link a week later, another server
    assert draft(other).controller.name == NAME
    assert shown_step(other) == ("services", "sv")  # the step's title, in Swedish
    assert {"controller", "registers", "services"} <= set(other.session_state["_visited"])
    assert other.query_params["draft"] == token
    assert texts(other, "success") == ["Utkastet är öppnat. Fortsätt där du slutade."]
    assert rows(db) == 1


@pytest.mark.parametrize("kind", ["unknown", "malformed", "deleted", "purged"])
def test_a_wrong_link_gives_a_fresh_draft_and_says_nothing_about_existence(
    db: DraftStore, kind: str
) -> None:
    token, _ = db.create(dump_envelope(Saved(load_example("keinuma"))), SCHEMA_VERSION)
    if kind == "unknown":
        token = token[:-2] + ("AA" if token[-2:] != "AA" else "BA")
    elif kind == "malformed":
        token = "'; drop table drafts; --"
    elif kind == "deleted":
        db.delete(token)
    else:
        with db.engine.begin() as connection:
            connection.execute(update(drafts_table).values(
                updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=400)))
        db.purge_unused(dt.timedelta(days=90))
    at = open_link(token)
    assert draft(at) == Notice()
    assert texts(at, "warning") == [
        "Linkillä ei löytynyt luonnosta. Linkki voi olla kopioitu väärin, tai luonnos on "
        "poistettu tai vanhentunut (luonnokset poistetaan, kun niitä ei ole käytetty 90 päivään). "
        "Voit aloittaa uuden luonnoksen tai avata luonnostiedoston."
    ]
    assert "draft" not in at.query_params
    type_name(at)  # the fresh draft gets a link of its own
    assert token_of(at) != token


def test_unused_drafts_are_purged_at_start_up(db: DraftStore) -> None:
    old, _ = db.create(dump_envelope(Saved(load_example("keinuma"))), SCHEMA_VERSION)
    recent, _ = db.create(dump_envelope(Saved(load_example("meunier"))), SCHEMA_VERSION)
    with db.engine.begin() as connection:
        connection.execute(
            update(drafts_table).where(drafts_table.c.key == lookup_key(old))
            .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=91)))
    new_app()  # the process's first run on this database
    assert db.load(old) is None
    assert db.load(recent) is not None


def test_retention_is_configurable(db: DraftStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELOSTE_DRAFT_RETENTION_DAYS", "7")
    old, _ = db.create(dump_envelope(Saved(load_example("keinuma"))), SCHEMA_VERSION)
    with db.engine.begin() as connection:
        connection.execute(update(drafts_table).values(
            updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=8)))
    at = open_link(old)
    assert db.load(old) is None
    assert "7 päivään" in texts(at, "warning")[0]


# ---------------------------------------------------------------- two tabs


def two_tabs(db: DraftStore) -> tuple[AppTest, AppTest, str]:
    first = new_app()
    type_name(first)
    token = token_of(first)
    second = open_link(token)
    goto(second, "controller")
    return first, second, token


def test_a_stale_save_is_refused_and_the_user_can_load_the_latest(db: DraftStore) -> None:
    first, second, token = two_tabs(db)
    second.text_input(key="f.controller.city").input("Oulu")
    run(second)
    version = db.load(token).version  # type: ignore[union-attr]

    first.text_input(key="f.controller.city").input("Turku")  # based on the old version
    run(first)
    assert conflict_of(first) == "changed"
    assert any("muutettu toisessa välilehdessä" in w for w in texts(first, "warning"))
    assert stored(db, token).notice.controller.city == "Oulu"  # nothing overwritten
    first.text_input(key="f.controller.street").input("Rantatie 1")
    run(first)
    assert db.load(token).version == version  # type: ignore[union-attr]
    assert draft(first).controller.city == "Turku"  # the tab keeps what the user typed

    first.button(key="draft.reload").click()
    run(first)
    assert conflict_of(first) is None
    assert draft(first) == stored(db, token).notice
    assert draft(first).controller.city == "Oulu"
    assert texts(first, "success") == ["Uusin versio ladattu."]
    first.text_input(key="f.controller.street").input("Rantatie 2")
    run(first)
    assert stored(db, token).notice.controller.street == "Rantatie 2"


def test_a_conflicting_tab_can_keep_its_answers_as_a_new_draft(db: DraftStore) -> None:
    first, second, token = two_tabs(db)
    second.text_input(key="f.controller.city").input("Oulu")
    run(second)
    first.text_input(key="f.controller.city").input("Turku")
    run(first)
    assert conflict_of(first) == "changed"
    first.button(key="draft.keep_as_new").click()
    run(first)
    new_token = token_of(first)
    assert new_token != token
    assert stored(db, new_token).notice.controller.city == "Turku"
    assert stored(db, token).notice.controller.city == "Oulu"
    assert rows(db) == 2


def test_a_tab_that_only_moved_does_not_block_the_other(db: DraftStore) -> None:
    first, second, token = two_tabs(db)
    goto(second, "registers")  # saves only where the second tab is
    goto(second, "data")
    first.text_input(key="f.controller.city").input("Turku")
    run(first)
    assert conflict_of(first) is None
    assert stored(db, token).notice.controller.city == "Turku"


def test_a_draft_deleted_in_another_tab(db: DraftStore) -> None:
    first, second, _ = two_tabs(db)
    goto(second, "start")
    second.button(key="draft.delete").click()
    run(second)
    second.button(key="draft.delete_yes").click()
    run(second)
    first.text_input(key="f.controller.city").input("Turku")
    run(first)
    assert conflict_of(first) == "deleted"
    assert not [b for b in first.button if b.key == "draft.reload"]
    first.button(key="draft.keep_as_new").click()
    run(first)
    assert stored(db, token_of(first)).notice.controller.city == "Turku"


# ---------------------------------------------------------------- start new, delete


def test_delete_this_draft_after_confirmation(db: DraftStore) -> None:
    at = new_app()
    type_name(at)
    token = token_of(at)
    goto(at, "start")
    at.button(key="draft.delete").click()
    run(at)
    assert any("pysyvästi" in w for w in texts(at, "warning"))
    at.button(key="draft.delete_no").click()
    run(at)
    assert db.load(token) is not None
    at.button(key="draft.delete").click()
    run(at)
    at.button(key="draft.delete_yes").click()
    run(at)
    assert db.load(token) is None
    assert rows(db) == 0
    assert draft(at) == Notice()
    assert "draft" not in at.query_params
    assert texts(at, "success") == ["Luonnos poistettu palvelimelta."]


def test_start_new_leaves_the_old_draft_under_its_link(db: DraftStore) -> None:
    at = new_app()
    type_name(at)
    old = token_of(at)
    goto(at, "start")
    at.button(key="start.new").click()
    run(at)
    assert any("omassa linkissään" in m for m in texts(at, "markdown"))
    at.button(key="start.confirm").click()
    run(at)
    assert draft(at) == Notice()
    assert "draft" not in at.query_params
    type_name(at, "Toinen Oy")
    assert token_of(at) != old
    assert stored(db, old).notice.controller.name == NAME
    assert rows(db) == 2


# ---------------------------------------------------------------- export and import


def keinuma_saved(db: DraftStore) -> tuple[AppTest, str, int]:
    at = new_app()
    at.button(key="start.example.keinuma").click()
    run(at)
    type_name(at)
    token = token_of(at)
    goto(at, "start")
    return at, token, db.load(token).version  # type: ignore[union-attr]


def test_export_is_the_draft_file(db: DraftStore, downloads: dict[str, bytes]) -> None:
    at, _, _ = keinuma_saved(db)
    exported = download_bytes(at, "draft.export")
    assert exported == dump_draft(draft(at)).encode()
    assert parse_draft(exported).notice == draft(at)


@pytest.fixture
def big_future_wrong() -> dict[str, bytes]:
    good = dump_draft(load_example("meunier"))
    future = json.loads(good)
    future["schema_version"] = SCHEMA_VERSION + 1
    wrong = json.loads(good)
    wrong["targets_children"] = "perhaps"
    wrong["registers"] = "all of them"
    wrong["controller"]["name"] = 5
    return {
        "malformed": b'{"controller": {"name": "x"',
        "oversized": good.encode() + b" " * (1_000_001 - len(good.encode())),
        "future": json.dumps(future).encode(),
        "wrong_typed": json.dumps(wrong).encode(),
    }


EXPECTED = {
    "malformed": ["- \\-: Tiedosto ei ole kelvollista JSONia"],
    "oversized": ["- \\-: Tiedosto on liian suuri \\(1000001 tavua, enintään 1000000\\)\\."],
    "future": [f"- schema\\_version: Luonnos on tehty uudemmalla Selosteen versiolla "
               f"\\({SCHEMA_VERSION + 1}\\)"],
    "wrong_typed": ["controller\\.name: Arvon pitää olla tekstiä",
                    "targets\\_children: Arvon pitää olla tosi tai epätosi",
                    "registers: Arvon pitää olla luettelo"],
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_a_bad_import_lists_its_own_errors_and_changes_nothing(
    db: DraftStore, case: str, big_future_wrong: dict[str, bytes]
) -> None:
    at, token, version = keinuma_saved(db)
    before = draft(at)
    at.file_uploader(key="start.upload").upload(f"{case}.json", big_future_wrong[case],
                                                "application/json")
    run(at)
    assert any("ei voitu avata" in e and "ennallaan" in e for e in texts(at, "error"))
    listing = "\n".join(texts(at, "markdown"))
    for expected in EXPECTED[case]:
        assert expected in listing, (expected, listing)
    assert draft(at) == before
    assert "_pending" not in at.session_state
    assert db.load(token).version == version  # type: ignore[union-attr]
    assert stored(db, token).notice == before


def test_import_errors_in_the_ui_language(db: DraftStore,
                                          big_future_wrong: dict[str, bytes]) -> None:
    at, _, _ = keinuma_saved(db)
    at.session_state["_ui_lang"] = "sv"
    run(at)
    at.file_uploader(key="start.upload").upload("x.json", big_future_wrong["wrong_typed"],
                                                "application/json")
    run(at)
    listing = "\n".join(texts(at, "markdown"))
    assert "registers: Värdet ska vara en lista" in listing, listing


def test_an_imported_file_becomes_a_new_stored_draft(db: DraftStore) -> None:
    at, token, _ = keinuma_saved(db)
    meunier = load_example("meunier")
    at.file_uploader(key="start.upload").upload("m.json", dump_draft(meunier).encode(),
                                                "application/json")
    run(at)
    at.button(key="start.confirm").click()
    run(at)
    assert draft(at) == meunier
    assert token_of(at) != token
    assert stored(db, token_of(at)).notice == meunier
    assert stored(db, token).notice.controller.name == NAME


# ---------------------------------------------------------------- the envelope


def test_envelope_round_trip_and_corrupt_rows() -> None:
    saved = Saved(load_example("keinuma"), "services", Lang.sv, ("controller", "services"))
    assert parse_envelope(dump_envelope(saved)) == saved
    assert parse_envelope("not json") is None
    assert parse_envelope(json.dumps({"format": "other", "draft": {}})) is None
    assert parse_envelope(json.dumps({"format": "seloste-session", "draft": []})) is None
    odd = json.loads(dump_envelope(saved))
    odd.update(step="nowhere", ui_lang="de", visited="x")
    assert parse_envelope(json.dumps(odd)) == Saved(saved.notice)


def test_stored_drafts_of_an_older_schema_are_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    import seloste.draft_file as draft_file

    old = json.loads(dump_envelope(Saved(load_example("keinuma"))))
    old["draft"]["schema_version"] = 0
    old["draft"]["company"] = old["draft"].pop("controller")

    def rename(data: dict[str, object]) -> dict[str, object]:
        data["controller"] = data.pop("company")
        return data

    monkeypatch.setitem(MIGRATIONS, 0, rename)
    assert draft_file.MIGRATIONS[0] is rename
    saved = parse_envelope(json.dumps(old))
    assert saved is not None and saved.notice == load_example("keinuma")


def test_stored_drafts_of_a_newer_schema_are_not_opened() -> None:
    newer = json.loads(dump_envelope(Saved(load_example("keinuma"))))
    newer["draft"]["schema_version"] = SCHEMA_VERSION + 1
    assert parse_envelope(json.dumps(newer)) is None


# ---------------------------------------------------------------- failures and storage off


def test_a_database_that_does_not_answer_is_reported_and_retried(
    db: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = new_app()
    type_name(at)
    token = token_of(at)
    real_save = DraftStore.save

    def down(*_args: object, **_kwargs: object) -> int:
        raise OperationalError("UPDATE drafts", {}, Exception("server closed the connection"))

    monkeypatch.setattr(DraftStore, "save", down)
    at.text_input(key="f.controller.city").input("Oulu")
    run(at)
    assert any("ei voitu tallentaa" in w for w in texts(at, "warning"))
    assert draft(at).controller.city == "Oulu"
    monkeypatch.setattr(DraftStore, "save", real_save)
    goto(at, "registers")  # any next run tries again
    assert not any("ei voitu tallentaa" in w for w in texts(at, "warning"))
    assert stored(db, token).notice.controller.city == "Oulu"


def test_with_storage_off_nothing_reaches_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "off"
    monkeypatch.setenv("SELOSTE_DATABASE_URL", f"sqlite:///{folder.as_posix()}/drafts.sqlite3")
    monkeypatch.setenv("SELOSTE_SERVER_STORAGE", "off")
    at = new_app()
    only_here = "ne ovat vain tässä selainvälilehdessä ja luonnostiedostossa"
    assert any(only_here in c for c in texts(at.sidebar, "caption"))
    assert any("ei tallenna vastauksia palvelimelle" in m for m in texts(at, "markdown"))
    type_name(at)
    for step in ("registers", "review", "start"):
        goto(at, step)
    assert "draft" not in at.query_params
    assert not folder.exists()
    assert not [b for b in at.button if b.key == "draft.delete"]
    assert at.download_button(key="draft.export")  # the only way to keep the answers

    at = open_link("A" * 43)
    assert any("ei tallenna luonnoksia palvelimelle" in w for w in texts(at, "warning"))
    assert "draft" not in at.query_params
    assert not folder.exists()


def test_only_the_notice_language_leaves_a_draft_blank() -> None:
    """`state.is_blank` decides whether a draft is worth a first stored row: the notice
    language follows the UI language by default, every other field is an answer."""
    from seloste.web.state import is_blank

    assert is_blank(Notice()) and is_blank(Notice(language=Lang.sv))
    assert not is_blank(Notice(targets_children=True))
    assert not is_blank(Notice(languages=[Lang.sv]))
    assert not is_blank(load_example("keinuma"))
