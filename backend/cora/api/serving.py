"""How `cora serve` runs uvicorn: timeouts and a cap on connections (docs/DEPLOYMENT.md).

uvicorn closes idle keep-alive connections but gives a client all the time it wants to send a
request's head, so connections that trickle a byte now and then stay open for ever. The HTTP
protocol here closes a connection whose request line and headers have not all arrived within
`header_timeout_seconds` of the connection (or of its previous response).

On a graceful stop uvicorn lets every response under way finish, for up to 10 s. An event
stream never finishes by itself, so one open browser tab held every stop for the whole 10 s; the
protocol here closes event streams at once (their clients reconnect, to another server or after
the restart, and resume with `Last-Event-ID`), and lets other responses, a chat reply being
streamed among them, finish.
"""

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from cora.config import Settings


@functools.cache
def _head_timeout() -> float:
    return Settings().header_timeout_seconds


class HeadTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's head."""

    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def on_headers_complete(self) -> None:
        self._disarm_head_deadline()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_deadline()

    def shutdown(self) -> None:
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and _is_event_stream(cycle.scope):
            self.transport.close()  # the app hears "disconnect" and ends the stream
            return
        super().shutdown()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        if not self.transport.is_closing():
            self._head_deadline = self.loop.call_later(_head_timeout(), self._head_overdue)

    def _disarm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_overdue(self) -> None:
        self._head_deadline = None
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()


def _is_event_stream(scope: Any) -> bool:
    """A live event stream's request (3.8): `GET .../events`."""
    return bool(scope.get("method") == "GET" and str(scope.get("path", "")).endswith("/events"))


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Limits for `uvicorn.run`: the head deadline above, idle keep-alive, a connection cap
    (past it uvicorn answers 503; long-lived event streams count against it)."""
    return {
        "http": HeadTimeoutProtocol,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections or None,
        "backlog": 2048,
        "timeout_graceful_shutdown": 10,
    }
