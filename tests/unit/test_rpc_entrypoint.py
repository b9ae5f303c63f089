"""The services' @rpc entrypoint: a reply the broker cannot take (it went away mid-call) is dropped
and its request acknowledged, where nameko's own entrypoint would kill the whole service."""
from types import SimpleNamespace

import pytest
from kombu.exceptions import OperationalError

from shared.messaging.rpc import Rpc


class BrokerGone:
    """An RpcConsumer whose reply publish fails as it does while the broker stops."""

    def __init__(self):
        self.acked = []
        self.queue_consumer = SimpleNamespace(ack_message=self.acked.append)

    def handle_result(self, message, result, exc_info):
        raise OperationalError("[Errno 111] ECONNREFUSED")


def test_a_reply_the_broker_cannot_take_is_dropped_and_the_request_acknowledged():
    entrypoint = Rpc()
    entrypoint.rpc_consumer = BrokerGone()
    worker = SimpleNamespace(entrypoint=SimpleNamespace(method_name="read_log"))

    assert entrypoint.handle_result("the request", worker, [1, 2], None) == ([1, 2], None)
    assert entrypoint.rpc_consumer.acked == ["the request"]


def test_other_errors_still_escape():
    entrypoint = Rpc()
    entrypoint.rpc_consumer = SimpleNamespace(handle_result=lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        entrypoint.handle_result("the request", None, None, None)


def test_a_request_that_cannot_be_acknowledged_either_does_not_kill_the_service():
    def broken_pipe(message):
        raise BrokenPipeError(32, "Broken pipe")

    entrypoint = Rpc()
    entrypoint.rpc_consumer = BrokerGone()
    entrypoint.rpc_consumer.queue_consumer = SimpleNamespace(ack_message=broken_pipe)
    worker = SimpleNamespace(entrypoint=SimpleNamespace(method_name="read_log"))

    assert entrypoint.handle_result("the request", worker, [1], None) == ([1], None)
