"""Register presets: valid starting points in every language, as keys only."""

from __future__ import annotations

import pytest

from seloste.facts import notice_facts
from seloste.i18n import LANGS
from seloste.model import Notice
from seloste.presets import build_register, load_presets
from seloste.render import render
from seloste.vocab import LegalBasis, Purpose, RetentionPreset

REQUIRED = ("customers", "newsletter", "webshop", "contacts", "applicants")


def test_the_typical_registers_are_there() -> None:
    assert set(REQUIRED) <= set(load_presets())


@pytest.mark.parametrize("preset_id", list(load_presets()))
@pytest.mark.parametrize("lang", [lang.value for lang in LANGS])
def test_each_preset_builds_a_register_of_keys_and_proposals(preset_id: str, lang: str) -> None:
    """Issue #11: a preset is a proposal. The register keeps the preset key and its purposes;
    its name and interest texts render from the clauses; the rest is proposed, not filled in."""
    reg = build_register(preset_id, lang)
    assert reg.preset == preset_id and not reg.name and reg.purposes
    assert not (reg.data_subjects or reg.data_categories or reg.sources or reg.retention)
    assert not (reg.security_manual or reg.security_electronic)  # never pre-ticked
    notice = Notice(language=lang, registers=[reg])
    facts = notice_facts(notice).registers[0]
    assert facts.name == load_presets()[preset_id].notice_name(lang)
    assert set(facts.proposals) == {"data_subjects", "data_categories", "sources", "retention"}
    for p in facts.purposes:
        assert p.entry.basis is not None and p.requirement_proposal is not None
        assert bool(p.interest) == (p.entry.basis is LegalBasis.legitimate_interest)
    assert Notice.model_validate_json(notice.model_dump_json()) == notice
    html = render(notice, "html", lang).decode()
    assert facts.name in html


def test_names_differ_by_language_and_preset() -> None:
    for lang in LANGS:
        names = [p.notice_name(lang) for p in load_presets().values()]
        assert len(set(names)) == len(names)
    customers = load_presets()["customers"]
    assert customers.notice_name("fi") != customers.notice_name("sv")


def test_law_based_rules() -> None:
    """Invoicing rests on the Accounting Act: its presets come with the legal-obligation basis."""
    for preset_id in load_presets():
        reg = build_register(preset_id, "fi")
        has_invoicing = any(p.purpose is Purpose.invoicing_accounting for p in reg.purposes)
        presets = {r.preset for r in load_presets()[preset_id].retention}
        assert has_invoicing == (RetentionPreset.accounting_vouchers in presets)
        if has_invoicing:
            invoicing = next(p for p in reg.purposes if p.purpose is Purpose.invoicing_accounting)
            assert invoicing.basis is LegalBasis.legal_obligation
    newsletter = build_register("newsletter", "fi")
    assert {p.basis for p in newsletter.purposes} == {LegalBasis.consent}


def test_presets_do_not_share_state() -> None:
    a = build_register("customers", "fi")
    a.purposes.append(a.purposes[0])
    assert build_register("customers", "fi") != a
