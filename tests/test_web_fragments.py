"""Partial reruns (`widgets.add_form`) on a real server, over Streamlit's own websocket protocol.

AppTest always reruns the whole script, so this drives a real server (started as the bench
starts it, with the launcher) with the bench's protocol client, exactly as a browser does: a
field of an add form reruns only that form (the server sends only the form's elements), and
"Add" reruns the whole page (the new item is drawn and autosave stores it). Counted in
elements sent and run statuses, never timed.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs

import pytest

pytest.importorskip("websockets")

from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.server import open_session
from bench.servers import WIZARD_APP, Server
from bench.st_client import FINISHED, StreamlitClient, Widget
from seloste.drafts import DraftStore
from seloste.web.autosave import parse_envelope

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

FRAGMENT_ONLY = FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
WHOLE_PAGE = FINISHED.FINISHED_SUCCESSFULLY


def widget(client: StreamlitClient, key: str) -> Widget:
    found = [w for w in client.widgets.values() if w.id.endswith("-" + key)]
    assert len(found) == 1, (key, sorted(w.id.rsplit("-", 1)[-1] for w in client.widgets.values()))
    return found[0]


def has(client: StreamlitClient, key: str) -> bool:
    return any(w.id.endswith("-" + key) for w in client.widgets.values())


def rules_shown(client: StreamlitClient) -> int:
    """The first register's retention rules on the page (one remove button each)."""
    return sum(1 for w in client.widgets.values()
               if w.kind == "button" and "-b.rm.registers.0.retention." in w.id)


def choose(widget: Widget, index: int) -> WidgetState:
    """A radio's or selectbox's option, sent as the browser does: by its label."""
    state = WidgetState(id=widget.id)
    state.string_value = widget.proto.options[index]
    return state


async def scenario(port: int, database_url: str) -> None:
    client = await open_session(port, wizard=True)  # keinuma loaded
    try:
        page = client.page_by_path("retention")
        assert page is not None
        await client.rerun(page_hash=page.page_script_hash)
        whole = await client.rerun()
        assert whole.statuses == [WHOLE_PAGE] and not whole.errors
        rules = rules_shown(client)
        kind = widget(client, "s.rule.0.kind")
        assert kind.fragment_id, "the add form is not a fragment"
        assert not widget(client, "f.registers.0.security_manual").fragment_id
        assert not has(client, "s.rule.0.what")

        # "Own rule": the form's own fields appear; only the form was drawn and sent again.
        own = await client.rerun(changes=[choose(kind, 2)], fragment_id=kind.fragment_id)
        assert own.statuses == [FRAGMENT_ONLY] and not own.errors, own
        assert has(client, "s.rule.0.what") and has(client, "s.rule.0.reason")
        # Well under half the page (21 of 55 elements for keinuma, since finished rules fold
        # into one element each): the form's own elements, not the page's.
        assert 0 < own.deltas < whole.deltas / 2, (own.deltas, whole.deltas)
        assert has(client, "f.registers.0.security_manual"), "the rest of the page went away"

        # "Add" with nothing typed: the form's error, the draft untouched: the form alone.
        add = widget(client, "b.add_rule.0")
        wrong = await client.rerun(changes=[client.trigger(add)], fragment_id=add.fragment_id)
        assert wrong.statuses == [FRAGMENT_ONLY] and not wrong.errors, wrong
        assert rules_shown(client) == rules

        # Back to a preset kind and "Add": the draft changed, so the whole page runs again,
        # shows the new rule, and autosave stores it.
        kind = widget(client, "s.rule.0.kind")
        preset = await client.rerun(changes=[choose(kind, 1)], fragment_id=kind.fragment_id)
        assert preset.statuses == [FRAGMENT_ONLY] and not has(client, "s.rule.0.what")
        add = widget(client, "b.add_rule.0")
        added = await client.rerun(changes=[client.trigger(add)], fragment_id=add.fragment_id)
        assert added.statuses[-1] == WHOLE_PAGE and not added.errors, added
        assert FINISHED.FINISHED_EARLY_FOR_RERUN in added.statuses, added.statuses
        assert rules_shown(client) == rules + 1
        token = parse_qs(client.query_string.lstrip("?")).get("draft", [""])[0]
        assert token, client.query_string
        with DraftStore(database_url) as store:
            stored = store.load(token)
        saved = parse_envelope(stored.json) if stored is not None else None
        assert saved is not None
        assert [r.preset for r in saved.notice.registers[0].retention][-1] == "accounting_books"
        # The registers step's "add a purpose" form is one too: "other purpose" shows its
        # description field by a run of the form alone.
        page = client.page_by_path("registers")
        assert page is not None
        await client.rerun(page_hash=page.page_script_hash)
        whole = await client.rerun()
        choice = widget(client, "s.purpose.0.choice")
        assert choice.fragment_id and not has(client, "s.purpose.0.description")
        other = await client.rerun(changes=[choose(choice, len(choice.proto.options) - 1)],
                                   fragment_id=choice.fragment_id)
        assert other.statuses == [FRAGMENT_ONLY] and not other.errors, other
        assert has(client, "s.purpose.0.description")
        assert 0 < other.deltas < whole.deltas / 2, (other.deltas, whole.deltas)
    finally:
        await client.close()


def test_an_add_form_reruns_alone_and_an_add_reruns_the_page(tmp_path: Path) -> None:
    database_url = "sqlite:///" + (tmp_path / "drafts.sqlite3").as_posix()
    env = {"SELOSTE_DATA_DIR": str(tmp_path), "SELOSTE_DATABASE_URL": database_url}
    with Server(WIZARD_APP, name="fragments", env=env) as server:
        server.start()
        try:
            # In its own thread: in the whole suite another plugin (Playwright) may leave an
            # event loop running in this one, and asyncio.run refuses to nest.
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(asyncio.run,
                            asyncio.wait_for(scenario(server.port, database_url), 300)).result()
        except BaseException:
            print(server.log_tail(40))
            raise
