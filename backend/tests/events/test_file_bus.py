"""The JSON data directory's event log: its files, its segments, and what a damaged line does."""

import asyncio
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path

from cora.events.files import FileEventBus, segment_name
from tests.events.test_bus_contract import event, numbers, take


async def opened(directory: Path, **options: int) -> FileEventBus:
    bus = FileEventBus(directory, poll_seconds=0.01, **options)  # type: ignore[arg-type]
    await bus.open()
    return bus


def segments(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


async def test_the_log_is_private_to_its_owner(tmp_path: Path) -> None:
    bus = await opened(tmp_path / "events")
    try:
        await bus.publish(event(n=1))
        assert stat.S_IMODE((tmp_path / "events").stat().st_mode) == 0o700
        for name in segments(tmp_path / "events"):
            assert stat.S_IMODE((tmp_path / "events" / name).stat().st_mode) == 0o600
    finally:
        await bus.close()


async def test_segments_rotate_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    directory = tmp_path / "events"
    bus = await opened(directory, segment_bytes=300, keep_segments=3)
    try:
        watching = bus.subscribe(user_id="alice", session_id=None, last_event_id=None)
        for n in range(12):
            await bus.publish(event(n=n))
            assert numbers(await take(watching, 1)) == [n]  # the reader follows each rotation
        kept = segments(directory)
        assert len(kept) == 3
        assert kept[-1] == segment_name(int(kept[-1].split(".")[0]))
        assert all(os.path.getsize(directory / name) < 300 + 100 for name in kept)
    finally:
        await bus.close()


async def test_a_process_that_slept_through_rotations_writes_to_the_newest_segment(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "events"
    sleeper = await opened(directory, segment_bytes=300, keep_segments=2)
    busy = await opened(directory, segment_bytes=300, keep_segments=2)
    try:
        watching: AsyncIterator = busy.subscribe(
            user_id="alice", session_id=None, last_event_id=None
        )
        await sleeper.publish(event(n=0))
        for n in range(1, 30):
            await busy.publish(event(n=n))
        while (await take(watching, 1))[0].data != b'{"n": 29}':
            pass  # the reader may have been passed by the pruning: then a reset comes
        before = segments(directory)
        await sleeper.publish(event(n=99))
        assert numbers(await take(watching, 1)) == [99]
        assert segments(directory)[0] >= before[0]  # no deleted segment made again
    finally:
        await sleeper.close()
        await busy.close()


async def test_a_damaged_line_is_skipped_and_the_next_events_arrive(tmp_path: Path) -> None:
    directory = tmp_path / "events"
    bus = await opened(directory)
    try:
        watching = bus.subscribe(user_id="alice", session_id=None, last_event_id=None)
        [segment] = segments(directory)
        with (directory / segment).open("ab") as log:
            log.write(b"not an event\n\xff\xfe\tgarbage\n")
        await bus.publish(event(n=1))
        assert numbers(await take(watching, 1)) == [1]
    finally:
        await bus.close()


async def test_a_new_process_starts_after_the_events_already_there(tmp_path: Path) -> None:
    directory = tmp_path / "events"
    first = await opened(directory)
    await first.publish(event(n=1))
    await first.close()
    second = await opened(directory)
    try:
        watching = second.subscribe(user_id="alice", session_id=None, last_event_id=None)
        await second.publish(event(n=2))
        assert numbers(await take(watching, 1)) == [2]
    finally:
        await second.close()


async def test_a_new_subscription_skips_what_was_written_before_it_even_if_not_yet_read(
    tmp_path: Path,
) -> None:
    bus = FileEventBus(tmp_path / "events", poll_seconds=3600)  # the reader has not polled since
    await bus.open()
    try:
        await bus.publish(event(n=0))  # in the log before the subscription, not yet read
        watching = bus.subscribe(user_id="alice", session_id=None, last_event_id=None)
        await bus.publish(event(n=1))
        await asyncio.sleep(0)  # the lines published in a turn of the loop are written after it
        await bus._read_available()  # what the reader's next poll does
        assert numbers(await take(watching, 1)) == [1]
    finally:
        await bus.close()


async def test_events_published_in_one_turn_are_all_written_in_order_once_the_bus_closes(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "events"
    bus = await opened(directory)
    for n in range(20):  # one turn of the event loop: written together, after it
        await bus.publish(event(n=n))
    await bus.close()
    [name] = segments(directory)
    lines = (directory / name).read_bytes().splitlines()
    assert [line.rsplit(b"\t", 1)[1] for line in lines] == [b'{"n": %d}' % n for n in range(20)]


async def test_forgetting_a_user_erases_an_event_published_in_the_same_turn(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "events"
    bus = await opened(directory)
    try:
        start = bus.position()
        await bus.publish(event(n=1))
        await bus.forget_user("alice")
        await bus.publish(event(n=2))
        resumed = bus.subscribe(user_id="alice", session_id=None, last_event_id=start)
        assert numbers(await take(resumed, 1)) == [2]
    finally:
        await bus.close()
