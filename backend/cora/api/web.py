"""The web app (contract 5): its files for GET and HEAD on any path the API does not own.

It is the last route, and it matches only GET and HEAD outside the API's paths: every other
request falls through to the API's own 404 or 405, whether or not the web app was built. A
path without a file extension that names no file is one of the app's own pages: index.html.
"""

from pathlib import Path, PurePosixPath

from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

API_PREFIXES = (
    "/sessions",
    "/auth",
    "/healthz",
    "/readyz",
    "/metrics",
    "/docs",
    "/openapi.json",
    "/static-offline-docs",
)
NOT_BUILT = "The web app is not built; run `make run`. The API is at /docs."


def is_api_path(path: str) -> bool:
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in API_PREFIXES)


class WebAppRoute(BaseRoute):
    def __init__(self, directory: Path) -> None:
        self._directory = directory.resolve()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and not is_api_path(scope["path"])
        ):
            return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.response_for(scope["path"])(scope, receive, send)

    def response_for(self, path: str) -> Response:
        index = self._directory / "index.html"
        if not index.is_file():
            if path == "/":
                return JSONResponse({"detail": NOT_BUILT})
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        file = self._file_at(path)
        if file is not None:
            return FileResponse(file)
        if not PurePosixPath(path).suffix:
            return FileResponse(index)
        return JSONResponse({"detail": "Not Found"}, status_code=404)

    def _file_at(self, path: str) -> Path | None:
        """The file the URL path names inside the web directory, never outside it."""
        candidate = (self._directory / path.lstrip("/")).resolve()
        if candidate.is_relative_to(self._directory) and candidate.is_file():
            return candidate
        return None
