"""A call waiting in a batch (the group append's, the group list's) for its row."""

import asyncio
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from psycopg.rows import DictRow

P = TypeVar("P")


def _future() -> "asyncio.Future[DictRow]":
    return asyncio.get_running_loop().create_future()


@dataclass(slots=True)
class Pending(Generic[P]):
    params: P
    answer: "asyncio.Future[DictRow]" = field(default_factory=_future)

    def settle(self, row: DictRow | None = None, error: BaseException | None = None) -> None:
        """Answer the caller with `row` or `error`, unless it was cancelled meanwhile."""
        if self.answer.done():
            return
        if isinstance(error, asyncio.CancelledError):
            self.answer.cancel()
        elif error is not None:
            self.answer.set_exception(error)
        else:
            assert row is not None
            self.answer.set_result(row)
