"""The web app (contract 5): its files for GET and HEAD on any path the API does not own.

It is the last route, and it matches only GET and HEAD outside the API's paths: every other
request falls through to the API's own 404 or 405, whether or not the web app was built. A
path without a file extension that names no file is one of the app's own pages: index.html.
"""

import gzip
import os
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
        self._compressed = CompressedFiles()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and not is_api_path(scope["path"])
        ):
            return Match.FULL, {}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.response_for(scope["path"])
        if isinstance(response, FileResponse):
            response = self._compressed.shaped(response, _accepts_gzip(scope))
        await response(scope, receive, send)

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


# Text worth compressing; Vite names the files under /assets/ by their content's hash.
COMPRESSIBLE = frozenset({".html", ".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt"})
MIN_COMPRESSED_BYTES = 1024
IMMUTABLE = "public, max-age=31536000, immutable"


class CompressedFiles:
    """Text files gzipped once per version (path, size, mtime) and kept in memory."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int], bytes] = {}

    def shaped(self, response: FileResponse, accepts_gzip: bool) -> Response:
        path = Path(response.path)
        headers = {"Vary": "Accept-Encoding", "Cache-Control": _cache_control(path)}
        stat = path.stat()
        if not accepts_gzip or not _compressible(path, stat.st_size):
            response.headers.update(headers)
            return response
        body = self._gzipped(path, stat)
        media_type = response.media_type
        return Response(
            body, media_type=media_type, headers={**headers, "Content-Encoding": "gzip"}
        )

    def _gzipped(self, path: Path, stat: os.stat_result) -> bytes:
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        body = self._cache.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            self._cache = {k: v for k, v in self._cache.items() if k[0] != key[0]}
            self._cache[key] = body
        return body


def _compressible(path: Path, size: int) -> bool:
    return path.suffix in COMPRESSIBLE and size >= MIN_COMPRESSED_BYTES


def _cache_control(path: Path) -> str:
    return IMMUTABLE if path.parent.name == "assets" else "no-cache"


def _accepts_gzip(scope: Scope) -> bool:
    """Gzip is asked for, and no byte range (which would name bytes of the plain file)."""
    headers = dict(scope["headers"])
    return b"range" not in headers and b"gzip" in headers.get(b"accept-encoding", b"").lower()
