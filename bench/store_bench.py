"""Append and list latency of the JSON file store, beside a naive reference, in one run.

    .venv/bin/python bench/store_bench.py [--sessions 100000] [--workdir DIR]

Targets (issue 2): append at 10,000 messages within 1.5x of append at 10; listing a user's
first page at most 5 ms with 100,000 sessions stored, within 1.5x of the 1,000 figure, and at
least 100x faster than the naive reference.
"""

import argparse
import asyncio
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from naive_store import NaiveJsonStore

from cora.domain import MessageRecord, SessionRecord, SessionSummaryRecord
from cora.store.json_files import JsonFileStore
from cora.timeutil import format_timestamp, utc_now

SIZES = (10, 1_000, 10_000)
TARGET_USER = "bench-user"
TARGET_SESSIONS = 20


def message(number: int) -> MessageRecord:
    sender = "user" if number % 2 == 0 else "assistant"
    text = f"Message {number}: how does my deductible work when the other driver is at fault?"
    return MessageRecord(str(uuid.uuid4()), sender, text, utc_now(), {"n": number})


def session(user_id: str, messages: int) -> SessionRecord:
    now = utc_now()
    records = tuple(message(i) for i in range(messages))
    summary = SessionSummaryRecord(str(uuid.uuid4()), user_id, None, now, now, messages)
    return SessionRecord(summary, None, records)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def timed(operation: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await operation()
    return time.perf_counter() - start


def timed_sync(operation: Callable[[], object]) -> float:
    start = time.perf_counter()
    operation()
    return time.perf_counter() - start


async def append_latencies(
    workdir: Path, size: int, rounds: int = 5, spread: int = 20
) -> tuple[float, float, float]:
    """Median ms to append to sessions holding `size` messages: Cora's first append in a process
    (it reads the message ids once), Cora's later appends, then the naive store's, measured apart
    so that one's unflushed writes do not slow the other's fsyncs."""
    directory = workdir / f"append-{size}"
    store = JsonFileStore(directory)
    await store.open()
    sessions = [session("appender", size) for _ in range(spread)]
    await store.create_sessions(sessions=sessions)
    naive_dir = directory / "naive"
    shutil.copytree(directory / "sessions", naive_dir)
    os.sync()

    def append_to(record: SessionRecord) -> Callable[[], Awaitable[object]]:
        return lambda: store.append_message(
            user_id="appender", session_id=record.session_id, message=message(size)
        )

    first = [await timed(append_to(record)) for record in sessions]
    ours = [await timed(append_to(record)) for _ in range(rounds) for record in sessions]
    await store.close()

    naive = NaiveJsonStore(naive_dir)
    theirs = []
    for _ in range(rounds):
        for record in sessions:
            new = message(size)
            plain = {
                "id": new.id,
                "sender": new.sender,
                "text": new.text,
                "timestamp": format_timestamp(new.timestamp),
                "metadata": {},
            }
            theirs.append(
                timed_sync(
                    lambda r=record, p=plain: naive.append_message("appender", r.session_id, p)
                )
            )
    shutil.rmtree(directory)
    return median_ms(first), median_ms(ours), median_ms(theirs)


async def populate(directory: Path, total: int) -> tuple[JsonFileStore, float]:
    """`total` sessions of 10,000 users (3 messages each); TARGET_USER has 20 of them."""
    store = JsonFileStore(directory)
    await store.open()
    start = time.perf_counter()
    batch: list[SessionRecord] = []
    users = 10_000 if total >= 10_000 else max(total // 10, 1)
    for number in range(total):
        user = TARGET_USER if number < TARGET_SESSIONS else f"user-{number % users}"
        record = session(user, 3)
        batch.append(replace(record, summary=replace(record.summary, updated_at=utc_now())))
        if len(batch) == 2000:
            await store.create_sessions(sessions=batch)
            batch.clear()
    await store.create_sessions(sessions=batch)
    return store, time.perf_counter() - start


async def list_latencies(
    workdir: Path, totals: tuple[int, ...], repeats: int = 2000
) -> dict[int, tuple[float, float, float]]:
    """Median ms of the first page for each store size: Cora's and the naive store's.

    Cora's stores are measured in alternation, so machine noise falls on every size alike."""
    stores: dict[int, JsonFileStore] = {}
    generated: dict[int, float] = {}
    for total in totals:
        stores[total], generated[total] = await populate(workdir / f"list-{total}", total)
    ours: dict[int, list[float]] = {total: [] for total in totals}
    for _ in range(repeats):
        for total, store in stores.items():
            ours[total].append(
                await timed(lambda s=store: s.list_sessions(user_id=TARGET_USER, limit=50))
            )
    results = {}
    for total, store in stores.items():
        page = await store.list_sessions(user_id=TARGET_USER, limit=50)
        assert len(page.sessions) == TARGET_SESSIONS
        await store.close()
        naive = NaiveJsonStore(workdir / f"list-{total}" / "sessions")
        assert len(naive.list_sessions(TARGET_USER, 50)) == TARGET_SESSIONS
        theirs = [timed_sync(lambda n=naive: n.list_sessions(TARGET_USER, 50)) for _ in range(20)]
        results[total] = (median_ms(ours[total]), median_ms(theirs), generated[total])
    return results


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cora-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print("Append latency (median ms; Cora fsyncs every append, the naive store does not)")
        print(f"{'messages':>10} {'cora':>10} {'naive':>10} {'naive/cora':>11} {'cora 1st':>10}")
        appends = {}
        for size in SIZES:
            first, ours, theirs = await append_latencies(workdir, size)
            appends[size] = ours
            print(
                f"{size:>10,} {ours:>10.3f} {theirs:>10.3f} {theirs / ours:>10.1f}x {first:>10.3f}"
            )
        print("(cora 1st: the first append to a session in a process, which reads its ids once)")
        growth = appends[SIZES[-1]] / appends[SIZES[0]]
        print(f"cora append 10,000/10 ratio: {growth:.2f} (target <= 1.5) {verdict(growth <= 1.5)}")

        print()
        print("First page of a user with 20 sessions (median ms)")
        print(f"{'stored':>10} {'cora':>10} {'naive':>10} {'naive/cora':>11} {'generated in':>13}")
        listing = await list_latencies(workdir, (1_000, args.sessions))
        for total, (ours, theirs, seconds) in listing.items():
            print(
                f"{total:>10,} {ours:>10.3f} {theirs:>10.3f} {theirs / ours:>10.1f}x"
                f" {seconds:>12.1f}s"
            )
        big_ours, big_theirs, _ = listing[args.sessions]
        flat = big_ours / listing[1_000][0]
        print(
            f"cora listing at {args.sessions:,}: {big_ours:.3f} ms (target <= 5) "
            f"{verdict(big_ours <= 5)}"
        )
        print(
            f"cora listing {args.sessions:,}/1,000 ratio: {flat:.2f} (target <= 1.5) "
            f"{verdict(flat <= 1.5)}"
        )
        speedup = big_theirs / big_ours
        print(
            f"naive/cora listing at {args.sessions:,}: {speedup:.0f}x (target >= 100) "
            f"{verdict(speedup >= 100)}"
        )
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
