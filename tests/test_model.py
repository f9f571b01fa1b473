"""The model: validators keep canonical values, clean text and refuse what cannot be rendered."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from seloste.errors import translate
from seloste.model import Controller, Notice, PurposeEntry, Register, RetentionRule, ServiceUse
from seloste.vocab import LegalBasis, Purpose


def test_business_id_is_checked_and_formatted() -> None:
    assert Controller(business_id="32994716").business_id == "3299471-6"
    with pytest.raises(ValidationError) as exc:
        Controller(business_id="3299471-7")
    assert exc.value.errors()[0]["type"] == "ytunnus"


def test_email_normalised_and_invalid_refused() -> None:
    assert Controller(email="Heidi@Keinuma.FI").email == "Heidi@keinuma.fi"
    with pytest.raises(ValidationError):
        Controller(email="heidi@")


@pytest.mark.parametrize(("typed", "stored"), [
    ("+358 50 765 4321", "+358 50 765 4321"),   # international stays international
    ("+358507654321", "+358507654321"),
    ("050 765 4321", "050 765 4321"),           # the grouping typed is kept
    ("050 7654321", "050 7654321"),
    ("  050\u00a0765  4321 ", "050 765 4321"),  # only white space is normalised
    ("09 123 4567", "09 123 4567"),
    ("(050) 765-4321", "(050) 765-4321"),
    ("+46 8 123 456 78", "+46 8 123 456 78"),
])
def test_phone_kept_as_typed_and_idempotent(typed: str, stored: str) -> None:
    phone = Controller(phone=typed).phone
    assert phone == stored
    assert Controller(phone=phone).phone == phone


@pytest.mark.parametrize("typed", ["12", "050 12", "puh. 050 765 4321", "050 765 4321 ext 2",
                                   "+358 50 765 43210000", "0800-FLOWERS"])
def test_phone_that_is_not_a_valid_number_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        Controller(phone=typed)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.fi", "http://", "not a url"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(ValidationError):
        Controller(website=url)


def test_bare_domain_becomes_https() -> None:
    assert Controller(website="www.keinuma.fi").website == "https://www.keinuma.fi"


def test_control_characters_removed_and_length_bounded() -> None:
    c = Controller(name="Smith\x00 & \x0bSons\ufffe <Oy>\n")
    assert c.name == "Smith & Sons <Oy>"
    with pytest.raises(ValidationError) as exc:
        Controller(name="x" * 5001)
    assert exc.value.errors()[0]["type"] in ("too_long", "string_too_long")
    assert "5000" in translate(exc.value, "fi")[0].message
    assert Controller(name="x" * 5000).name == "x" * 5000


def test_lone_surrogates_removed() -> None:
    assert Controller(name="a\ud800b").name == "ab"


def test_purpose_needs_a_key_or_text() -> None:
    with pytest.raises(ValidationError):
        PurposeEntry(basis=LegalBasis.consent)
    assert PurposeEntry(purpose=Purpose.newsletter).basis is None


def test_retention_period_needs_number_and_unit() -> None:
    with pytest.raises(ValidationError):
        RetentionRule(amount=6)
    with pytest.raises(ValidationError):
        RetentionRule()


def test_service_use_exactly_one_kind_and_known_id() -> None:
    with pytest.raises(ValidationError):
        ServiceUse()
    with pytest.raises(ValidationError) as exc:
        ServiceUse(catalogue_id="no_such_service")
    assert exc.value.errors()[0]["type"] == "service_unknown"
    assert ServiceUse(catalogue_id="mailchimp").catalogue_id == "mailchimp"


def test_unknown_fields_and_future_schema_refused() -> None:
    with pytest.raises(ValidationError):
        Notice.model_validate({"schema_version": 1, "nonsense": 1})
    with pytest.raises(ValidationError):
        Notice.model_validate({"schema_version": 99})


def test_errors_translated_with_field_path() -> None:
    with pytest.raises(ValidationError) as exc:
        Notice.model_validate({"controller": {"business_id": "123"},
                               "registers": [{"purposes": [{"basis": "consent"}]}]})
    fi = translate(exc.value, "fi")
    sv = translate(exc.value, "sv")
    en = translate(exc.value, "en")
    paths = {e.path for e in fi}
    assert "controller.business_id" in paths
    assert "registers.0.purposes.0" in paths
    assert any("Y-tunnus" in e.message for e in fi)
    assert any("FO-numret" in e.message for e in sv)
    assert any("business ID" in e.message for e in en)


def test_register_bases() -> None:
    reg = Register(purposes=[PurposeEntry(purpose=Purpose.newsletter, basis=LegalBasis.consent),
                             PurposeEntry(purpose=Purpose.bookings)])
    assert reg.bases() == {LegalBasis.consent}


def test_json_schema_is_json() -> None:
    schema = Notice.model_json_schema()
    assert "registers" in json.dumps(schema)
