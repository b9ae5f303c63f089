"""schemathesis against each running service's OpenAPI document (GET /openapi.json), with a token
of a role each endpoint allows: no server error, every response as documented (status, content
type, body schema), and data the document calls invalid refused with a 4xx."""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.checks import (content_type_conformance, negative_data_rejection, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from shared.samples import credit_code
from support import SERVICE_NAMES

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("SHIFAN_FUZZ_EXAMPLES", "8"))  # per operation and mode
PREFERRED = ("operator", "applicant", "expert", "recommender", "auditor", "agency", "coordinator", "ministry",
             "public")
SCOPES = {"applicant": credit_code("510703", 1), "expert": "E001", "recommender": "510700",
          "agency": "market-regulation", "ministry": "ndrc"}
CHECKS = {GenerationMode.POSITIVE: [not_a_server_error, status_code_conformance, content_type_conformance,
                                    response_schema_conformance],
          GenerationMode.NEGATIVE: [not_a_server_error, negative_data_rejection, content_type_conformance]}


def headers_for(stack, roles: list[str]) -> dict:
    role = next(r for r in PREFERRED if r in roles)
    return {} if role == "public" else stack.headers(role, SCOPES.get(role))


def known_ids(stack) -> dict:
    """Ids of objects that exist, so that generated requests also reach past the 404s."""
    return {"round_id": stack.fixtures["round_id"], "application_id": stack.fixtures["application_id"],
            "expert_id": "E001", "recommender": "510700", "unit_type": "enterprise",
            "program_id": "sichuan-ecommerce-demo"}


def fuzz(stack, service: str) -> tuple[int, list[str]]:
    """Runs every operation of the service in both modes; returns (cases sent, failures)."""
    schema = schemathesis.openapi.from_url(stack.url(service) + "/openapi.json")
    sent, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = headers_for(stack, operation.definition.raw.get("x-roles", ["public"]))
        known = {name: value for name, value in known_ids(stack).items()
                 if "{" + name + "}" in operation.path}
        runs = [(mode, {}) for mode in CHECKS] + ([(GenerationMode.POSITIVE, known)] if known else [])
        for mode, path_parameters in runs:
            checks = CHECKS[mode]
            if mode == GenerationMode.NEGATIVE and not operation.body and not operation.query:
                continue  # nothing to make invalid but the path, whose ids are strings

            @settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.generate], database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters or None))
            def run(case):
                nonlocal sent
                sent += 1
                # A negative case may leave the token out on purpose: then it goes without one.
                token = headers if mode == GenerationMode.POSITIVE or "Authorization" in (case.headers or {}) else {}
                response = case.call(base_url=stack.url(service), headers=token, timeout=30)
                case.validate_response(response, checks=checks)

            try:
                run()
            except (AssertionError, FailureGroup) as exc:  # a check failed: the message shows the request
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")
    return sent, failures


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_every_documented_operation_survives_generated_requests(target, service):
    sent, failures = fuzz(target, service)

    print(f"{service}: {sent} schemathesis cases")
    print("\n\n".join(failures))
    assert sent > 0
    assert not failures, f"{len(failures)} operation(s) failed; their requests and responses are printed above"
