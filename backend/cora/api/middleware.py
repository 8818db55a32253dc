"""The one ASGI middleware of every request: body limit, security headers, request metrics, the
hot routes answered before FastAPI's routing (`hot_routes.py`), and searches cancelled when their
client leaves (`disconnect.py`).

One class instead of three: each layer of ASGI middleware costs a call and a wrapped `send` per
request, and on the hot routes that overhead is larger than Cora's own work.
"""

import time
from collections.abc import Callable

import orjson
from prometheus_client import Counter, Histogram
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cora.api.disconnect import CLIENT_CLOSED_REQUEST, is_search, run_until_client_leaves
from cora.api.hot_routes import HotRoutes
from cora.metrics import REQUEST_SECONDS, REQUESTS

HotRoutesFactory = Callable[[ASGIApp], HotRoutes]


class BodyTooLarge(HTTPException):
    """Raised while the body is read: FastAPI passes HTTP exceptions through to the handler."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


def _too_large(limit: int) -> str:
    return f"Request body is larger than the limit of {limit} bytes"


WEB_APP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI starts itself with an inline script.
DOCS_POLICY = WEB_APP_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def _security_headers(policy: str) -> list[tuple[bytes, bytes]]:
    """Headers that keep browsers from sniffing, framing, or running injected scripts."""
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]


WEB_APP_HEADERS = _security_headers(WEB_APP_POLICY)
DOCS_HEADERS = _security_headers(DOCS_POLICY)


class _RouteMetrics:
    """The counter and histogram children of one route, looked up once instead of per request."""

    def __init__(self) -> None:
        self._counters: dict[tuple[str, str, int], Counter] = {}
        self._timers: dict[tuple[str, str], Histogram] = {}

    def record(self, method: str, route: str, status: int, seconds: float) -> None:
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = self._counters[method, route, status] = REQUESTS.labels(
                method, route, str(status)
            )
        timer = self._timers.get((method, route))
        if timer is None:
            timer = self._timers[method, route] = REQUEST_SECONDS.labels(method, route)
        counter.inc()
        timer.observe(seconds)


class CoraMiddleware:
    """Answer 413 to a body over the limit (announced or streamed), add the security headers to
    every answer, and count and time every request by its route template."""

    def __init__(
        self, app: ASGIApp, *, limit_for: Callable[[str], int], hot_routes: HotRoutesFactory
    ) -> None:
        self.app = app  # named as ASGI middleware name it: tools walk the stack through `.app`
        self._limit_for = limit_for
        self._metrics = _RouteMetrics()
        self._hot_routes = hot_routes(app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path: str = scope["path"]
        extra_headers = DOCS_HEADERS if path.startswith("/docs") else WEB_APP_HEADERS
        limit = self._limit_for(path)
        status = 500
        started = False
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message["headers"] = [*message.get("headers", ()), *extra_headers]
            await send(message)

        try:
            if _declared_length(scope) > limit:
                await _reject(send_with_headers, limit)
                return
            try:
                if not is_search(scope):
                    await self._handle(scope, limited_receive, send_with_headers)
                elif await run_until_client_leaves(
                    self._handle, scope, limited_receive, send_with_headers
                ):
                    status = CLIENT_CLOSED_REQUEST
            except BodyTooLarge:
                if not started:
                    await _reject(send_with_headers, limit)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self._metrics.record(scope["method"], route, status, time.perf_counter() - start)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not await self._hot_routes.answer(scope, receive, send):
            await self.app(scope, receive, send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


async def _reject(send: Send, limit: int) -> None:
    body = orjson.dumps({"detail": _too_large(limit)})
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
