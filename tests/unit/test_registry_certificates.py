"""Certificates: signed JSON (Ed25519) that `shifan certificate verify` checks offline; one altered
character, another key or a second spelling of the signature fails."""
import io
import json
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.registry.cli import certificate_verify
from services.registry.dependencies import Signer
from shared.certificates import (CertificateInvalid, canonical_json, ensure_registry_key, load_private_key,
                                 load_public_key, loads, public_key_pem, sign, verify)

from test_registry import certified

KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def document(registry) -> dict:
    unit = certified(registry, unit_name="成都蜀锦电子商务有限公司", round_label="2026-1")
    return sign(registry.certificate(unit.id), KEY)


def test_the_certificate_names_the_title_program_round_number_and_dates(registry):
    unit = certified(registry, round_label="2026-1")

    content = registry.certificate(unit.id)

    assert content["format"] == "shifan.certificate.v1"
    assert (content["certificate_no"], content["title"]) == ("SCDS-2026-00001", "四川省电子商务示范企业")
    assert (content["program_id"], content["round_label"]) == ("sichuan-ecommerce-demo", "2026-1")
    assert (content["valid_from"], content["rereview_due"], content["issued_on"]) == (
        "2026-12-15", "2028-12-15", "2026-12-15")
    assert all(isinstance(v, str) or v is None for v in content.values())


def test_a_signed_certificate_verifies_with_the_registrys_public_key(document):
    assert verify(loads(canonical_json(document)), KEY.public_key())["certificate_no"] == "SCDS-2026-00001"


def test_a_certificate_whose_json_is_altered_by_one_character_fails_verification(document):
    text = canonical_json(document).decode("utf-8")
    accepted = []

    for i, original in enumerate(text):
        for replacement in {"x" if original != "x" else "y", "1" if original != "1" else "2", "電" if original != "電" else "电"}:
            altered = text[:i] + replacement + text[i + 1:]
            try:
                verify(loads(altered), KEY.public_key())
                accepted.append((i, original, replacement))
            except CertificateInvalid:
                pass

    assert len(text) > 300
    assert accepted == []


def test_changing_one_character_of_the_unit_name_fails_verification(document):
    text = canonical_json(document).decode("utf-8").replace("成都蜀锦电子商务", "成都蜀锦電子商务")

    with pytest.raises(CertificateInvalid, match="altered"):
        verify(loads(text), KEY.public_key())


def test_a_second_spelling_of_the_same_signature_bytes_fails(document):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    value = document["signature"]["value"]
    last = alphabet.index(value[-1])
    twin = next(c for i, c in enumerate(alphabet) if i >> 4 == last >> 4 and i != last)  # same 2 data bits
    respelled = {**document, "signature": {**document["signature"], "value": value[:-1] + twin}}

    with pytest.raises(CertificateInvalid, match="canonical"):
        verify(respelled, KEY.public_key())


def test_a_certificate_signed_with_another_key_fails(document):
    other = Ed25519PrivateKey.generate()
    forged = sign(document["certificate"], other)
    forged["signature"]["key_id"] = document["signature"]["key_id"]

    with pytest.raises(CertificateInvalid):
        verify(forged, KEY.public_key())
    with pytest.raises(CertificateInvalid, match="signed with key"):
        verify(sign(document["certificate"], other), KEY.public_key())


def test_a_duplicated_member_or_extra_member_is_not_a_certificate(document):
    text = canonical_json(document).decode("utf-8")

    with pytest.raises(CertificateInvalid):
        loads(text[:-1] + ',"certificate":{}}')
    with pytest.raises(CertificateInvalid):
        verify({**document, "comment": "ok"}, KEY.public_key())


def test_the_same_content_is_signed_to_the_same_bytes_every_time(registry):
    unit = certified(registry)

    assert canonical_json(sign(registry.certificate(unit.id), KEY)) == canonical_json(sign(registry.certificate(unit.id), KEY))


def test_a_confirmation_issues_a_new_edition_with_the_next_due_date(registry):
    unit = certified(registry)
    registry.request_due_rereviews(date(2028, 12, 15), [unit.id])
    from test_registry_lifecycle import concluded, follow

    follow(registry, concluded(unit.id, "confirm", date(2028, 12, 20)))

    content = registry.certificate(unit.id)
    assert (content["rereview_due"], content["issued_on"], content["valid_from"]) == (
        "2030-12-20", "2028-12-20", "2026-12-15")


# -- keys and the command ---------------------------------------------------------------------
def test_the_local_registry_key_is_made_once_and_reused(tmp_path):
    first = ensure_registry_key(tmp_path)
    key = load_private_key(first).public_key()

    assert ensure_registry_key(tmp_path) == first
    assert public_key_pem(load_private_key(first).public_key()) == public_key_pem(key)
    assert oct(first.stat().st_mode & 0o777) == "0o600"
    assert public_key_pem(load_public_key(first.with_name("certificate.pub.pem"))) == public_key_pem(key)


def test_certificate_verify_exits_0_for_a_good_file_1_for_an_altered_one_2_for_an_unreadable_one(document, tmp_path):
    signer = Signer(KEY)
    key_json = tmp_path / "certificate-key.json"
    key_json.write_text(json.dumps(signer.describe()))
    key_pem = tmp_path / "registry.pub.pem"
    key_pem.write_text(signer.describe()["pem"])
    good = tmp_path / "good.json"
    good.write_bytes(canonical_json(document))
    altered = tmp_path / "altered.json"
    altered.write_bytes(canonical_json(document).replace(b"2028-12-15", b"2029-12-15"))
    out = io.StringIO()

    assert certificate_verify(str(good), str(key_json), out) == 0
    assert certificate_verify(str(good), str(key_pem), out) == 0
    assert certificate_verify(str(altered), str(key_pem), out) == 1
    assert certificate_verify(str(tmp_path / "missing.json"), str(key_pem), out) == 2
    assert certificate_verify(str(good), str(tmp_path / "missing.pem"), out) == 2
    text = out.getvalue()
    assert "the signature is valid" in text and "SCDS-2026-00001" in text and "NOT VALID" in text
    assert load_public_key(key_json) is not None
