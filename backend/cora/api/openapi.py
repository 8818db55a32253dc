"""The OpenAPI document's conventions, so that client generators make a pleasant client of it.

- Operation ids read as method names, unique per tag: `<tag>-<route function name>`
  (`sessions-append_message`); every route has one tag of `TAGS`.
- Error answers are `ErrorBody`, described once here (`error_responses`); an error status a
  route lists with only a model gets the standard description and headers (`Retry-After`...).
- Enums and reused shapes are named schemas: enums are `TypeAliasType`s (`cora.domain`), and
  `const` is written as a one-value `enum`, which generators handle.
- An optional body is `required: false` with one schema, never `anyOf [X, null]`.
- A `text/event-stream` answer's schema is `ServerSentEvent`: before OpenAPI 3.2 the schema of
  an event stream describes each event (its `event`, `data`, `id`), not the stream as a string.
"""

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

from cora.schemas import ErrorBody

EVENT_STREAM = "text/event-stream"
SCHEMAS = "#/components/schemas/"

TAGS: list[dict[str, str]] = [
    {"name": "sessions", "description": "Sessions and their messages (contract 2, 3.1-3.4, 3.10)"},
    {"name": "chat", "description": "Chat with Cora, the assistant (3.5)"},
    {"name": "transfer", "description": "Export and import (3.6)"},
    {"name": "events", "description": "Live updates as Server-Sent Events (3.8)"},
    {"name": "accounts", "description": "Accounts and tokens (4)"},
    {"name": "operations", "description": "Health, readiness and metrics (5)"},
]
TAG_NAMES = frozenset(tag["name"] for tag in TAGS)

# The contract's names for the API's objects (section 1), where the Python class says more.
COMPONENT_NAMES = {
    "MessagePublic": "Message",
    "SessionPublic": "Session",
    "Body_accounts-log_in": "LoginForm",
}

ResponseDocs = dict[int | str, dict[str, Any]]


SERVER_SENT_EVENT = {
    "title": "ServerSentEvent",
    "description": "One event of a `text/event-stream` answer; `data` is JSON text, what it holds"
    " depends on `event`, as each route describes",
    "type": "object",
    "properties": {
        "event": {"type": "string", "description": "The event's name, e.g. `delta`"},
        "data": {"type": "string", "description": "The event's payload, JSON"},
        "id": {"type": "string", "description": "For `Last-Event-ID` on reconnecting (3.8)"},
        "retry": {"type": "integer", "description": "Reconnection delay in milliseconds"},
    },
}
EVENT_SCHEMA = {"$ref": SCHEMAS + "ServerSentEvent"}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The body could not be parsed",
    401: "No valid bearer token",
    403: "The token's user is not `{user_id}`",
    404: "No such session (or message) for this user",
    409: "A conflict: a message id stored with other content, a taken name, or a reply is"
    " being written",
    412: "The session has changed since the `If-Match` ETag",
    413: "The body, a message text or a metadata object is too large",
    422: "The input is not valid (`detail` lists each problem)",
    429: "Too many attempts; wait `Retry-After` seconds",
    500: "The session's stored data cannot be read",
    502: "The assistant failed; the user's message is kept",
    503: "Storage is unavailable; try again after `Retry-After` seconds",
    507: "Storage is full; nothing was written",
}
ERROR_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}},
    429: RETRY_AFTER,
    502: RETRY_AFTER,
    503: RETRY_AFTER,
}

# Every route: a body may be unreadable, too large or invalid.
COMMON_ERRORS = (400, 413, 422)
# Every `/sessions/{user_id}/...` route: access is checked, storage is read.
SESSION_ERRORS = (401, 403, 404, 422, 500, 503)
# Routes that write a session.
WRITE_ERRORS = (413, 503, 507)


def error_responses(*codes: int) -> ResponseDocs:
    """`responses=` entries for error statuses: `ErrorBody`, the standard description, and the
    headers that status carries."""
    return {code: _error_response(code) for code in codes}


def _error_response(code: int) -> dict[str, Any]:
    response: dict[str, Any] = {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[code]}
    if code in ERROR_HEADERS:
        response["headers"] = ERROR_HEADERS[code]
    return response


def header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


def event_stream(description: str, status: int = 200) -> ResponseDocs:
    """A `responses=` entry for a Server-Sent Events answer."""
    return {
        status: {
            "description": description,
            "content": {EVENT_STREAM: {"schema": EVENT_SCHEMA}},
        }
    }


def operation_id(route: APIRoute) -> str:
    """`<tag>-<function name>`, e.g. `sessions-append_message` (`generate_unique_id_function`)."""
    tag = route.tags[0] if route.tags else "cora"
    return f"{tag}-{route.name}"


def extra_schemas(*types: Any) -> dict[str, Any]:
    """Named component schemas for types no route parses with a model (a body a route reads
    itself), keyed by name: each type's own schema and those it refers to."""
    found: dict[str, Any] = {}
    for kind in types:
        schema = TypeAdapter(kind).json_schema(ref_template=SCHEMAS + "{model}")
        found.update(schema.pop("$defs", {}))
        found[schema.get("title", getattr(kind, "__name__", str(kind)))] = schema
    return found


def install_openapi(app: FastAPI, *, extra: Callable[[], dict[str, Any]] | None = None) -> None:
    """Have `app` serve its document with these conventions applied (built once, then kept)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                openapi_version=app.openapi_version,
                routes=app.routes,
                tags=TAGS,
            )
            add_components(document, {"ServerSentEvent": SERVER_SENT_EVENT})
            add_components(document, extra() if extra else {})
            app.openapi_schema = apply_conventions(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def add_components(document: dict[str, Any], schemas: dict[str, Any]) -> None:
    known = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in schemas.items():
        if name in known and known[name] != schema:
            raise ValueError(f"two different schemas are named {name}")
        known[name] = schema


def apply_conventions(document: dict[str, Any]) -> dict[str, Any]:
    document = _rename_components(document)
    for node in _nodes(document):
        if "const" in node:
            node["enum"] = [node.pop("const")]
    for operation in _operations(document):
        _single_schema_body(operation)
        for code, response in operation.get("responses", {}).items():
            _standard_error(int(code), response)
            if EVENT_STREAM in response.get("content", {}):
                response["content"][EVENT_STREAM]["schema"] = EVENT_SCHEMA
    return document


def _rename_components(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.get("components", {}).get("schemas", {})
    for old, new in COMPONENT_NAMES.items():
        if old in schemas:
            schemas[new] = {**schemas.pop(old), "title": new}
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    for node in _nodes(document):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(SCHEMAS) in COMPONENT_NAMES:
            node["$ref"] = SCHEMAS + COMPONENT_NAMES[ref.removeprefix(SCHEMAS)]
    return document


def _single_schema_body(operation: dict[str, Any]) -> None:
    """`anyOf [X, null]` (FastAPI's form of an optional body) becomes X, not required."""
    body = operation.get("requestBody")
    if body is None:
        return
    for media in body.get("content", {}).values():
        schema = media.get("schema", {})
        choices = schema.get("anyOf", [])
        others = [choice for choice in choices if choice != {"type": "null"}]
        if len(choices) == 2 and len(others) == 1:
            media["schema"] = others[0]
            body["required"] = False


def _standard_error(code: int, response: dict[str, Any]) -> None:
    if code not in ERROR_DESCRIPTIONS:
        return
    if response.get("description") in (None, "", "Additional Response"):
        response["description"] = ERROR_DESCRIPTIONS[code]
    if code in ERROR_HEADERS:
        response.setdefault("headers", ERROR_HEADERS[code])


def _operations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path_item in document.get("paths", {}).values():
        yield from path_item.values()


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in the document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)
