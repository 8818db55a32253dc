"""Export and import (contract 3.6). Included before the session routes, so that
`/sessions/{user_id}/export` is not read as a session id."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse
from typing_extensions import TypeAliasType

from cora.api.deps import SessionIdPath, TransferServiceDep, UserIdPath
from cora.api.json_route import StrictJsonRoute
from cora.api.openapi import SCHEMAS, ResponseDocs, error_responses, extra_schemas
from cora.schemas import ExportFormat, ImportResult, SessionPublic, SessionsExport
from cora.services.archive import SessionsArchive
from cora.services.chatgpt import ChatGptConversation

JSON = "application/json"
MARKDOWN = "text/markdown"

router = APIRouter(prefix="/sessions", tags=["transfer"], route_class=StrictJsonRoute)

# Without these, `PUT /sessions/{user_id}/export` would reach the session routes and be answered
# 422 (not a session id) instead of 405. Included before them, with no access check, as a 405 is.
method_guards = APIRouter(prefix="/sessions", include_in_schema=False, route_class=StrictJsonRoute)
GUARDED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allow_only(path: str, allowed: str) -> None:
    async def method_not_allowed() -> JSONResponse:
        return JSONResponse(
            {"detail": "Method Not Allowed"}, status_code=405, headers={"Allow": allowed}
        )

    others = [method for method in GUARDED_METHODS if method != allowed]
    method_guards.add_api_route(path, method_not_allowed, methods=others)


_allow_only("/{user_id}/export", "GET")
_allow_only("/{user_id}/import", "POST")
_allow_only("/{user_id}/tags", "GET")  # the session routes' (3.11), guarded the same way


def _download(description: str, content: dict[str, Any]) -> ResponseDocs:
    disposition = {
        "description": 'attachment; filename="..."',
        "schema": {"type": "string"},
        "required": True,
    }
    return {
        200: {
            "description": description,
            "headers": {"Content-Disposition": disposition},
            "content": content,
        }
    }


ChatGptExport = TypeAliasType("ChatGptExport", list[ChatGptConversation])
ImportDocument = TypeAliasType("ImportDocument", SessionsArchive | ChatGptExport)

IMPORT_BODY = {
    "description": "A cora-sessions export, or a ChatGPT data export's `conversations.json`",
    "required": True,
    "content": {JSON: {"schema": {"$ref": SCHEMAS + "ImportDocument"}}},
}


def import_schemas() -> dict[str, Any]:
    """The import body's named schemas: the route reads the body itself, so FastAPI has none."""
    return extra_schemas(ImportDocument)


@router.get(
    "/{user_id}/export",
    response_model=SessionsExport,
    responses={
        **_download("All of the user's sessions", {JSON: {}}),
        **error_responses(401, 403, 500, 503),
    },
)
async def export_sessions(user_id: UserIdPath, service: TransferServiceDep) -> Response:
    """All of the user's sessions, most recently updated first, as a download."""
    data = await service.export_all(user_id=user_id)
    return _attachment(data, JSON, f"cora-sessions-{user_id}.json")


@router.post(
    "/{user_id}/import",
    status_code=status.HTTP_201_CREATED,
    response_model=ImportResult,
    responses=error_responses(401, 403, 413, 422, 503, 507),
    openapi_extra={"requestBody": IMPORT_BODY},
)
async def import_sessions(
    user_id: UserIdPath, service: TransferServiceDep, request: Request
) -> ImportResult:
    """Create new sessions from an export; sources imported before are skipped. An invalid
    document is 422 and imports nothing."""
    return await service.import_document(user_id=user_id, data=await request.body())


@router.get(
    "/{user_id}/{session_id}/export",
    response_model=SessionPublic,
    responses={
        **_download(
            "The session as JSON (the Session object) or Markdown",
            {JSON: {}, MARKDOWN: {"schema": {"type": "string"}}},
        ),
        **error_responses(401, 403, 404, 500, 503),
    },
)
async def export_session(
    user_id: UserIdPath,
    session_id: SessionIdPath,
    service: TransferServiceDep,
    export_format: Annotated[ExportFormat, Query(alias="format")] = "json",
) -> Response:
    """One session as a download."""
    filename = f"cora-session-{session_id}"
    if export_format == "markdown":
        text = await service.session_markdown(user_id=user_id, session_id=session_id)
        return _attachment(text.encode(), MARKDOWN, f"{filename}.md")
    data = await service.session_json(user_id=user_id, session_id=session_id)
    return _attachment(data, JSON, f"{filename}.json")


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
