"""A real HTTP server on loopback that speaks the streaming chat-completions protocol."""

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

Mode = Literal["ok", "break", "error_status", "error_event", "stall", "no_finish", "garbage"]


@dataclass
class Script:
    """What the server does with the next requests."""

    pieces: list[str] = field(default_factory=lambda: ["Hello", ", I'm", " Cora", "."])
    mode: Mode = "ok"
    break_after: int = 2
    status: int = 500
    delay: float = 0.0
    retry_after: str | None = None


class ChatServer:
    def __init__(self) -> None:
        self.script = Script()
        self.requests: list[dict[str, Any]] = []
        self.request_times: list[float] = []
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        self.base_url = ""

    async def start(self) -> None:
        """Start listening on a free loopback port; `base_url` is then the API's base URL."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}/v1"

    async def stop(self) -> None:
        self._release.set()
        await self._runner.cleanup()

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(await request.json())
        self.request_times.append(time.monotonic())
        script = self.script
        if script.mode == "error_status":
            error = {"error": {"message": "model crashed", "type": "server_error"}}
            headers = {"Retry-After": script.retry_after} if script.retry_after else None
            return web.json_response(error, status=script.status, headers=headers)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        if script.mode == "stall":
            await self._release.wait()
            return response
        if script.mode == "garbage":
            await response.write(b"data: {this is not json\n\n")
        for index, piece in enumerate(script.pieces):
            if script.mode == "error_event" and index == script.break_after:
                await response.write(_event({"error": {"message": "overloaded", "code": 503}}))
                break
            if script.mode == "break" and index == script.break_after:
                assert request.transport is not None
                request.transport.close()
                return response
            await response.write(_event(_chunk(piece, None)))
            await asyncio.sleep(script.delay)
        if script.mode != "no_finish":
            await response.write(_event(_chunk("", "stop")))
            await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


def _chunk(content: str, finish_reason: str | None) -> dict[str, Any]:
    delta = {"role": "assistant", "content": content} if content else {}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _event(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()
