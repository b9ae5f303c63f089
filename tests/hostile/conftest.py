"""A running stack per hostile-input module (the corpus, the schemathesis run), with a round, an
expert and a draft application to aim at; stopped when the module ends, so that no later test
shares its follower queues."""
import pytest

from shared.samples import credit_code
from support import application, new_stack, open_round, post, register_experts, settled, wait_for


@pytest.fixture(scope="module")
def target(tmp_path_factory, amqp_uri):
    stack, clock = new_stack(tmp_path_factory.mktemp("hostile"), amqp_uri)
    stack.clock = clock
    stack.start()
    try:
        round_id = open_round(stack)
        register_experts(stack, "E001")
        draft = post(f"{stack.url('applications')}/applications", application(1, round_id=round_id), expect=201,
                     headers=stack.headers("applicant", credit_code("510703", 1)))
        stack.fixtures = {"round_id": round_id, "application_id": draft["id"]}
        wait_for("everything settled", lambda: settled(stack))
        yield stack
    finally:
        stack.stop()
