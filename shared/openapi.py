"""The OpenAPI document of a service, generated from its @http entrypoints and their marshmallow schemas."""
from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from nameko.extensions import DependencyProvider

from shared.auth import PUBLIC
from shared.http import JsonHttp

ERRORS = {"400": "invalid input: `fields` names each field and its problem",
          "401": "no valid bearer token", "403": "the caller's role may not call this",
          "404": "no such object, or another party's", "409": "the object's state does not allow it"}
BODY_ERRORS = {"411": "a body sent without Content-Length (chunked) is not read",
               "413": "the body is over the service's size limit (MAX_REQUEST_BYTES)",
               "415": "the body is not declared as application/json (UTF-8)"}


def build_document(service: str, entrypoints) -> dict:
    marshmallow = MarshmallowPlugin()
    spec = APISpec(title=f"Shifan {service}", version="1", openapi_version="3.0.3", plugins=[marshmallow])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    paths: dict[str, dict] = {}
    for entrypoint in sorted((e for e in entrypoints if isinstance(e, JsonHttp)), key=lambda e: (e.url, e.method)):
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", entrypoint.url)
        operation = {
            "operationId": entrypoint.method_name,
            "summary": (getattr(entrypoint.container.service_cls, entrypoint.method_name).__doc__ or "").strip()
            or entrypoint.method_name.replace("_", " "),
            "description": "Roles: " + ", ".join(sorted(entrypoint.roles)),
            "x-roles": sorted(entrypoint.roles),
            "parameters": [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                           for name in re.findall(r"{(\w+)}", path)],
            "responses": {**{code: {"description": text} for code, text in ERRORS.items()}},
        }
        if entrypoint.args_schema is not None:
            operation["parameters"] += marshmallow.converter.schema2parameters(entrypoint.args_schema, location="query")
        success = str(entrypoint.success_status)
        if PUBLIC not in entrypoint.roles:
            operation["security"] = [{"bearer": []}]
        if entrypoint.body_schema is not None:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": _ref(spec, entrypoint.body_schema)}}}
            operation["responses"].update({code: {"description": text} for code, text in BODY_ERRORS.items()})
        operation["responses"][success] = {"description": "Created" if success == "201" else "OK"}
        if entrypoint.response_schema is not None:
            operation["responses"][success]["content"] = {
                "application/json": {"schema": _ref(spec, entrypoint.response_schema)}}
        paths.setdefault(path, {})[entrypoint.method.lower()] = operation
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _ref(spec: APISpec, schema_cls) -> dict:
    name = schema_cls.__name__
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=schema_cls)
    return {"$ref": f"#/components/schemas/{name}"}


class OpenApiDocument(DependencyProvider):
    """Injects the service's OpenAPI document, built once when the container starts."""

    def start(self) -> None:
        self.document = build_document(self.container.service_name, self.container.entrypoints)

    def get_dependency(self, worker_ctx):
        return self.document
