"""The client's errors: one class per kind of answer, all under `CoraClientError`."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx


class CoraClientError(Exception):
    """Cora answered with an error (`status`, `detail`: the answer's `detail` field), or did
    not answer at all (`CoraConnectionError`, whose `status` is None)."""

    def __init__(self, status: int | None, detail: Any) -> None:
        super().__init__(f"{status}: {detail}" if status is not None else str(detail))
        self.status = status
        self.detail = detail


class CoraConnectionError(CoraClientError):
    """No answer: the connection failed or timed out (after the retries the call allows)."""

    def __init__(self, detail: str) -> None:
        super().__init__(None, detail)


class BadRequest(CoraClientError):
    """400: a body that could not be read."""


class Unauthorized(CoraClientError):
    """401: no credentials, or bad, forged or expired ones."""


class Forbidden(CoraClientError):
    """403: the token's user is not the `user_id` of the path."""


class NotFound(CoraClientError):
    """404: no such session (or route)."""


class Conflict(CoraClientError):
    """409: a message id stored with another sender or text, or a username taken."""


class PreconditionFailed(CoraClientError):
    """412: the session changed since the ETag given as `if_match`."""


class TooLarge(CoraClientError):
    """413: a body, message text or metadata over the server's limits."""


class ValidationFailed(CoraClientError):
    """422: input the server refused; `detail` lists what and where."""


class RateLimited(CoraClientError):
    """429: too many attempts; `retry_after` is how many seconds to wait (if the server said)."""

    def __init__(self, status: int, detail: Any, retry_after: float | None) -> None:
        super().__init__(status, detail)
        self.retry_after = retry_after


class ServerError(CoraClientError):
    """5xx: the server could not do it."""


class AssistantFailed(ServerError):
    """502: the assistant could not answer (the user's message stays stored). Also raised by a
    streaming chat that ends with `event: error`."""


class ServiceUnavailable(ServerError):
    """503: storage unavailable; `retry_after` is how many seconds to wait (if the server said)."""

    def __init__(self, status: int, detail: Any, retry_after: float | None) -> None:
        super().__init__(status, detail)
        self.retry_after = retry_after


class StorageFull(ServerError):
    """507: the server's storage is full; nothing was written."""


ERROR_BY_STATUS: dict[int, type[CoraClientError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    413: TooLarge,
    422: ValidationFailed,
    502: AssistantFailed,
    507: StorageFull,
}


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The answer's `Retry-After` in seconds (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def error_detail(response: httpx.Response) -> Any:
    """The `detail` of an error answer; the text itself when it is not Cora's JSON."""
    try:
        body = response.json()
    except ValueError:
        return response.text or response.reason_phrase
    if isinstance(body, dict) and "detail" in body:
        return body["detail"]
    return body


def error_for(response: httpx.Response) -> CoraClientError:
    """The typed error for an error answer (its body must have been read)."""
    status = response.status_code
    detail = error_detail(response)
    if status == 429:
        return RateLimited(status, detail, retry_after_seconds(response))
    if status == 503:
        return ServiceUnavailable(status, detail, retry_after_seconds(response))
    kind = ERROR_BY_STATUS.get(status)
    if kind is None:
        kind = ServerError if status >= 500 else CoraClientError
    return kind(status, detail)
