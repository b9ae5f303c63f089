"""The AsyncAPI 3 document of the public events, generated from the contracts (asyncapi.yaml)."""
from __future__ import annotations

from pathlib import Path

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from shared.contracts.catalog import CONTRACTS
from shared.contracts.envelope import CONTENT_TYPE, Envelope

DOCUMENT = Path(__file__).resolve().parent.parent.parent / "asyncapi.yaml"


def build_document() -> dict:
    spec = APISpec(title="x", version="1", openapi_version="3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Envelope", schema=Envelope)
    names = {type_: _name(type_) for type_ in CONTRACTS}
    for type_, contract in sorted(CONTRACTS.items()):
        spec.components.schema(names[type_], schema=contract.schema)
    schemas = spec.to_dict()["components"]["schemas"]
    channels, operations, messages = {}, {}, {}
    for type_ in sorted(CONTRACTS):
        service = type_.split(".")[1]
        name = names[type_]
        channels[type_] = {
            "address": type_,
            "description": f"Routing key {type_} on the topic exchange {service}.events",
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {"amqp": {"is": "routingKey", "bindingVersion": "0.3.0",
                                  "exchange": {"name": f"{service}.events", "type": "topic", "durable": True,
                                               "autoDelete": False, "vhost": "/"}}},
        }
        operations[f"receive_{name}"] = {"action": "receive", "channel": {"$ref": f"#/channels/{type_}"},
                                         "messages": [{"$ref": f"#/channels/{type_}/messages/{name}"}]}
        envelope = {"allOf": [{"$ref": "#/components/schemas/Envelope"},
                              {"type": "object", "properties": {
                                  "type": {"const": type_}, "source": {"const": service},
                                  "data": {"$ref": f"#/components/schemas/{name}"}}}]}
        messages[name] = {"name": name, "title": type_, "contentType": CONTENT_TYPE,
                          "summary": (CONTRACTS[type_].schema.__doc__ or type_).strip().splitlines()[0],
                          "payload": envelope}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Shifan public events", "version": "1",
                 "description": "Every event a Shifan service publishes: CloudEvents 1.0 structured JSON on the "
                                "service's topic exchange, routing key = type. No personal data."},
        "defaultContentType": CONTENT_TYPE,
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> str:
    header = "# Generated from shared/contracts by `shifan contracts asyncapi --write`; do not edit by hand.\n"
    return header + yaml.safe_dump(build_document(), allow_unicode=True, sort_keys=False, width=100)


def _name(type_: str) -> str:
    _, service, event, version = type_.split(".")
    return "".join(part.capitalize() for part in (service, *event.split("_"))) + version.upper()
