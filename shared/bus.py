"""Broker housekeeping for a fresh run of the stack (demo and tests): drop the followers' queues."""
from __future__ import annotations

from kombu import Connection


def follower_queues() -> list[str]:
    from shared.runner import SERVICES, service_class

    names = []
    for service in SERVICES:
        provider = service_class(service).app
        names += [f"{service}.follows.{upstream}" for upstream in provider.follows]
    return names


def drop_follower_queues(amqp_uri: str) -> None:
    """Old messages describe old stores: a run on fresh stores starts with fresh queues."""
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        for name in follower_queues():
            channel.queue_delete(name)
