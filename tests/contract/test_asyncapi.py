"""asyncapi.yaml: every published type on its exchange and routing key, with its payload schema,
and the committed file is the one the contracts generate."""
import yaml

from shared.contracts import CONTRACTS
from shared.contracts.asyncapi import DOCUMENT, render


def test_the_committed_asyncapi_document_is_the_one_the_contracts_generate():
    assert DOCUMENT.read_text(encoding="utf-8") == render(), "run `shifan contracts asyncapi --write`"


def test_every_public_type_has_a_channel_on_its_services_exchange_and_a_payload_schema():
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    schemas, messages = document["components"]["schemas"], document["components"]["messages"]

    assert document["asyncapi"].startswith("3.")
    assert sorted(document["channels"]) == sorted(CONTRACTS)
    for type_, channel in document["channels"].items():
        service = type_.split(".")[1]
        assert channel["address"] == type_
        assert channel["bindings"]["amqp"]["exchange"]["name"] == f"{service}.events"
        (message_ref,) = channel["messages"].values()
        message = messages[message_ref["$ref"].rsplit("/", 1)[1]]
        data_ref = message["payload"]["allOf"][1]["properties"]["data"]["$ref"]
        data_schema = schemas[data_ref.rsplit("/", 1)[1]]
        assert set(data_schema["properties"]) == set(CONTRACTS[type_].schema().fields), type_
