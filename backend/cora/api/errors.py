"""The one place where domain errors become HTTP answers: always JSON with a `detail`."""

import logging
import math

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from cora import errors

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"

STATUS_BY_ERROR: dict[type[errors.CoraError], int] = {
    errors.NotAuthenticated: 401,
    errors.InvalidCredentials: 401,
    errors.NotYourSession: 403,
    errors.WrongPassword: 403,
    errors.SessionNotFound: 404,
    errors.MessageNotFound: 404,
    errors.UsernameTaken: 409,
    errors.TooManyAttempts: 429,
    errors.SearchesBusy: 429,
    errors.MessageIdConflict: 409,
    errors.ReplyInProgress: 409,
    errors.ReplyNotStreaming: 409,
    errors.StaleSession: 412,
    errors.PayloadTooLarge: 413,
    errors.InvalidCursor: 422,
    errors.UnknownMessage: 422,
    errors.FeedbackNotAllowed: 422,
    errors.InvalidImport: 422,
    errors.NothingToRegenerate: 422,
    errors.SessionCorrupt: 500,
    errors.AssistantFailed: 502,
    errors.StorageUnavailable: 503,
    errors.StorageFull: 507,
    errors.QuotaExceeded: 507,
}


def status_for(error: errors.CoraError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return 400


def error_answer(
    error: errors.CoraError, method: str, path: str
) -> tuple[int, str, dict[str, str]]:
    """The status, `detail` and headers that answer a domain error (FastAPI's routes and the
    hot routes alike); a server-side failure is logged."""
    status = status_for(error)
    if status >= 500:
        logger.warning("%s %s answered %d: %s", method, path, status, error)
    return status, str(error), _headers_for(error, status) or {}


async def _cora_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, errors.CoraError)
    status, detail, headers = error_answer(error, request.method, request.url.path)
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _headers_for(error: errors.CoraError, status: int) -> dict[str, str] | None:
    if isinstance(error, errors.TooManyAttempts | errors.SearchesBusy):
        return {"Retry-After": str(error.retry_after_seconds)}
    if isinstance(error, errors.AssistantFailed) and error.retry_after is not None:
        return {"Retry-After": str(math.ceil(error.retry_after))}
    if status == 503:
        return {"Retry-After": RETRY_AFTER_SECONDS}
    if status == 401:
        return {"WWW-Authenticate": "Bearer"}
    return None


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    detail = [
        {key: value for key, value in item.items() if key in ("loc", "msg", "type")}
        for item in error.errors()
    ]
    return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=422)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    headers = dict(error.headers or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(sorted(_allowed_methods(request)))
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> set[str]:
    """Every method some route takes at this path (Starlette names only the first route's)."""
    return {
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
            if not isinstance(route, Mount)
        )
    }


def unexpected_error_detail(method: str, path: str) -> str:
    """The `detail` of the 500 that answers an exception no handler expected (FastAPI's routes
    and the hot routes alike), once the exception being handled is logged."""
    logger.exception("unhandled error on %s %s", method, path)
    return "Internal server error"


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    detail = unexpected_error_detail(request.method, request.url.path)
    return JSONResponse({"detail": detail}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.CoraError, _cora_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
