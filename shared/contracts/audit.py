"""Public events every service publishes about its own log: its signed tree heads (RFC 6962), one
type per service (`shifan.<service>.tree_head_signed.v1`) on the service's own exchange. Agencies
that keep them are witnesses: a later head that is not consistent with one they hold shows the
log was rewritten. The leaf hashes a head records stay in the store."""
from marshmallow import fields, validate

from shared.contracts.base import EventData


class _TreeHeadSigned(EventData):
    """A signed tree head of the service's event log: `tree_size` leaves, the notifications up to
    `last_notification_id`; Ed25519 `signature` (base64url) over the canonical JSON of format
    `shifan.tree_head.v1`, service, tree_size, root_hash, last_notification_id and signed_at."""

    FROM_EVENT = {"head_id": "originator_id"}
    head_id = fields.UUID(required=True)
    service = fields.String(required=True)
    tree_size = fields.Integer(required=True, validate=validate.Range(min=0))
    root_hash = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    last_notification_id = fields.Integer(required=True, validate=validate.Range(min=0))
    signed_at = fields.String(required=True)
    key_id = fields.String(required=True)
    algorithm = fields.String(required=True, validate=validate.Equal("Ed25519"))
    signature = fields.String(required=True)


class ApplicationsTreeHeadSignedV1(_TreeHeadSigned):
    """A signed tree head of the applications service's log."""

    TYPE = "shifan.applications.tree_head_signed.v1"


class ReviewTreeHeadSignedV1(_TreeHeadSigned):
    """A signed tree head of the review service's log."""

    TYPE = "shifan.review.tree_head_signed.v1"


class RegistryTreeHeadSignedV1(_TreeHeadSigned):
    """A signed tree head of the registry service's log."""

    TYPE = "shifan.registry.tree_head_signed.v1"


class NotifyTreeHeadSignedV1(_TreeHeadSigned):
    """A signed tree head of the notify service's log."""

    TYPE = "shifan.notify.tree_head_signed.v1"


TREE_HEAD_SIGNED = {schema.TYPE.split(".")[1]: schema for schema in
                    (ApplicationsTreeHeadSignedV1, ReviewTreeHeadSignedV1, RegistryTreeHeadSignedV1,
                     NotifyTreeHeadSignedV1)}

