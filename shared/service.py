"""What every Shifan service answers besides its own API: its log over RPC, its health over HTTP."""
from nameko.rpc import rpc

from shared.http import EVERYONE, http
from shared.messaging.log import read_public_log
from shared.openapi import OpenApiDocument
from shared.runtime import MessagingStatus


class EventSourcedService:
    """Base of the four nameko service classes; each sets `name` and `app = EventSourced(...)`."""

    messaging = MessagingStatus()
    openapi = OpenApiDocument()

    @rpc
    def read_log(self, after: int, limit: int = 200) -> list:
        """Public events after a position: how followers fill gaps and catch up."""
        return read_public_log(self.app, after, limit)

    @http("GET", "/health", roles=EVERYONE)
    def health(self, request):
        """Whether the relay and followers work, and how far each has got."""
        status = self.messaging()
        return (200 if status["healthy"] else 503), status

    @http("GET", "/openapi.json", roles=EVERYONE)
    def openapi_document(self, request):
        """This service's HTTP API, generated from its marshmallow schemas."""
        return self.openapi
