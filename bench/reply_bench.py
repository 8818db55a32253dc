"""The cost of writing a reply as it streams (contract 3.5), against an append, in one run.

    .venv/bin/python bench/reply_bench.py [--workdir DIR]

A reply is flushed every `reply_flush_seconds` (default 0.5 s): each flush rewrites the reply's
line and the trailer through a redo file (two fdatasyncs instead of an append's one). Prints
the median ms of an append, of a flush of a growing reply, and of ending it, for sessions of
10 and 1,000 messages, and the share of one core that flushing every 0.5 s takes.
"""

import argparse
import asyncio
import dataclasses
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from store_bench import message, session

from cora.domain import MessageRecord
from cora.store.json_files import JsonFileStore
from cora.timeutil import utc_now

FLUSH_SECONDS = 0.5
ROUNDS = 30
WORDS_PER_FLUSH = 12


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def measure(workdir: Path, size: int) -> tuple[float, float, float]:
    store = JsonFileStore(workdir / f"replies-{size}")
    await store.open()
    records = [session("bench", size) for _ in range(ROUNDS)]
    await store.create_sessions(sessions=records)
    appends, flushes, ends = [], [], []
    for record in records:
        sid = record.session_id
        start = time.perf_counter()
        await store.append_message(user_id="bench", session_id=sid, message=message(size))
        appends.append(time.perf_counter() - start)
        reply = MessageRecord(str(uuid.uuid4()), "assistant", "", utc_now(), {}, "streaming")
        await store.start_reply(user_id="bench", session_id=sid, reply=reply, writer="bench")
        text = ""
        for _ in range(10):
            text += "deductible " * WORDS_PER_FLUSH
            grown = dataclasses.replace(reply, text=text)
            start = time.perf_counter()
            await store.update_reply(user_id="bench", session_id=sid, reply=grown, writer="bench")
            flushes.append(time.perf_counter() - start)
        final = dataclasses.replace(reply, text=text, status="complete")
        start = time.perf_counter()
        await store.update_reply(user_id="bench", session_id=sid, reply=final, writer="bench")
        ends.append(time.perf_counter() - start)
    await store.close()
    return ms(appends), ms(flushes), ms(ends)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cora-reply-bench-"))
    try:
        print("JSON store, median ms (one fdatasync per append; two per flush)")
        print(f"{'messages':>10} {'append':>8} {'flush':>8} {'end':>8} {'flush/append':>13}")
        for size in (10, 1_000):
            append, flush, end = await measure(workdir, size)
            print(f"{size:>10,} {append:>8.3f} {flush:>8.3f} {end:>8.3f} {flush / append:>12.1f}x")
            busy = flush / 1000 / FLUSH_SECONDS
            print(f"{'':>10} a reply flushed every {FLUSH_SECONDS} s: {busy:.1%} of its time")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
