"""When a call is tried again: the decisions both clients share (they only differ in how they
sleep)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import httpx

from cora.client.calls import Call
from cora.client.errors import CoraConnectionError, retry_after_seconds

# The request never left: repeating it is safe whatever it does.
NOT_SENT: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently calls that are safe to repeat are tried again.

    `attempts` counts every try (1 = never retry). Waits grow as `backoff * 2**n` (with jitter),
    at most `max_backoff`; a `Retry-After` from the server is honoured instead, unless it asks
    for more than `max_retry_after` seconds (then the error is raised at once)."""

    attempts: int = 4
    backoff: float = 0.25
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    statuses: frozenset[int] = frozenset({502, 503})

    def backoff_delay(self, retry: int) -> float:
        ceiling = min(self.max_backoff, self.backoff * 2.0**retry)
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 (jitter, not secrets)


class Attempts:
    """The tries of one call."""

    def __init__(self, policy: RetryPolicy, call: Call[Any]) -> None:
        self._policy = policy
        self._call = call
        self.count = 0
        self.in_doubt = False
        """An earlier try may have been applied although no answer said so."""

    def after_error(self, error: httpx.TransportError) -> float:
        """Seconds to wait before the next try; raises `CoraConnectionError` when there is none."""
        self.count += 1
        sent = not isinstance(error, NOT_SENT)
        if (sent and not self._call.repeatable) or self.count >= self._policy.attempts:
            tries = f" after {self.count} tries" if self.count > 1 else ""
            raise CoraConnectionError(
                f"{self._call.method} {self._call.path}: no answer{tries} ({error!r})"
            ) from error
        self.in_doubt = self.in_doubt or sent
        return self._policy.backoff_delay(self.count - 1)

    def after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before the next try, or None when this answer is the one to keep."""
        status = response.status_code
        if not self._call.repeatable or status not in self._policy.statuses:
            return None
        if self.count + 1 >= self._policy.attempts:
            return None
        retry_after = retry_after_seconds(response)
        if retry_after is not None and retry_after > self._policy.max_retry_after:
            return None
        self.count += 1
        self.in_doubt = self.in_doubt or status == 502
        return (
            retry_after if retry_after is not None else self._policy.backoff_delay(self.count - 1)
        )
