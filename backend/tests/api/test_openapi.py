"""The OpenAPI document: the committed `docs/openapi.json` is what the app serves, and every
route follows the conventions of `cora.api.openapi` (so routes added later do too)."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cora.api.openapi import SCHEMAS, TAG_NAMES
from cora.app import create_app, openapi_document
from cora.config import Settings

COMMITTED = Path(__file__).parents[3] / "docs" / "openapi.json"
OPERATION_ID = re.compile(r"^[a-z]+-[a-z][a-z_]*$")
METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(openapi_document())


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def _nodes(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _nodes(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _nodes(item, f"{where}/{index}")


async def test_the_committed_document_is_the_one_served(tmp_path) -> None:
    app = create_app(Settings(auth="local", data_dir=tmp_path))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cora.test") as http:
        served = (await http.get("/openapi.json")).json()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == served, "the API changed: run `make openapi` and commit docs/openapi.json"
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document()


def test_operation_ids_read_as_method_names_unique_per_tag(document) -> None:
    seen: set[str] = set()
    for name, operation in _operations(document):
        tags = operation.get("tags", [])
        assert len(tags) == 1 and tags[0] in TAG_NAMES, name
        operation_id = operation["operationId"]
        assert OPERATION_ID.match(operation_id), (name, operation_id)
        assert operation_id.startswith(f"{tags[0]}-"), (name, operation_id)
        assert operation_id not in seen
        seen.add(operation_id)


def test_enums_and_bodies_are_named_schemas(document) -> None:
    schemas = document["components"]["schemas"]
    for where, node in _nodes(document):
        assert "const" not in node, where
        if "enum" in node:
            # An enum is a component of its own, referred to by name wherever it is used.
            assert re.fullmatch(r"/components/schemas/[A-Za-z]+", where), where
    for name, operation in _operations(document):
        body = operation.get("requestBody")
        if body is None:
            continue
        for media in body["content"].values():
            ref = media["schema"].get("$ref", "")
            assert ref.startswith(SCHEMAS), (name, media["schema"])
            assert ref.removeprefix(SCHEMAS) in schemas
    for enum in ("Sender", "Rating", "Metadata", "ArchiveVersion", "ExportFormat"):
        assert enum in schemas


def test_an_optional_body_is_one_schema_not_required(document) -> None:
    body = document["paths"]["/sessions/{user_id}"]["post"]["requestBody"]
    assert body == {
        "required": False,
        "content": {"application/json": {"schema": {"$ref": SCHEMAS + "SessionCreate"}}},
    }


def test_every_error_answer_is_documented_with_its_model(document) -> None:
    for name, operation in _operations(document):
        for code, response in operation["responses"].items():
            assert response.get("description") not in (None, "", "Additional Response"), name
            if int(code) >= 400:
                schema = response["content"]["application/json"]["schema"]
                if name != "GET /readyz":
                    assert schema == {"$ref": SCHEMAS + "ErrorBody"}, (name, code)
            if int(code) in (429, 503):
                assert "Retry-After" in response["headers"], (name, code)


def test_each_route_lists_the_answers_it_can_give(document) -> None:
    paths = document["paths"]
    expected = {
        ("/sessions/{user_id}", "post"): {"201", "401", "403", "413", "422", "503", "507"},
        ("/sessions/{user_id}/{session_id}", "get"): {"200", "304", "404", "500", "503"},
        ("/sessions/{user_id}/{session_id}", "put"): {"200", "409", "412", "413", "507"},
        ("/sessions/{user_id}/{session_id}", "patch"): {"200", "412", "413", "507"},
        ("/sessions/{user_id}/{session_id}", "delete"): {"204", "412", "503"},
        ("/sessions/{user_id}/{session_id}/messages", "post"): {
            "200",
            "201",
            "409",
            "413",
            "422",
            "503",
            "507",
        },
        ("/sessions/{user_id}/{session_id}/messages/{message_id}", "patch"): {
            "200",
            "404",
            "422",
        },
        ("/sessions/{user_id}/{session_id}/chat", "post"): {"200", "201", "409", "502", "507"},
        ("/sessions/{user_id}/tags", "get"): {"200", "401", "403"},
        ("/auth/token", "post"): {"200", "401", "429"},
        ("/auth/register", "post"): {"201", "409", "429"},
    }
    for (path, method), codes in expected.items():
        listed = set(paths[path][method]["responses"])
        assert codes <= listed, (method, path, codes - listed)
    chat = paths["/sessions/{user_id}/{session_id}/chat"]["post"]["responses"]
    assert "text/event-stream" in chat["200"]["content"]
    created = paths["/sessions/{user_id}"]["post"]["responses"]["201"]
    assert {"Location", "ETag"} <= set(created["headers"])
