"""The record of processing activities (issue #17, GDPR Art. 30): read back from the XLSX
(openpyxl) and the DOCX (python-docx), every answer the record must hold is there, in every
language, with one XLSX row per register and purpose."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from helpers import docx_text
from openpyxl import load_workbook
from user_text import hostile_notice

from seloste.examples import NAMES, load_example
from seloste.facts import notice_facts
from seloste.i18n import LANGS, Texts, missing_ids
from seloste.localized import LocalizedLong, LocalizedShort
from seloste.model import CustomService, Notice, Person, ServiceUse
from seloste.record.build import COLUMNS, build_record
from seloste.record.docx import render_record_docx
from seloste.record.xlsx import render_record_xlsx
from seloste.render import Format, render
from seloste.vocab import Lang, LegalBasis, Role, SpecialCategory, TransferBasis


def rich_notice() -> Notice:
    """keinuma with every Art. 30 answer given: DPO, representative, a custom service with a
    transfer, special categories, and the two record-only answers."""
    n = load_example("keinuma").model_copy(deep=True)
    n.dpo = Person(name="Dpo Henkilö", email="dpo@keinuma.fi")
    n.eu_representative = Person(name="Rep & Co <EU>", address="Rue 1, Bruxelles")
    reg = n.registers[0]
    reg.record_access = "Heidi & kirjanpitäjä <Tili Oy>"
    reg.record_location = "Toimiston lukittu kaappi\nGoogle Drive (EU)"
    reg.special_categories = [SpecialCategory.health]
    reg.special_note = "Vain jos asiakas itse kertoo."
    reg.security_note = "Varmuuskopiot kerran viikossa."
    reg.other_recipients = "Tilitoimisto Numero Oy"
    reg.services = [ServiceUse(custom=CustomService(
        name="Oma CRM", entity="CRM Inc.", role=Role.processor, country="US",
        transfer_basis=TransferBasis.scc))]
    n.registers[1].record_location = "ActiveCampaign (EU-palvelinkeskus)"
    return n


def record_strings(notice: Notice, lang: Lang) -> list[tuple[str, str]]:
    """(what, text) the record must show for `notice`: the user's own words and the names of
    the services (keys are checked separately, through their translations)."""
    def s_(value: object) -> str:  # a free-text answer in the record's language
        return value.pick(lang) if isinstance(value, LocalizedShort | LocalizedLong) else str(value)

    c = notice.controller
    out = [(f"controller.{k}", getattr(c, k)) for k in (
        "name", "business_id", "street", "postal_code", "city", "email", "phone", "website")]
    for key in ("privacy_contact", "dpo", "eu_representative"):
        person = getattr(notice, key)
        if person is not None:
            out += [(f"{key}.{f}", getattr(person, f)) for f in ("name", "email", "phone",
                                                                   "address")]
    for i, reg in enumerate(notice.registers):
        p = f"registers.{i}"
        out.append((f"{p}.name", s_(reg.name)))
        out += [(f"{p}.custom_data_subjects", s_(s)) for s in reg.custom_data_subjects]
        out += [(f"{p}.custom_data_categories", s_(s)) for s in reg.custom_data_categories]
        for pe in reg.purposes:
            out += [(f"{p}.purpose.description", s_(pe.description)),
                    (f"{p}.purpose.legitimate_interest", s_(pe.legitimate_interest))]
        for name in ("special_note", "source_details", "other_recipients", "security_note",
                     "record_access", "record_location"):
            out.append((f"{p}.{name}", s_(getattr(reg, name))))
        for rule in reg.retention:
            out += [(f"{p}.retention.what", s_(rule.what)),
                    (f"{p}.retention.reason", s_(rule.reason))]
        for use in reg.services:
            if use.custom is not None:
                out += [(f"{p}.service", use.custom.name), (f"{p}.entity", use.custom.entity)]
    return [(what, value) for what, value in out if value]


def key_strings(notice: Notice, lang: Lang) -> list[tuple[str, str]]:
    """Translated keys the record must show: bases, roles, transfer mechanisms, services."""
    c = Texts("seloste.clauses", lang)
    r_t = Texts("seloste.record.texts", lang)
    out = []
    for reg in notice.registers:
        out += [("source", r_t(f"source.{s.value}")) for s in reg.sources]
        for pe in reg.purposes:
            if pe.purpose:
                out.append(("purpose", c(f"purpose.{pe.purpose.value}")))
            if pe.basis:
                out.append(("basis", c(f"basis.{pe.basis.value}")))
        out += [("data", c(f"data.{d.value}")) for d in reg.data_categories]
        out += [("subject", c(f"subject.{s.value}")) for s in reg.data_subjects]
        out += [("special", c(f"special_category.{s.value}")) for s in reg.special_categories]
        out += [("security", c(f"security_electronic.{m.value}"))
                for m in reg.security_electronic]
        for use in reg.services:
            if use.catalogue_id:
                from seloste.recipients import resolve

                r = resolve(use, lang)
                out.append(("service", r.name))
                out += [("role", c(f"recipient_role.{role.value}")) for role in r.roles()]
                out += [("transfer", c(f"transfers.basis.{b.value}")) for b in r.transfer_bases]
            elif use.custom is not None:
                out.append(("role", c(f"recipient_role.{use.custom.role.value}")))
                if use.custom.transfer_basis:
                    out.append(("transfer",
                                c(f"transfers.basis.{use.custom.transfer_basis.value}")))
    return out


def xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


CASES = [(name, lang) for name in [*NAMES, "rich"] for lang in LANGS]


def _notice(name: str) -> Notice:
    return rich_notice() if name == "rich" else load_example(name)


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang.value}" for n, lang in CASES])
def test_xlsx_has_one_row_per_register_and_purpose_and_every_answer(name: str, lang: Lang
                                                                    ) -> None:
    notice = _notice(name)
    rows = xlsx_rows(render_record_xlsx(notice, lang))
    t = Texts("seloste.record.texts", lang)
    assert rows[0] == [t(f"column.{k}") for k in COLUMNS]
    body = rows[1:]
    assert len(body) == sum(max(1, len(r.purposes)) for r in notice.registers)
    register_col, purpose_col = COLUMNS.index("register"), COLUMNS.index("purpose")
    names = [rf.name for rf in notice_facts(notice, lang).registers]
    for reg, reg_name in zip(notice.registers, names, strict=True):
        mine = [row for row in body if row[register_col] == reg_name]
        assert len(mine) == len(reg.purposes)
        assert {row[purpose_col] for row in mine} == {
            ": ".join(x for x in (Texts("seloste.clauses", lang)(f"purpose.{p.purpose.value}")
                                  if p.purpose else "", p.description.pick(lang)) if x)
            for p in reg.purposes}
    cells = "\n".join(v for row in body for v in row)
    missing = [(w, v) for w, v in record_strings(notice, lang) + key_strings(notice, lang)
               if v not in cells]
    assert not missing, missing


@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang.value}" for n, lang in CASES])
def test_docx_has_every_answer_a4_and_the_language(name: str, lang: Lang) -> None:
    notice = _notice(name)
    data = render_record_docx(notice, lang)
    text = docx_text(data)
    missing = [(w, v) for w, v in record_strings(notice, lang) + key_strings(notice, lang)
               if v not in text]
    assert not missing, missing
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    tag = {Lang.fi: "fi-FI", Lang.sv: "sv-FI", Lang.en: "en-GB"}[lang]
    assert document.core_properties.language == tag
    assert tag in document.styles.element.xml
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert document.paragraphs[0].text == build_record(notice, lang).title
    assert headings == [Texts("seloste.record.texts", lang)("controller_section"),
                            *(rf.name for rf in notice_facts(notice, lang).registers)]


def test_record_only_answers_are_in_the_record_and_never_in_the_notice() -> None:
    notice = rich_notice()
    secret = notice.registers[0].record_access
    assert secret in docx_text(render_record_docx(notice))
    for fmt in Format:
        out = render(notice, fmt)
        text = docx_text(out) if fmt is Format.docx else out.decode()
        assert "kirjanpitäjä" not in text and "Google Drive (EU)" not in text, fmt


def test_a_purpose_without_basis_and_a_register_without_purposes_still_make_rows() -> None:
    notice = load_example("keinuma").model_copy(deep=True)
    notice.registers[0].purposes[0].basis = None
    notice.registers[1].purposes = []
    record = build_record(notice, "en")
    assert record.rows[0]["basis"] == "legal basis missing"
    assert [r["register"] for r in record.rows].count(notice.registers[1].name.pick("en")) == 1
    assert "Rekisteri" not in record.rows[0]["register"]


def test_hostile_text_reads_back_exactly() -> None:
    notice = hostile_notice()
    name = notice.controller.name
    cells = "\n".join(v for row in xlsx_rows(render_record_xlsx(notice)) for v in row)
    assert name in cells
    assert name in docx_text(render_record_docx(notice))


def test_same_draft_same_bytes_and_cli_equals_library(tmp_path: Path) -> None:
    notice = rich_notice()
    draft = tmp_path / "draft.json"
    from seloste.draft_file import dump_draft

    draft.write_text(dump_draft(notice), encoding="utf-8")
    for fmt, fn in (("xlsx", render_record_xlsx), ("docx", render_record_docx)):
        assert fn(notice) == fn(notice)
        out = tmp_path / f"record.{fmt}"
        proc = subprocess.run([sys.executable, "-m", "seloste.cli", "record", str(draft),
                               "--format", fmt, "--lang", "sv", "-o", str(out)],
                              capture_output=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes() == fn(notice, "sv")


def test_cli_bad_draft_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"controller": {"email": "not an email"}}', encoding="utf-8")
    out = tmp_path / "record.xlsx"
    proc = subprocess.run([sys.executable, "-m", "seloste.cli", "record", str(bad), "-o",
                           str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert "controller.email" in proc.stderr
    assert not out.exists()


def test_texts_complete_in_every_language() -> None:
    assert missing_ids("seloste.record.texts") == {}


def test_sources_in_the_third_person() -> None:
    """The notice says "sinulta itseltäsi"; the record describes the data subject."""
    row = build_record(load_example("keinuma"), "fi").rows[0]
    assert row["sources"].startswith("rekisteröidyltä itseltään")
    assert "sinulta" not in row["sources"]


def test_basis_words_match_the_notice() -> None:
    """The record says the same legal basis as the notice (one clause library)."""
    notice = load_example("keinuma")
    row = build_record(notice, "fi").rows[0]
    assert row["basis"] == Texts("seloste.clauses", "fi")(f"basis.{LegalBasis.contract.value}")


def test_record_tables_share_the_notices_table_writer() -> None:
    """Label-and-answer tables with the label bold, purpose tables with a bold header row that
    repeats on each page, in the notice's grid style; the document stays valid (sectPr last)."""
    data = render_record_docx(load_example("keinuma"), "fi")
    document = docx.Document(io.BytesIO(data))
    controller, purposes = document.tables[0], document.tables[1]
    label, answer = controller.rows[0].cells
    assert label.paragraphs[0].runs[0].bold and not answer.paragraphs[0].runs[0].bold
    assert all(c.paragraphs[0].runs[0].bold for c in purposes.rows[0].cells)
    assert not purposes.rows[1].cells[0].paragraphs[0].runs[0].bold
    # one repeating header per register's purpose table (each register: purposes, details)
    assert document.element.xml.count("<w:tblHeader/>") == (len(document.tables) - 1) // 2 > 0
    assert {t.style.name for t in document.tables} == {"Table Grid"}
    assert document.element.body[-1].tag.endswith("}sectPr")
