"""An agency's subscriber: catches up from each Shifan service's HTTP feed, then follows its own
RabbitMQ queue, writing every event it is subscribed to once, in order per source (JSON lines).

    python examples/agency_subscriber.py --amqp AMQP_URI --queue agency.NAME --token TOKEN \\
        --feed applications=http://127.0.0.1:8001 --feed review=http://127.0.0.1:8002 ... \\
        --events 'shifan.registry.#' [--out events.jsonl] [--until-idle 5]

Event ids are `<source>:<position>`; positions only grow, so a message at or below the position
already written is a duplicate, and one further on than expected may have been preceded by events
the broker never delivered: those are fetched from the feed first.
"""
from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import time

import requests
from kombu import Connection, Queue


def matches(pattern: str, routing_key: str) -> bool:
    """RabbitMQ topic matching: * is one word, # is zero or more."""
    regex = re.escape(pattern).replace(r"\*", r"[^.]+").replace(r"\#", r".*")
    regex = regex.replace(r"\..*", r"(\..*)?").replace(r".*\.", r"(.*\.)?")
    return re.fullmatch(regex, routing_key) is not None


class Subscriber:
    def __init__(self, feeds: dict[str, str], token: str, patterns: list[str], out):
        self.feeds, self.patterns, self.out = feeds, patterns, out
        self.headers = {"Authorization": f"Bearer {token}"}
        self.positions = {source: 0 for source in feeds}
        self.last_activity = time.monotonic()

    def wanted(self, event: dict) -> bool:
        return any(matches(p, event["type"]) for p in self.patterns)

    def write(self, event: dict) -> None:
        source, position = event["source"], int(event["id"].rsplit(":", 1)[1])
        if position <= self.positions[source]:
            return  # seen already
        self.positions[source] = position
        if self.wanted(event):
            self.out.write(json.dumps({"id": event["id"], "type": event["type"], "subject": event["subject"]},
                                      ensure_ascii=False) + "\n")
            self.out.flush()
        self.last_activity = time.monotonic()

    def catch_up(self, source: str, until: int | None = None) -> None:
        """Everything the source's feed holds after our position (up to `until`)."""
        while until is None or self.positions[source] < until:
            page = requests.get(f"{self.feeds[source]}/events", headers=self.headers, timeout=10,
                                params={"after": self.positions[source], "limit": 500})
            page.raise_for_status()
            body = page.json()
            for event in body["events"]:
                if until is not None and int(event["id"].rsplit(":", 1)[1]) > until:
                    return
                self.write(event)
            if not body["has_more"]:
                return

    def on_message(self, message) -> None:
        body = message.body if isinstance(message.body, str) else message.body.decode("utf-8")
        event = json.loads(body)
        source, position = event["source"], int(event["id"].rsplit(":", 1)[1])
        if source in self.positions and position > self.positions[source]:
            self.catch_up(source, until=position - 1)  # whatever came before it, from the feed
            self.write(event)
        message.ack()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp", required=True)
    parser.add_argument("--queue", required=True)
    parser.add_argument("--token", required=True, help="an agency token for the services' /events feeds")
    parser.add_argument("--feed", action="append", required=True, metavar="SOURCE=URL")
    parser.add_argument("--events", nargs="+", default=["#"], metavar="PATTERN")
    parser.add_argument("--out", help="append JSON lines here (default: standard output)")
    parser.add_argument("--until-idle", type=float, help="stop after this many seconds without a new event")
    args = parser.parse_args(argv)
    feeds = dict(item.split("=", 1) for item in args.feed)
    out = open(args.out, "a", encoding="utf-8") if args.out else sys.stdout
    subscriber = Subscriber(feeds, args.token, args.events, out)
    for source in feeds:
        subscriber.catch_up(source)
    with Connection(args.amqp) as connection:
        queue = Queue(args.queue, no_declare=True)
        with connection.Consumer([queue], on_message=subscriber.on_message, prefetch_count=100):
            while args.until_idle is None or time.monotonic() - subscriber.last_activity < args.until_idle:
                try:
                    connection.drain_events(timeout=1)
                except socket.timeout:
                    continue
    return 0


if __name__ == "__main__":
    sys.exit(main())
