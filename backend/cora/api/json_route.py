"""Request bodies parsed as strict JSON (contract 0): `NaN`, `Infinity` and `-Infinity` are not
JSON, so a body holding them anywhere is 422, not stored as null or as a float."""

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = json.loads(await self.body(), parse_constant=refuse_constant)
        return self._json


def refuse_constant(name: str) -> Any:
    # A `json.JSONDecodeError` is what FastAPI answers 422 `json_invalid`.
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


class StrictJsonRoute(APIRoute):
    """Every API router's `route_class`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_json_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_json_handler
