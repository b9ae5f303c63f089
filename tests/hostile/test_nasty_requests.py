"""A corpus of hostile requests against the running services: each gets a 4xx whose body names the
problem, and no service's store grows (its last notification id is unchanged)."""
from __future__ import annotations

import json

import pytest
import requests

from shared.samples import credit_code
from support import SERVICE_NAMES, application, health

pytestmark = pytest.mark.e2e

LIMIT = 1024 * 1024  # MAX_REQUEST_BYTES by default
APPLICANT = credit_code("510703", 1)


def good_draft(stack) -> dict:
    return application(1, round_id=stack.fixtures["round_id"])


def as_json(body) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def with_figure(stack, value) -> bytes:
    """A draft whose registered capital is `value`, spliced in as raw JSON text."""
    return as_json({**good_draft(stack), "figures": {"registered_capital": "@"}}).replace(b'"@"', value)


# label -> (service, method, path, role and scope, body (a function of the stack), content type,
#           expected status, a word the error body must contain)
DRAFT = ("applications", "POST", "/applications", ("applicant", APPLICANT))
ROUND = ("applications", "POST", "/rounds", ("operator", None))
EXPERT = ("review", "POST", "/experts", ("operator", None))
JSON = "application/json"
CASES = {
    "a body over the limit": (*DRAFT, lambda s: b'{"unit_name": "' + b"x" * LIMIT + b'"}', JSON, 413, "limit"),
    "a body over the limit, to the public": ("review", "POST", "/notices/00000000-0000-0000-0000-000000000000/objections",
                                             (None, None), lambda s: b" " * (LIMIT + 1), JSON, 413, "limit"),
    "deeply nested arrays": (*DRAFT, lambda s: b'{"unit_name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", JSON,
                             400, "nests deeper"),
    "deeply nested objects": (*DRAFT, lambda s: b'{"a":' * 50 + b"1" + b"}" * 50, JSON, 400, "nests deeper"),
    "GBK bytes": (*DRAFT, lambda s: json.dumps(good_draft(s), ensure_ascii=False).encode("gbk"), JSON, 400, "UTF-8"),
    "a byte-order mark": (*DRAFT, lambda s: b"\xef\xbb\xbf" + as_json(good_draft(s)), JSON, 400, "byte-order mark"),
    "a NUL in a name": (*DRAFT, lambda s: as_json({**good_draft(s), "unit_name": "示范\u0000公司"}), JSON, 400,
                        "unit_name"),
    "an escape sequence in a name": (*DRAFT, lambda s: as_json({**good_draft(s), "unit_name": "\u001b[2J示范公司"}),
                                     JSON, 400, "control character"),
    "a raw control character": (*DRAFT, lambda s: as_json(good_draft(s)).replace("示范".encode(), b"\x07", 1), JSON,
                                400, "_body"),
    "a lone surrogate": (*DRAFT, lambda s: as_json(good_draft(s)).replace("示范".encode(), b"\\ud800", 1), JSON, 400,
                         "surrogate"),
    "a control character in a key": (*DRAFT, lambda s: as_json({**good_draft(s), "figures": {"a\u0001": 1}}), JSON,
                                      400, "control character"),
    "an integer of 400 digits": (*DRAFT, lambda s: with_figure(s, b"9" * 400), JSON, 400, "digits"),
    "an integer of 5000 digits": (*DRAFT, lambda s: with_figure(s, b"9" * 5000), JSON, 400, "digits"),
    "a figure beyond any threshold": (*DRAFT, lambda s: with_figure(s, str(10 ** 18).encode()), JSON, 400, "figures"),
    "a decimal string beyond any threshold": (*DRAFT, lambda s: with_figure(s, b'"1e999999"'), JSON, 400, "figures"),
    "a float overflowing to infinity": (*DRAFT, lambda s: with_figure(s, b"1e400"), JSON, 400, "out of range"),
    "NaN": (*DRAFT, lambda s: with_figure(s, b"NaN"), JSON, 400, "NaN"),
    "Infinity": (*DRAFT, lambda s: with_figure(s, b"Infinity"), JSON, 400, "Infinity"),
    "-Infinity": (*DRAFT, lambda s: with_figure(s, b"-Infinity"), JSON, 400, "Infinity"),
    "a quota raised by a million": ("applications", "POST", "/rounds/{round_id}/quotas/510700/enterprise/raise",
                                    ("operator", None), lambda s: as_json({"extra": 10 ** 6, "reason": "特殊情况说明"}),
                                    JSON, 400, "extra"),
    "a deadline in year 9999": (*ROUND, lambda s: as_json({"program_id": "sichuan-ecommerce-demo", "label": "far",
                                                           "submission_deadline": "9999-12-31"}), JSON, 400,
                                "submission_deadline"),
    "a deadline in year 1": (*ROUND, lambda s: as_json({"program_id": "sichuan-ecommerce-demo", "label": "early",
                                                        "submission_deadline": "0001-01-01"}), JSON, 400,
                             "submission_deadline"),
    "a deadline on 45 Thirteenember": (*ROUND, lambda s: as_json({"program_id": "sichuan-ecommerce-demo", "label": "x",
                                                                  "submission_deadline": "2026-13-45"}), JSON, 400,
                                       "submission_deadline"),
    "SQL as a credit code": (*DRAFT, lambda s: as_json({**good_draft(s), "credit_code": "' OR '1'='1' --"}), JSON, 400,
                             "credit_code"),
    "SQL as a region": (*DRAFT, lambda s: as_json({**good_draft(s), "region_code": "510703'; DROP TABLE stored_events;--"}),
                        JSON, 400, "region_code"),
    "a template as a round label": (*ROUND, lambda s: as_json({"program_id": "sichuan-ecommerce-demo", "label": "{{7*7}}",
                                                               "submission_deadline": "2026-12-31"}), JSON, 400, "label"),
    "a template as a program": (*ROUND, lambda s: as_json({"program_id": "${jndi:ldap://x/a}", "label": "t1",
                                                           "submission_deadline": "2026-12-31"}), JSON, 400, "program_id"),
    "a path in a program id": (*ROUND, lambda s: as_json({"program_id": "../../etc/passwd", "label": "t2",
                                                          "submission_deadline": "2026-12-31"}), JSON, 400, "program_id"),
    "text/plain": (*DRAFT, lambda s: as_json(good_draft(s)), "text/plain", 415, "Content-Type"),
    "a form": (*DRAFT, lambda s: b"unit_name=x&credit_code=y", "application/x-www-form-urlencoded", 415, "Content-Type"),
    "JSON declared in GBK": (*DRAFT, lambda s: as_json(good_draft(s)), "application/json; charset=gbk", 415,
                             "Content-Type"),
    "no Content-Type": (*DRAFT, lambda s: as_json(good_draft(s)), None, 415, "Content-Type"),
    "a duplicate key": (*DRAFT, lambda s: as_json(good_draft(s))[:-1] + ', "unit_name": "另一个名字"}'.encode(), JSON, 400,
                        "unit_name"),
    "a duplicate nested key": (*EXPERT, lambda s: b'{"expert_id": "E9", "expert_id": "E8", "name": "x", '
                                                  b'"organisation": "xx", "region_code": "510100"}', JSON, 400, "twice"),
    "a JSON array": (*DRAFT, lambda s: b"[1, 2]", JSON, 400, "object"),
    "a JSON string": (*DRAFT, lambda s: b'"hello"', JSON, 400, "object"),
    "null": (*DRAFT, lambda s: b"null", JSON, 400, "object"),
    "truncated JSON": (*DRAFT, lambda s: as_json(good_draft(s))[:-5], JSON, 400, "not valid JSON"),
    "a long name within the size limit": (*DRAFT, lambda s: as_json({**good_draft(s), "unit_name": "长" * 200_000}),
                                          JSON, 400, "unit_name"),
    "a mass-assigned status": (*DRAFT, lambda s: as_json({**good_draft(s), "status": "recommended"}), JSON, 400, "status"),
    "an amendment naming its recommender": ("applications", "PATCH", "/applications/{application_id}",
                                            ("applicant", APPLICANT), lambda s: as_json({"recommender": "510100"}),
                                            JSON, 400, "recommender"),
    "an expert id with a script": (*EXPERT, lambda s: as_json({"expert_id": "<script>alert(1)</script>", "name": "x",
                                                               "organisation": "xx", "region_code": "510100"}), JSON, 400,
                                   "expert_id"),
    "a subscription to a template URL": ("notify", "POST", "/subscriptions", ("agency", "market-regulation"),
                                         lambda s: as_json({"channel": "webhook", "url": "x" * 600, "events": ["#"]}),
                                         JSON, 400, "url"),
}


def stores(stack) -> dict:
    return {service: health(stack, service)["last_notification_id"] for service in SERVICE_NAMES}


def send(stack, service, method, path, who, body, content_type):
    role, scope = who
    headers = stack.headers(role, scope) if role else {}
    if content_type:
        headers["Content-Type"] = content_type
    url = stack.url(service) + path.format(**stack.fixtures)
    return requests.request(method, url, data=body, headers=headers, timeout=30)


@pytest.mark.parametrize("label", list(CASES))
def test_a_hostile_request_gets_a_4xx_naming_the_problem_and_writes_nothing(target, label):
    service, method, path, who, body, content_type, status, named = CASES[label]
    before = stores(target)

    response = send(target, service, method, path, who, body(target), content_type)

    assert response.status_code == status, (label, response.status_code, response.text[:500])
    error = response.json()
    assert error["error"] and error["message"], label
    assert named in json.dumps(error, ensure_ascii=False), (label, error)
    assert stores(target) == before, label


def test_a_chunked_body_is_not_read_and_gets_411(target):
    """Without a declared length the body could be endless: it is refused unread."""
    before = stores(target)
    chunks = (b'{"unit_name": "' if i == 0 else b"x" * 65536 for i in range(20))  # 1.25 MiB, no length declared

    response = requests.post(target.url("applications") + "/applications", data=chunks, timeout=30,
                             headers={**target.headers("applicant", APPLICANT), "Content-Type": JSON})

    assert response.status_code == 411, response.text[:300]
    assert "Content-Length" in response.json()["fields"]
    assert stores(target) == before


@pytest.mark.parametrize("query, field", [
    ({"offset": str(10 ** 30)}, "offset"), ({"limit": "-1"}, "limit"), ({"limit": "NaN"}, "limit"),
    ({"as_of": "0001-01-01"}, "as_of"), ({"as_of": "99999-01-01"}, "as_of"), ({"sort": "unit_name; DROP TABLE spans"}, "sort"),
    ({"status": "revoked' OR '1'='1"}, "status"), ({"is_admin": "1"}, "is_admin"),
])
def test_a_hostile_query_gets_400_naming_the_argument(target, query, field):
    response = requests.get(target.url("registry") + "/units", params=query, timeout=10)

    assert response.status_code == 400, (query, response.text[:300])
    assert field in response.json()["fields"], response.json()


def test_sql_and_template_text_in_free_text_is_kept_as_text_and_matches_nothing_more(target):
    """A name may hold quotes and braces: it is stored and shown as given, and searching for such
    text finds only what contains it literally (nothing is evaluated)."""
    name = "Robert'); DROP TABLE stored_events;-- {{7*7}} ${7*7} 示范"
    body = {**application(2, round_id=target.fixtures["round_id"]), "unit_name": name}
    created = requests.post(target.url("applications") + "/applications", json=body, timeout=10,
                            headers=target.headers("applicant", credit_code("510703", 2)))
    assert created.status_code == 201, created.text
    assert created.json()["unit_name"] == name

    for q in ("%' OR '1'='1", "%", "_", "{{7*7}}", "49"):
        found = requests.get(target.url("registry") + "/units", params={"q": q, "status": "any"}, timeout=10)
        assert found.status_code == 200 and found.json()["total"] == 0, (q, found.text[:300])
