"""Register presets: valid starting points in every language, as keys only."""

from __future__ import annotations

import pytest

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
def test_each_preset_builds_a_complete_register(preset_id: str, lang: str) -> None:
    reg = build_register(preset_id, lang)
    assert reg.name
    assert reg.data_subjects and reg.purposes and reg.data_categories and reg.sources
    assert reg.requirement is not None and reg.retention
    assert reg.security_manual or reg.security_electronic
    for p in reg.purposes:
        assert p.basis is not None
        assert bool(p.legitimate_interest) == (p.basis is LegalBasis.legitimate_interest)
    notice = Notice(language=lang, registers=[reg])
    assert Notice.model_validate_json(notice.model_dump_json()) == notice
    assert render(notice, "html", lang)


def test_names_differ_by_language_and_preset() -> None:
    for lang in LANGS:
        names = [build_register(p, lang).name for p in load_presets()]
        assert len(set(names)) == len(names)
    assert build_register("customers", "fi").name != build_register("customers", "sv").name


def test_law_based_rules() -> None:
    """Invoicing rests on the Accounting Act: its presets come with the legal-obligation basis."""
    for preset_id in load_presets():
        reg = build_register(preset_id, "fi")
        has_invoicing = any(p.purpose is Purpose.invoicing_accounting for p in reg.purposes)
        presets = {r.preset for r in reg.retention}
        assert has_invoicing == (RetentionPreset.accounting_vouchers in presets)
        if has_invoicing:
            invoicing = next(p for p in reg.purposes if p.purpose is Purpose.invoicing_accounting)
            assert invoicing.basis is LegalBasis.legal_obligation
    newsletter = build_register("newsletter", "fi")
    assert {p.basis for p in newsletter.purposes} == {LegalBasis.consent}


def test_presets_do_not_share_state() -> None:
    a = build_register("customers", "fi")
    a.data_categories.append(a.data_categories[0])
    assert build_register("customers", "fi") != a
