"""The one envelope of every event on the wire: CloudEvents 1.0, structured JSON mode."""
from __future__ import annotations

import json
from datetime import datetime

from marshmallow import RAISE, Schema, fields, validate

CONTENT_TYPE = "application/cloudevents+json"


class Envelope(Schema):
    """Loads an envelope; `data` is checked by the schema of its type (shared/contracts/registry.py)."""

    class Meta:
        unknown = RAISE

    specversion = fields.String(required=True, validate=validate.Equal("1.0"))
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z]+:[1-9][0-9]*$"))
    source = fields.String(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^shifan\.[a-z]+\.[a-z_]+\.v[1-9][0-9]*$"))
    subject = fields.String(required=True)
    time = fields.AwareDateTime(required=True, format="iso")
    datacontenttype = fields.String(required=True, validate=validate.Equal("application/json"))
    data = fields.Dict(required=True)
    # CloudEvents extension: the id of the request that caused the event (shared/correlation.py)
    correlationid = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9._:-]{1,64}$"))


def make_envelope(service: str, notification_id: int, type_: str, subject: str,
                  time: datetime, data: dict, correlation_id: str | None = None) -> dict:
    envelope = {
        "specversion": "1.0",
        "id": f"{service}:{notification_id}",
        "source": service,
        "type": type_,
        "subject": subject,
        "time": time.isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }
    if correlation_id:
        envelope["correlationid"] = correlation_id
    return envelope


def notification_id_of(envelope: dict) -> int:
    """The position of an event in its source's log, from its id `<service>:<n>`."""
    return int(envelope["id"].rsplit(":", 1)[1])


def encode(envelope: dict) -> bytes:
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(body: bytes | str) -> dict:
    """Parses and checks an envelope from the wire; raises ValueError naming what is wrong."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    envelope = json.loads(body)
    errors = Envelope().validate(envelope) if isinstance(envelope, dict) else {"_schema": ["not an object"]}
    if errors:
        raise ValueError(f"not a Shifan event envelope: {errors}")
    return envelope
