"""Published versions and what changed (issue #17): snapshots in the draft, the notice's date of
last change, the change list in customer words (fi, sv, en), the change log at the end of the
notice, and `seloste diff` / `seloste render --version`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from seloste.changes import describe_changes, format_changes
from seloste.draft_file import dump_draft, parse_draft
from seloste.examples import load_example
from seloste.i18n import missing_ids
from seloste.model import (
    CustomCookie,
    CustomService,
    Notice,
    PurposeEntry,
    Register,
    RetentionRule,
    ServiceUse,
)
from seloste.render import Format, render
from seloste.render.document import build_document
from seloste.versions import change_log, pending_changes, publish, snapshot_notice
from seloste.vocab import (
    DataCategory,
    Lang,
    LegalBasis,
    PeriodUnit,
    Purpose,
    RetentionStart,
    RetentionSubject,
    Role,
    TransferBasis,
)

DAY1, DAY2 = dt.date(2025, 3, 4), dt.date(2026, 1, 15)


def base() -> Notice:
    """keinuma with customer data kept 5 years from the end of the customer relationship."""
    n = load_example("keinuma").model_copy(deep=True)
    n.registers[0].retention[0] = RetentionRule(
        subject=RetentionSubject.customer_data, amount=5, unit=PeriodUnit.years,
        start=RetentionStart.end_of_customer_relationship)
    return n


def changed() -> Notice:
    n = base()
    n.registers[1].services.append(ServiceUse(catalogue_id="mailchimp"))
    n.registers[0].retention[0] = n.registers[0].retention[0].model_copy(update={"amount": 3})
    return n


def test_the_issue_examples_in_finnish() -> None:
    lines = describe_changes(base(), changed(), "fi")
    assert "Uutena palveluna Mailchimp (Yhdysvallat)." in lines
    assert ("Säilytysaika muuttui – Asiakastiedot: ennen 5 vuotta asiakassuhteen päättymisestä, "
            "nyt 3 vuotta asiakassuhteen päättymisestä.") in lines
    assert any(line.startswith("Tietoja siirretään nyt EU:n ja ETA:n ulkopuolelle: Mailchimp "
                               "(Yhdysvallat)") for line in lines)
    assert len(lines) == 3, lines


def test_swedish_and_english() -> None:
    sv = describe_changes(base(), changed(), "sv")
    en = describe_changes(base(), changed(), "en")
    assert "Ny tjänst: Mailchimp (USA)." in sv
    assert "New service: Mailchimp (United States)." in en
    assert any("was 5 years" in line and "now 3 years" in line for line in en)
    assert any("tidigare 5 år" in line and "nu 3 år" in line for line in sv)


def test_no_changes_is_an_empty_list_and_a_sentence() -> None:
    assert describe_changes(base(), base()) == []
    assert format_changes([], "fi") == "Ei muutoksia edelliseen versioon.\n"
    # The notice language, publishing date and label are not changes a customer reads about.
    other = base().model_copy(update={"language": Lang.sv, "updated": DAY2,
                                      "version_label": "x"})
    assert describe_changes(base(), other) == []


def test_record_only_answers_are_not_changes() -> None:
    new = base()
    new.registers[0].record_access = "kaikki"
    new.registers[0].record_location = "kellari"
    assert describe_changes(base(), new) == []


def test_registers_purposes_bases_data_and_removed_service() -> None:
    old = base()
    new = base()
    new.registers[0].purposes[0].basis = LegalBasis.consent
    new.registers[0].purposes.append(PurposeEntry(purpose=Purpose.customer_surveys,
                                                  basis=LegalBasis.legitimate_interest,
                                                  legitimate_interest="Palvelun parantaminen"))
    new.registers[0].data_categories.append(DataCategory.date_of_birth)
    new.registers[0].data_categories.remove(DataCategory.customer_number)
    new.registers[1].services = []
    new.registers.append(Register(name="Työnhakijat"))
    del new.registers[2]  # the visitors register goes; a new one arrives at the end
    lines = describe_changes(old, new, "fi")
    reg = old.registers[0].name.fi
    assert (f"Rekisterissä ”{reg}” käyttötarkoituksen Tilattujen palveluiden toteuttaminen ja "
            "sopimusten hoitaminen peruste muuttui: ennen sopimus, nyt suostumus.") in lines
    assert any(line.startswith(f"Rekisterissä ”{reg}” uusi käyttötarkoitus:") and
               "(peruste: oikeutettu etu)" in line for line in lines)
    assert f"Rekisterissä ”{reg}” kerätään uusia tietoja: syntymäaika." in lines
    assert f"Rekisterissä ”{reg}” ei enää kerätä tietoja: asiakasnumero." in lines
    assert "Palvelu ActiveCampaign ei ole enää käytössä." in lines
    assert any("Työnhakijat" in line for line in lines), lines


def test_custom_service_transfer_mechanism_role_and_cookie() -> None:
    def with_custom(basis: TransferBasis, role: Role) -> Notice:
        n = base()
        n.registers[0].services = [ServiceUse(custom=CustomService(
            name="Oma CRM", role=role, country="US", transfer_basis=basis))]
        return n

    old = with_custom(TransferBasis.scc, Role.processor)
    new = with_custom(TransferBasis.dpf, Role.controller)
    new.cookies.custom_cookies = [CustomCookie(name="_oma", provider="Oma CRM")]
    lines = describe_changes(old, new, "fi")
    assert ("Palvelun Oma CRM tietojensiirron suojatoimi muuttui: ennen vakiosopimuslausekkeet, "
            "nyt EU:n ja Yhdysvaltojen tietosuojakehys.") in lines
    assert ("Palvelun Oma CRM rooli muuttui: ennen henkilötietojen käsittelijä, nyt itsenäinen "
            "rekisterinpitäjä.") in lines
    assert "Uusi eväste: _oma (Oma CRM)." in lines


def test_publish_keeps_a_dated_labelled_snapshot_and_stamps_the_notice() -> None:
    first = publish(base(), "2025", DAY1)
    assert first.updated == DAY1 and first.version_label == "2025"
    assert [(v.published, v.label) for v in first.versions] == [(DAY1, "2025")]
    snap = snapshot_notice(first.versions[0])
    assert snap == first.model_copy(update={"versions": []})
    # the notice shows its date of last change and its label
    meta = build_document(first, "fi").blocks[0]
    assert meta.kind == "meta" and "Päivitetty 4.3.2025" in meta.text and "2025" in meta.text
    # the draft file carries the versions and reads back whole
    again = parse_draft(dump_draft(first)).notice
    assert again == first
    second = publish(changed().model_copy(update={"versions": first.versions}), "", DAY2)
    assert len(second.versions) == 2 and second.updated == DAY2
    assert snapshot_notice(second.versions[0]) == snap


def test_pending_changes_are_against_the_last_published_version() -> None:
    assert pending_changes(base()) is None
    first = publish(base(), "", DAY1)
    assert pending_changes(first) == []
    draft = changed().model_copy(update={"versions": first.versions})
    assert "Uutena palveluna Mailchimp (Yhdysvallat)." in (pending_changes(draft) or [])


def test_change_log_at_the_end_of_the_notice_only_when_asked() -> None:
    first = publish(base(), "ensimmäinen", DAY1)
    second = publish(changed().model_copy(update={"versions": first.versions}), "", DAY2)
    log = change_log(second, "fi")
    assert [e.published for e in log] == [DAY2, DAY1]
    assert "Uutena palveluna Mailchimp (Yhdysvallat)." in log[0].changes
    assert log[1].changes == []
    html = render(second, Format.page).decode()
    assert "Muutoshistoria" not in html
    shown = second.model_copy(update={"show_change_log": True})
    html = render(shown, Format.page).decode()
    tail = html[html.index("Muutoshistoria"):]
    assert "15.1.2026" in tail and "4.3.2025 (ensimmäinen)" in tail
    assert "Uutena palveluna Mailchimp (Yhdysvallat)." in tail
    assert "Ensimmäinen julkaistu versio." in tail
    assert "Change history" in render(shown, Format.md, "en").decode()


def test_a_version_cannot_hold_versions() -> None:
    first = publish(base(), "", DAY1)
    data = first.model_dump(mode="json")
    data["versions"][0]["answers"]["versions"] = [dict(data["versions"][0], answers={})]
    result = parse_draft(json.dumps(data), "fi")
    assert result.notice is None
    assert any("Julkaistu versio ei voi sisältää omia versioitaan" in e.message
               for e in result.errors), result.errors


def test_texts_complete_in_every_language() -> None:
    assert missing_ids("seloste.changes_texts") == {}
    assert missing_ids("seloste.web.ui_publishing") == {}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "seloste.cli", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_cli_diff_and_render_an_earlier_version(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(dump_draft(base()), encoding="utf-8")
    new.write_text(dump_draft(changed()), encoding="utf-8")
    proc = _cli("diff", str(old), str(new))
    assert proc.returncode == 0, proc.stderr
    assert "- Uutena palveluna Mailchimp (Yhdysvallat).\n" in proc.stdout
    proc = _cli("diff", str(old), str(new), "--lang", "en")
    assert "- New service: Mailchimp (United States).\n" in proc.stdout
    assert _cli("diff", str(old), str(old)).stdout == "Ei muutoksia edelliseen versioon.\n"

    published = publish(publish(base(), "a", DAY1), "b", DAY2)
    draft = tmp_path / "draft.json"
    draft.write_text(dump_draft(published), encoding="utf-8")
    proc = _cli("render", str(draft), "--version", "1", "--format", "md")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.encode() == render(snapshot_notice(published.versions[0]), Format.md)
    proc = _cli("render", str(draft), "--version", "3")
    assert proc.returncode == 2 and "2 published versions" in proc.stderr


@pytest.mark.parametrize("bad", ['{"controller": {"email": "x"}}', "not json"])
def test_cli_diff_bad_input_exits_2(tmp_path: Path, bad: str) -> None:
    ok, broken = tmp_path / "ok.json", tmp_path / "bad.json"
    ok.write_text(dump_draft(base()), encoding="utf-8")
    broken.write_text(bad, encoding="utf-8")
    proc = _cli("diff", str(ok), str(broken))
    assert proc.returncode == 2 and str(broken) in proc.stderr


def test_versions_travel_in_the_encrypted_store(tmp_path: Path) -> None:
    from seloste.drafts import DraftStore
    from seloste.model import SCHEMA_VERSION

    published = publish(base(), "2025", DAY1)
    with DraftStore(f"sqlite:///{tmp_path / 'drafts.sqlite3'}") as store:
        store.create_all()
        token, _ = store.create(dump_draft(published), SCHEMA_VERSION)
        loaded = store.load(token)
    assert loaded is not None
    again = parse_draft(loaded.json).notice
    assert again is not None and again.versions == published.versions
    assert snapshot_notice(again.versions[0]).version_label == "2025"
    raw = (tmp_path / "drafts.sqlite3").read_bytes()
    assert b"Keinuma" not in raw  # the snapshot is encrypted with the rest of the draft
