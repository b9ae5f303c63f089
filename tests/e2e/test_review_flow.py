"""End to end over RabbitMQ: recommendation to approved list with the expert pool, conflicts of
interest, what an expert may see, and objections to the public notice."""
from datetime import datetime

import pytest
import requests

from support import (CST, Parties, credit_code, get, open_round, post, register_experts, scores, settled, submit,
                     wait_for)

pytestmark = [pytest.mark.e2e, pytest.mark.stores]


def test_from_recommendation_to_approved_list_with_conflicts_privacy_and_an_objection(stack):
    apps, review = stack.url("applications"), stack.url("review")
    who = Parties(stack)
    # given a pool where E009 works for applicant 1, and E001 and E002 are free
    post(f"{review}/experts", {"expert_id": "E009", "name": "专家九", "organisation": "申报企业",
                               "organisation_credit_code": credit_code("510703", 1), "region_code": "510700"},
         expect=201, headers=who.operator)
    register_experts(stack, "E001")
    round_id = open_round(stack)
    first, second = submit(stack, 1, round_id), submit(stack, 2, round_id)
    for application_id in (first, second):
        post(f"{apps}/applications/{application_id}/recommend", {}, headers=who.city)

    # when the reviews open by themselves
    reviews = [wait_for("review open", lambda a=a: _ok(f"{review}/applications/{a}/review", who.operator))
               for a in (first, second)]

    # then application 1's panel leaves out the expert who works for it, and assigning it is refused
    assert "E009" not in reviews[0]["experts"]
    refused = requests.post(f"{review}/reviews/{reviews[1]['id']}/experts", json={"expert_ids": ["E009"]},
                            headers=who.operator)
    assert refused.status_code == 409 or reviews[1]["experts"] == ["E009"]
    # an expert reads only its own reviews, and never the panel or the scores
    mine = next(r for r in reviews if r["experts"] == ["E001"])
    others = [r for r in reviews if r["experts"] != ["E001"]]
    assert requests.get(f"{review}/reviews/{mine['id']}", headers=who.expert).json().keys().isdisjoint(
        {"experts", "scores", "recused"})
    for other in others:
        assert requests.get(f"{review}/reviews/{other['id']}", headers=who.expert).status_code == 404

    # when every assigned expert has scored and the province publishes the notice
    for r in reviews:
        post(f"{review}/reviews/{r['id']}/scores", scores(85), headers=stack.headers("expert", r["experts"][0]))
    notice = post(f"{review}/notices", {"review_ids": [r["id"] for r in reviews]}, expect=201, headers=who.operator)

    # then anyone, without a token, may object during the period
    objection = post(f"{review}/notices/{notice['id']}/objections",
                     {"application_id": first, "name": "王五", "contact": "13900000000",
                      "reason": "该企业近两年有行政处罚记录"}, expect=201)
    assert get(f"{review}/notices/{notice['id']}")["objections_open"] == 1
    # and the notice stays open past its period while the objection is unresolved
    stack.clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=CST))
    late = requests.post(f"{review}/notices/{notice['id']}/objections",
                         json={"application_id": first, "name": "赵六", "contact": "13700000000",
                               "reason": "逾期提出的异议"})
    assert late.status_code == 409 and "2026-12-14" in late.json()["message"]
    assert requests.post(f"{review}/notices/{notice['id']}/close", json={}, headers=who.operator).status_code == 409

    # when the province upholds it, the notice closes by itself without that unit
    post(f"{review}/notices/{notice['id']}/objections/{objection['objection_id']}/resolve",
         {"decision": "upheld", "reason": "经核实存在违法记录"}, headers=who.operator)
    closed = wait_for("notice closed", lambda: (n := get(f"{review}/notices/{notice['id']}"))["status"] == "closed" and n)
    assert [e["application_id"] for e in closed["approved"]] == [second]
    units = wait_for("the registry", lambda: get(f"{stack.url('registry')}/units", application_id=second)["units"])
    assert get(f"{stack.url('registry')}/units", application_id=first)["units"] == []
    assert units[0]["application_id"] == second
    wait_for("everything settled", lambda: settled(stack))


def _ok(url, headers):
    response = requests.get(url, headers=headers, timeout=5)
    return response.json() if response.status_code == 200 else None
