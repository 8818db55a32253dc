"""Work handed from the event loop to one thread in batches: whatever waits when the thread is
free goes in its next batch. The JSON store's appends, written on the loop, wait here for their
sync and index update, so that one hand-off and one index transaction serve many appends."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Generic, TypeVar

import anyio

Item = TypeVar("Item")
Result = TypeVar("Result")


T = TypeVar("T")


async def through_cancellation(running: "asyncio.Future[T]") -> T:
    """The future's result. A caller cancelled meanwhile sees the cancellation only once the
    future has ended: work under way (a write, a sync) is never abandoned half-done."""
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        # An anyio cancel scope re-delivers its cancellation on every turn of the loop.
        with anyio.CancelScope(shield=True):
            while not running.done():
                with suppress(asyncio.CancelledError):
                    await asyncio.wait({running})
        raise


class Batches(Generic[Item, Result]):
    """Runs `finish(items)` on its own thread, one batch at a time. `finish` gives, for each
    item in order, its result or the exception to raise to its caller."""

    def __init__(self, finish: Callable[[list[Item]], list[Result | Exception]], name: str):
        self._finish = finish
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._running = False

    def submit(self, item: Item) -> "asyncio.Future[Result]":
        """The future of the item's result, set once its batch has run (to be awaited with
        `through_cancellation`)."""
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[Result] = loop.create_future()
        self._waiting.append((item, outcome))
        if not self._running:
            self._start(loop)
        return outcome

    def close(self) -> None:
        self._thread.shutdown(wait=True)

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._waiting = self._waiting, []
        self._running = True
        running = loop.run_in_executor(self._thread, self._finish, [item for item, _ in batch])
        running.add_done_callback(lambda done: self._ended(loop, batch, done))

    def _ended(
        self,
        loop: asyncio.AbstractEventLoop,
        batch: list[tuple[Item, "asyncio.Future[Result]"]],
        running: "asyncio.Future[list[Result | Exception]]",
    ) -> None:
        self._running = False
        failure = running.exception()
        outcomes = running.result() if failure is None else [failure] * len(batch)
        for (_, outcome), result in zip(batch, outcomes, strict=True):
            if isinstance(result, BaseException):
                outcome.set_exception(result)
            else:
                outcome.set_result(result)
        if self._waiting:
            self._start(loop)
