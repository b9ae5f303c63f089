"""Identity failures get 401 and change nothing; personal data is encrypted at rest and shown only
to the parties who handle the application."""
from datetime import datetime, timedelta, timezone

import jwt
import pytest
import requests

from shared.auth import generate_keypair, issue_token
from support import Parties, application, get, health, open_round, post, settled, submit, wait_for

pytestmark = pytest.mark.e2e


def test_a_missing_expired_foreign_or_malformed_token_gets_401_and_writes_nothing(stack, tmp_path):
    apps = stack.url("applications")
    credit_code = application(1)["credit_code"]
    foreign_key, _ = generate_keypair(tmp_path / "elsewhere", tmp_path / "elsewhere-pub", kid="local")
    long_ago = datetime.now(timezone.utc) - timedelta(days=2)
    tokens = {
        "missing": None,
        "expired": issue_token(stack.keys.signing_key, "applicant", credit_code, now=long_ago),
        "signed with another key": issue_token(foreign_key, "applicant", credit_code),
        "malformed": "not.a.token",
        "unsigned": jwt.encode({"iss": "shifan", "sub": "x", "role": "operator"}, key=None, algorithm="none"),
    }
    before = health(stack, "applications")["last_notification_id"]

    for label, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(f"{apps}/applications", json=application(1), headers=headers)
        assert response.status_code == 401, (label, response.text)
        assert response.json()["error"] == "unauthenticated", label
    assert requests.post(f"{apps}/applications", json=application(1),
                         headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401
    assert health(stack, "applications")["last_notification_id"] == before


def test_an_applicant_cannot_apply_for_another_unit(stack):
    response = requests.post(f"{stack.url('applications')}/applications",
                             json=application(2, round_id=open_round(stack)), headers=Parties(stack).applicant(1))

    assert response.status_code == 403
    assert "credit_code" in response.json()["fields"]


def test_contact_details_are_shown_to_the_handling_parties_only_and_never_stored_in_clear(stack):
    apps, registry = stack.url("applications"), stack.url("registry")
    who = Parties(stack)
    contact = application(7)["contact"]
    application_id = submit(stack, 7, open_round(stack))
    post(f"{apps}/applications/{application_id}/recommend", {}, headers=who.city)

    for headers in (who.applicant(7), who.city, who.operator, who.auditor):
        assert get(f"{apps}/applications/{application_id}", headers=headers)["contact"] == contact
    wait_for("everything settled", lambda: settled(stack))
    history = get(f"{apps}/applications/{application_id}/history", headers=who.auditor)
    assert contact["phone"] not in str(history) and contact["name"] not in str(history)
    assert contact["phone"] not in requests.get(f"{registry}/units").text

    files = sorted(stack.var_dir.glob("*.sqlite*"))  # the stores with their -wal and -shm files
    assert {f.name.split(".")[0] for f in files} == {"applications", "review", "registry", "notify"}
    for path in files:
        raw = path.read_bytes()
        for value in (contact["name"], contact["phone"], application(7)["unit_name"]):
            assert value.encode("utf-8") not in raw, (path.name, value)
