"""Work handed from the event loop to one thread in batches: whatever waits when the thread is
free goes in its next batch. The JSON store's appends, written on the loop, wait here for their
sync and index update, so that one hand-off and one index transaction serve many appends."""

import asyncio
import threading
from collections.abc import Callable, Sequence
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
    item in order, its result or the exception to raise to its caller.

    The thread takes its next batch itself as soon as one ends, rather than waiting for the
    event loop to hand it over: a busy loop runs that hand-over only once it has worked through
    everything queued before it, and the thread would stand idle meanwhile."""

    def __init__(self, finish: Callable[[list[Item]], list[Result | Exception]], name: str):
        self._finish = finish
        self._name = name
        self._changed = threading.Condition()
        self._waiting: list[_Waiting[Item, Result]] = []
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, item: Item) -> "asyncio.Future[Result]":
        """The future of the item's result, set once its batch has run (to be awaited with
        `through_cancellation`)."""
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[Result] = loop.create_future()
        with self._changed:
            if self._closed:
                raise RuntimeError(f"{self._name} is closed")
            self._waiting.append((item, outcome, loop))
            self._changed.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        return outcome

    def close(self) -> None:
        """Run what was submitted, then stop the thread."""
        with self._changed:
            self._closed = True
            self._changed.notify()
            thread = self._thread
        if thread is not None:
            thread.join()

    @property
    def closed(self) -> bool:
        return self._closed

    def _run(self) -> None:
        while batch := self._next_batch():
            try:
                outcomes: Sequence[Result | BaseException] = self._finish(
                    [item for item, _, _ in batch]
                )
                if len(outcomes) != len(batch):
                    raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} items")
            except BaseException as error:  # as an executor would: its callers get it
                outcomes = [error] * len(batch)
            for loop, settled in _by_loop(batch, outcomes).items():
                with suppress(RuntimeError):  # the loop is closed: nobody waits any more
                    loop.call_soon_threadsafe(_settle, settled)

    def _next_batch(self) -> "list[_Waiting[Item, Result]]":
        """Everything waiting, once something is; empty once closed with nothing left."""
        with self._changed:
            while not self._waiting and not self._closed:
                self._changed.wait()
            batch, self._waiting = self._waiting, []
            return batch


_Waiting = tuple[Item, "asyncio.Future[Result]", asyncio.AbstractEventLoop]
_Settled = list[tuple["asyncio.Future[Result]", Result | BaseException]]


def _by_loop(
    batch: "list[_Waiting[Item, Result]]", outcomes: Sequence[Result | BaseException]
) -> "dict[asyncio.AbstractEventLoop, _Settled[Result]]":
    settled: dict[asyncio.AbstractEventLoop, _Settled[Result]] = {}
    for (_, outcome, loop), result in zip(batch, outcomes, strict=True):
        settled.setdefault(loop, []).append((outcome, result))
    return settled


def _settle(settled: "_Settled[Result]") -> None:
    for outcome, result in settled:
        if outcome.cancelled():
            continue
        if isinstance(result, BaseException):
            outcome.set_exception(result)
        else:
            outcome.set_result(result)
