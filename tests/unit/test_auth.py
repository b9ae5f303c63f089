"""Bearer tokens: what a verifier accepts, what it refuses, and how keys rotate."""
from datetime import datetime, timedelta, timezone

import pytest

from shared.auth import ANONYMOUS, TokenVerifier, generate_keypair, issue_token
from shared.errors import Unauthenticated
from shared.http import JsonHttp


@pytest.fixture
def keys(tmp_path):
    private, _ = generate_keypair(tmp_path / "signing", tmp_path / "public", kid="k1")
    return private, TokenVerifier(tmp_path / "public")


def test_a_token_names_its_role_scope_and_subject(keys):
    private, verifier = keys

    identity = verifier.identify("Bearer " + issue_token(private, "recommender", "510700", subject="clerk-7"))

    assert (identity.role, identity.scope, identity.subject) == ("recommender", "510700", "clerk-7")


def test_no_header_is_the_public(keys):
    assert keys[1].identify(None) == ANONYMOUS


@pytest.mark.parametrize("role, scope", [("applicant", None), ("operator", "510000"), ("mayor", None)])
def test_tokens_are_not_issued_for_a_role_without_its_proper_scope(keys, role, scope):
    with pytest.raises(ValueError):
        issue_token(keys[0], role, scope)


def test_an_expired_token_is_refused(keys):
    private, verifier = keys
    token = issue_token(private, "operator", now=datetime.now(timezone.utc) - timedelta(hours=9))

    with pytest.raises(Unauthenticated, match="expired"):
        verifier.verify(token)


def test_rotation_old_and_new_keys_both_verify_until_the_old_public_key_is_removed(tmp_path, keys):
    old_private, _ = keys
    new_private, _ = generate_keypair(tmp_path / "signing", tmp_path / "public", kid="k2")
    old_token, new_token = issue_token(old_private, "auditor"), issue_token(new_private, "auditor")

    during = TokenVerifier(tmp_path / "public")
    assert during.verify(old_token).role == during.verify(new_token).role == "auditor"

    (tmp_path / "public" / "k1.pub.pem").unlink()
    after = TokenVerifier(tmp_path / "public")
    assert after.verify(new_token).role == "auditor"
    with pytest.raises(Unauthenticated, match="does not know"):
        after.verify(old_token)


def test_a_verifier_without_keys_refuses_to_start(tmp_path):
    with pytest.raises(RuntimeError, match="no token public keys"):
        TokenVerifier(tmp_path)


def test_an_endpoint_must_declare_who_may_call_it():
    with pytest.raises(ValueError, match="roles"):
        JsonHttp("GET", "/x", roles=())
    with pytest.raises(ValueError, match="roles"):
        JsonHttp("GET", "/x", roles={"mayor"})
