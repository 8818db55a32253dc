"""Append with a client message id to a large session while many others are active (JSON store).

    .venv/bin/python bench/message_id_bench.py [--others 10000] [--messages 10000] [--cycles 3]

Each cycle appends once to every other session (so the large one has left the per-process id
cache), then times an append to the large session and one to a fresh session. Target (issue 13):
the large session's append within 1.5x of the fresh one's.
"""

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from store_bench import message, session

from cora.store.json_files import JsonFileStore

USER = "bench-user"


async def timed_append(store: JsonFileStore, session_id: str, number: int) -> float:
    start = time.perf_counter()
    await store.append_message(user_id=USER, session_id=session_id, message=message(number))
    return time.perf_counter() - start


async def run(workdir: Path, others: int, messages: int, cycles: int) -> tuple[float, float]:
    store = JsonFileStore(workdir)
    await store.open()
    big = session(USER, messages)
    small = [session(USER, 3) for _ in range(others)]
    await store.create_sessions(sessions=[big])
    for start in range(0, others, 2000):
        await store.create_sessions(sessions=small[start : start + 2000])
    big_times, fresh_times = [], []
    for cycle in range(cycles):
        for record in small:
            await store.append_message(
                user_id=USER, session_id=record.session_id, message=message(cycle)
            )
        fresh = session(USER, 1)
        await store.create_sessions(sessions=[fresh])
        big_times.append(await timed_append(store, big.session_id, messages + cycle))
        fresh_times.append(await timed_append(store, fresh.session_id, 1))
    await store.close()
    return statistics.median(big_times) * 1000, statistics.median(fresh_times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--others", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cora-bench-ids-"))
    try:
        big, fresh = asyncio.run(run(workdir, args.others, args.messages, args.cycles))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = big / fresh
    print(f"append to a {args.messages:,}-message session, {args.others:,} others active:")
    print(f"  large {big:.3f} ms, fresh {fresh:.3f} ms (medians of {args.cycles})")
    verdict = "PASS" if ratio <= 1.5 else "MISS"
    print(f"  large/fresh ratio: {ratio:.2f} (target <= 1.5) {verdict}")


if __name__ == "__main__":
    main()
