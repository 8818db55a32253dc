"""Search work bounded per user: a few searches of one user at a time in each process.

A search reads session files (or runs a text query) and can take long on a large store; one user
starting many at once must not take every worker thread or database connection from the others.
A search waits at most `WAIT_SECONDS` for its turn, then is answered 429 with `Retry-After`.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from cora.errors import SearchesBusy

SEARCHES_PER_USER = 2
WAIT_SECONDS = 5.0


class SearchTurns:
    def __init__(self, per_user: int = SEARCHES_PER_USER, wait_seconds: float = WAIT_SECONDS):
        self._per_user = per_user
        self._wait_seconds = wait_seconds
        self._turns: dict[str, asyncio.Semaphore] = {}
        self._holders: dict[str, int] = {}

    @asynccontextmanager
    async def turn(self, user_id: str) -> AsyncIterator[None]:
        turns = self._turns.setdefault(user_id, asyncio.Semaphore(self._per_user))
        self._holders[user_id] = self._holders.get(user_id, 0) + 1
        try:
            try:
                async with asyncio.timeout(self._wait_seconds):
                    await turns.acquire()
            except TimeoutError:
                raise SearchesBusy() from None
            try:
                yield
            finally:
                turns.release()
        finally:
            self._holders[user_id] -= 1
            if not self._holders[user_id]:  # nobody waits: forget the user
                del self._holders[user_id], self._turns[user_id]


SEARCH_TURNS = SearchTurns()
