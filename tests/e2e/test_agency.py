"""Agencies follow the public events: a late subscriber catches up from the feeds and then follows
its queue without gaps or duplicates; its RabbitMQ credential reads its own queue and nothing else."""
import json
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import amqp
import pytest
from kombu import Connection, Producer, Queue

from shared.agencies import SERVICES, add_agency
from shared.stack import ROOT
from support import Parties, feed, get, open_round, post, register_experts, scores, settled, submit, wait_for

pytestmark = pytest.mark.e2e


def test_an_agency_subscribing_after_300_events_gets_all_of_them_and_the_later_ones_once_in_order(stack, amqp_uri,
                                                                                                   tmp_path):
    who = Parties(stack)
    pool = ThreadPoolExecutor(max_workers=6)
    register_experts(stack, "E001")
    round_id = open_round(stack)

    def apply(n):
        application_id = submit(stack, n, round_id, region="510104")
        post(f"{stack.url('applications')}/applications/{application_id}/recommend", {},
             headers=stack.headers("recommender", "510100"))
        return application_id

    # given more than 300 events before the agency exists
    first_batch = list(pool.map(apply, range(1, 31)))
    wait_for("everything settled", lambda: settled(stack))
    before = sum(len(feed(stack, s)) for s in SERVICES)
    assert before >= 300

    # when the agency is added and its subscriber starts, while more events happen
    name = f"stats-{uuid.uuid4().hex[:8]}"
    access = add_agency(name, ["#"], amqp_uri)
    out = tmp_path / "agency.jsonl"
    feeds = [arg for s in SERVICES for arg in ("--feed", f"{s}={stack.url(s)}")]
    subscriber = subprocess.Popen([sys.executable, str(ROOT / "examples" / "agency_subscriber.py"),
                                   "--amqp", access.amqp_uri, "--queue", access.queue,
                                   "--token", stack.token("agency", name), *feeds, "--out", str(out),
                                   "--until-idle", "4"], cwd=ROOT)
    try:
        reviews = [wait_for("review", lambda a=a: get(f"{stack.url('review')}/applications/{a}/review",
                                                      headers=who.operator)) for a in first_batch[:10]]
        list(pool.map(lambda r: post(f"{stack.url('review')}/reviews/{r['id']}/scores", scores(80),
                                     headers=who.expert), reviews))
        list(pool.map(apply, range(31, 41)))
        wait_for("everything settled", lambda: settled(stack))
        assert subscriber.wait(timeout=120) == 0
    finally:
        subscriber.kill()

    # then it wrote every event of every service exactly once, in order per source
    written = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    for source in SERVICES:
        expected = [e["id"] for e in feed(stack, source)]
        assert [i for i in written if i.startswith(f"{source}:")] == expected, source
    assert len(written) == len(set(written)) > before


def test_an_agency_credential_reads_its_own_queue_but_cannot_publish_or_read_another(stack, amqp_uri):
    access = add_agency(f"credit-{uuid.uuid4().hex[:8]}", ["shifan.registry.#"], amqp_uri)

    with Connection(access.amqp_uri) as connection:
        Queue(access.queue, no_declare=True)(connection.channel()).get()  # allowed: nothing raised

    with Connection(access.amqp_uri) as connection:
        with pytest.raises(amqp.exceptions.AccessRefused):
            channel = connection.channel()
            Producer(channel, auto_declare=False).publish(b"{}", exchange="registry.events",
                                                          routing_key="shifan.registry.unit_certified.v1")
            channel.basic_qos(0, 1, False)  # a round trip: the refusal arrives as the channel's close

    with Connection(access.amqp_uri) as connection:
        with pytest.raises(amqp.exceptions.AccessRefused):
            Queue("review.follows.applications", no_declare=True)(connection.channel()).get()
