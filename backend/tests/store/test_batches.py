"""`Batches`: work handed from the event loop to one thread, whatever waits going in the next
batch, each caller getting its own item's outcome."""

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest

from cora.store.json_files.batches import Batches

BOUND = 30  # seconds: only bounds a failure, never reached when the test passes


class Recorder:
    """A `finish` that records its batches and holds the first one until `release`."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.second_started = threading.Event()

    def finish(self, batch: list[str]) -> list[str | Exception]:
        self.batches.append(batch)
        if len(self.batches) == 1:
            self.first_started.set()
            assert self.release.wait(BOUND)
        else:
            self.second_started.set()
        return [ValueError(item) if item.startswith("bad") else item.upper() for item in batch]


@pytest.fixture
async def first_held() -> AsyncIterator[tuple[Recorder, Batches[str, str], "asyncio.Future[str]"]]:
    """Batches whose first batch, of "a", is running and held until `recorder.release`."""
    recorder = Recorder()
    batches: Batches[str, str] = Batches(recorder.finish, "test-batches")
    try:
        first = batches.submit("a")
        assert await asyncio.to_thread(recorder.first_started.wait, BOUND)
        yield recorder, batches, first
    finally:
        recorder.release.set()
        batches.close()


async def test_what_waits_while_a_batch_runs_goes_in_the_next_one(first_held) -> None:
    recorder, batches, first = first_held
    later = [batches.submit(item) for item in ("b", "bad c", "d")]
    recorder.release.set()
    assert await first == "A"
    assert await later[0] == "B"
    with pytest.raises(ValueError, match="bad c"):
        await later[1]
    assert await later[2] == "D"
    assert recorder.batches == [["a"], ["b", "bad c", "d"]]


async def test_the_thread_starts_the_next_batch_while_the_event_loop_is_busy(first_held) -> None:
    """The next batch must not wait for the loop: a busy loop would hand it over late."""
    recorder, batches, first = first_held
    second = batches.submit("b")
    recorder.release.set()
    # The loop is held here, not yielding: the thread must take "b" by itself.
    assert recorder.second_started.wait(BOUND)
    assert (await first, await second) == ("A", "B")


async def test_a_failing_batch_fails_each_of_its_callers() -> None:
    def finish(batch: list[str]) -> list[str | Exception]:
        raise OSError("the disk is gone")

    batches: Batches[str, str] = Batches(finish, "test-batches")
    try:
        outcomes = [batches.submit(item) for item in "ab"]
        for outcome in outcomes:
            with pytest.raises(OSError, match="the disk is gone"):
                await outcome
    finally:
        batches.close()


async def test_close_runs_what_was_submitted_then_refuses_more() -> None:
    recorder = Recorder()
    recorder.release.set()
    batches: Batches[str, str] = Batches(recorder.finish, "test-batches")
    outcomes = [batches.submit(item) for item in "abc"]
    await asyncio.to_thread(batches.close)
    assert [await outcome for outcome in outcomes] == ["A", "B", "C"]
    with pytest.raises(RuntimeError, match="closed"):
        batches.submit("d")
