"""Search and message paging on the JSON store, in process.

    .venv/bin/python bench/history_bench.py

Targets (issue 6): searching a user's 1,000 sessions of 50 messages each takes at most 50 ms
(median); the latest page of a 10,000-message session is within 1.5x of a 50-message one's.
"""

import asyncio
import random
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from cora.domain import MessageRecord, SessionRecord, SessionSummaryRecord
from cora.store.json_files import JsonFileStore
from cora.timeutil import utc_now

WORDS = [
    "claim",
    "policy",
    "deductible",
    "premium",
    "coverage",
    "windshield",
    "roof",
    "flood",
    "theft",
    "renters",
    "home",
    "auto",
    "life",
    "health",
    "agent",
    "payment",
    "invoice",
    "document",
    "cancel",
    "change",
    "beneficiary",
    "accident",
    "hail",
]


def text(rng: random.Random, words: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def session(user_id: str, messages: int, rng: random.Random) -> SessionRecord:
    now = utc_now()
    records = tuple(
        MessageRecord(str(uuid.uuid4()), "user" if i % 2 == 0 else "assistant", text(rng), now)
        for i in range(messages)
    )
    summary = SessionSummaryRecord(str(uuid.uuid4()), user_id, None, now, now, messages)
    return SessionRecord(summary, None, records)


async def median_ms(operation, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        await operation()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


async def main() -> None:
    rng = random.Random(7)
    workdir = Path(tempfile.mkdtemp(prefix="cora-history-bench-"))
    store = JsonFileStore(workdir)
    await store.open()
    try:
        sessions = [session("searcher", 50, rng) for _ in range(1000)]
        needle = sessions[500]
        marked = MessageRecord(str(uuid.uuid4()), "user", "My motorcycle was stolen", utc_now())
        needle = SessionRecord(needle.summary, None, (*needle.messages, marked))
        sessions[500] = needle
        await store.create_sessions(sessions=sessions)

        async def search_rare() -> None:
            page = await store.search_sessions(
                user_id="searcher", text="MOTORCYCLE", tag=None, limit=50
            )
            assert len(page.hits) == 1

        async def search_common() -> None:
            page = await store.search_sessions(user_id="searcher", text="hail", tag=None, limit=50)
            assert len(page.hits) == 50

        rare = await median_ms(search_rare, 15)
        common = await median_ms(search_common, 15)
        print("Search in a user's 1,000 sessions of 50 messages (median ms)")
        print(
            f"  a word in one session (reads all 1,000): {rare:8.2f}  target <= 50 "
            f"{verdict(rare <= 50)}"
        )
        print(f"  a common word (first page of 50 hits):   {common:8.2f}")

        short = session("pager", 50, rng)
        long = session("pager", 10_000, rng)
        await store.create_sessions(sessions=[short, long])

        def latest(record: SessionRecord):
            return lambda: store.list_messages(
                user_id="pager", session_id=record.session_id, limit=50
            )

        await latest(long)()
        short_ms, long_ms = [], []
        for _ in range(20):
            short_ms.append(await median_ms(latest(short), 10))
            long_ms.append(await median_ms(latest(long), 10))
        ratio = statistics.median(long_ms) / statistics.median(short_ms)
        print("Latest page of 50 messages (median ms)")
        print(f"  session of 50 messages:     {statistics.median(short_ms):8.3f}")
        print(f"  session of 10,000 messages: {statistics.median(long_ms):8.3f}")
        print(f"  ratio 10,000/50: {ratio:.2f} (target <= 1.5) {verdict(ratio <= 1.5)}")
    finally:
        await store.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
