"""Request bodies parsed as strict JSON (contract 0): `NaN`, `Infinity` and `-Infinity` are not
JSON, and a number too large for a float (`1e400`) is not one either, so a body holding them
anywhere is 422, not stored as null or as a float."""

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_loads(await self.body())
        return self._json


def strict_loads(body: bytes) -> Any:
    """The body's JSON; `json.JSONDecodeError` (FastAPI's 422 `json_invalid`) for what is not.
    As `json.loads(body, parse_constant=..., parse_float=...)`, without building a decoder for
    each body."""
    text = body.decode(json.detect_encoding(body), "surrogatepass")
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    return _DECODER.decode(text)


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise json.JSONDecodeError(f"{text} is too large for a number", text, 0)
    return number


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


class StrictJsonRoute(APIRoute):
    """Every API router's `route_class`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_json_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_json_handler
