"""What every Shifan service answers besides its own API: its log over RPC and as a paged HTTP
feed, its health, its OpenAPI document."""
from marshmallow import RAISE, Schema, fields, validate
from werkzeug.wrappers import Response

from shared.audit.endpoints import AuditEndpoints
from shared.http import EVERYONE, http, load_args
from shared.messaging.log import MAX_PAGE, encoded_public_log, read_public_log
from shared.messaging.rpc import rpc
from shared.metrics import CONTENT_TYPE, MetricsReport
from shared.openapi import OpenApiDocument
from shared.runtime import MessagingStatus


class FeedArgs(Schema):
    class Meta:
        unknown = RAISE

    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2 ** 53))  # SQLite's INTEGER is 64-bit
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PAGE))


class EventSourcedService(AuditEndpoints):
    """Base of the four nameko service classes; each sets `name` and `app = EventSourced(...)`.
    Every service also answers the auditors' tree heads and proofs (shared/audit/endpoints.py)."""

    messaging = MessagingStatus()
    metrics_report = MetricsReport()
    openapi = OpenApiDocument()

    @rpc
    def read_log(self, after: int, limit: int = 200) -> list:
        """Public events after a position: how followers fill gaps and catch up."""
        return read_public_log(self.app, after, limit)

    @http("GET", "/events", roles=("agency", "auditor", "operator"), args=FeedArgs)
    def event_feed(self, request):
        """The service's public events after a position, oldest first: how an agency that joined
        late, or lost its queue, replays from the beginning before following its queue."""
        args = load_args(request, FeedArgs())
        events = encoded_public_log(self.app, args["after"], args["limit"])  # each envelope already JSON
        last = self.app.recorder.max_notification_id() or 0
        next_after = events[-1][0] if events else args["after"]
        body = b'{"events":[%s],"next_after":%d,"has_more":%s}' % (
            b",".join(encoded for _, encoded in events), next_after, b"true" if next_after < last else b"false")
        return Response(body, mimetype="application/json")

    @http("GET", "/health", roles=EVERYONE)
    def health(self, request):
        """Whether the relay and followers work, and how far each has got."""
        status = self.messaging()
        return (200 if status["healthy"] else 503), status

    @http("GET", "/metrics", roles=EVERYONE)
    def metrics(self, request):
        """Prometheus text: events stored, published and processed, relay and follower lags,
        handler failures, HTTP requests by status and their durations. Counts only, no data."""
        return Response(self.metrics_report(), content_type=CONTENT_TYPE)

    @http("GET", "/openapi.json", roles=EVERYONE)
    def openapi_document(self, request):
        """This service's HTTP API, generated from its marshmallow schemas."""
        return self.openapi
