"""Two instances of the review service on one store: they share the upstream queue, neither
applies an event twice or out of order, and only one of them publishes the review log at a time;
when that one dies, the other takes over and nothing is lost. On SQLite files and on PostgreSQL."""
import requests
from kombu import Connection, Queue

import pytest
from shared.messaging.relay import events_exchange

from support import feed, free_port, get, health, open_round, post, register_experts, submit, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.stores]
CHENGDU = "510104"  # Chengdu's recommendations are not limited by a quota


def test_two_review_instances_share_the_work_and_one_relay_publishes(stack, amqp_uri):
    stack.start_instance("review", "review-2", free_port())
    instances = ("review", "review-2")
    operator, city = stack.headers("operator"), stack.headers("recommender", "510100")
    apps = stack.url("applications")

    with Connection(amqp_uri) as connection:
        # a witness queue on the review exchange, bound before the first review event: every
        # message the review relays publish
        witness = Queue("test.witness.review", exchange=events_exchange("review"), routing_key="#",
                        durable=False, auto_delete=False)
        witness(connection.default_channel).declare()
        witness(connection.default_channel).purge()
        register_experts(stack, "E001", "E002")
        round_id = open_round(stack)

        roles = wait_for("one relay publishing", lambda: _roles(stack, instances) if "publishing" in _roles(stack, instances).values() else None)
        assert sorted(roles.values()) == ["publishing", "standby"], roles

        # when twelve applications are recommended: both instances take from the same queue
        first = [submit(stack, n, round_id, region=CHENGDU) for n in range(1, 13)]
        for application_id in first:
            post(f"{apps}/applications/{application_id}/recommend", {}, headers=city)
        upstream_head = health(stack, "applications")["last_notification_id"]
        wait_for("both instances caught up", lambda: all(
            health(stack, name)["follows"]["applications"] == upstream_head for name in instances))

        # then each application has exactly one review, the same whichever instance is asked
        for application_id in first:
            ids = {get(f"{stack.url(name)}/applications/{application_id}/review", headers=operator)["id"]
                   for name in instances}
            assert len(ids) == 1
        log = feed(stack, "review", operator)
        assert sum(e["type"] == "shifan.review.review_opened.v1" for e in log) == len(first)
        processed = [c["processed"] for name in instances for c in health(stack, name)["components"]
                     if c["name"] == "follower review <- applications"]
        assert all(p > 0 for p in processed), processed  # both did part of the work

        # and the one publishing relay sent each event of the log once, in order
        wait_for("relay caught up", lambda: _relayed(stack, instances))
        published = _drain(connection, witness)
        assert published == [e["id"] for e in log]

        # when the publishing instance dies, the other takes over and publishes what follows
        publisher = next(name for name, role in _roles(stack, instances).items() if role == "publishing")
        survivor = next(name for name in instances if name != publisher)
        stack.kill(publisher)
        more = [submit(stack, n, round_id, region=CHENGDU) for n in range(13, 16)]
        for application_id in more:
            post(f"{apps}/applications/{application_id}/recommend", {}, headers=city)
        wait_for("the survivor publishes", lambda: health(stack, survivor)["relay_role"] == "publishing")
        for application_id in more:
            wait_for("review opened", lambda: requests.get(
                f"{stack.url(survivor)}/applications/{application_id}/review", headers=operator, timeout=5).ok)
        wait_for("relay caught up", lambda: _relayed(stack, (survivor,)))
        log = feed(stack, survivor, operator)
        published += _drain(connection, witness)
        assert set(published) == {e["id"] for e in log}  # nothing lost
        assert sorted(set(published), key=_n) == [e["id"] for e in log]
        witness(connection.default_channel).delete()


def _roles(stack, instances) -> dict:
    return {name: health(stack, name)["relay_role"] for name in instances}


def _relayed(stack, instances) -> bool:
    states = [health(stack, name) for name in instances]
    return all(s["relay_position"] == s["last_notification_id"] for s in states)


def _drain(connection, queue) -> list:
    """The ids of every message waiting on the witness queue, in arrival order."""
    ids = []
    channel = connection.default_channel
    while (message := queue(channel).get(no_ack=True)) is not None:
        ids.append(message.properties.get("message_id") or message.headers.get("id"))
    return ids


def _n(event_id: str) -> int:
    return int(event_id.rsplit(":", 1)[1])
