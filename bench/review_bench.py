"""`cora review` over many sessions on the JSON store, in process, against reading them alone.

    .venv/bin/python bench/review_bench.py [--sessions 5000] [--messages 20]

The reference is the floor of the way the review works: list the sessions updated in the window
and read each one (`get_session`), with nothing done with them. The review does the same reads
and picks the questions out; its ratio to the reference is what that costs. Peak Python memory
(tracemalloc) is printed for both: the review keeps only its items, not the sessions it read.
"""

import argparse
import asyncio
import shutil
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from cora.domain import Feedback, MessageRecord, SessionRecord, SessionSummaryRecord
from cora.services.review import questions_to_review
from cora.store.json_files import JsonFileStore
from cora.timeutil import utc_now

QUESTION = "my car got hit in a parking lot and the other guy drove off, what now"
ANSWER = "I'm not sure I understood. These topics are close:"
SUGGESTIONS = ["How do I file a claim?", "What does collision cover?", "Hit and run"]


def message(position: int) -> MessageRecord:
    """A user question, then Cora's reply: every third reply a decline, every fifth rated down."""
    at = utc_now() - timedelta(minutes=60 - position)
    if position % 2 == 0:
        return MessageRecord(str(uuid.uuid4()), "user", f"{QUESTION} ({position})", at)
    reply = MessageRecord(str(uuid.uuid4()), "assistant", ANSWER, at, {"faq_id": "claims-file"})
    if position % 3 == 0:
        declined = {"faq_id": None, "fallback": True, "suggestions": SUGGESTIONS}
        reply = replace(reply, metadata=declined)
    if position % 5 == 0:
        reply = replace(reply, feedback=Feedback("down", "not what I asked"))
    return reply


def sessions(count: int, messages: int) -> list[SessionRecord]:
    now = utc_now()
    records = tuple(message(i) for i in range(messages))
    return [
        SessionRecord(
            SessionSummaryRecord(str(uuid.uuid4()), f"user-{i % 500}", None, now, now, messages),
            None,
            records,
        )
        for i in range(count)
    ]


async def measured(run: Callable[[], Awaitable[int]]) -> tuple[float, float, int]:
    """Seconds (the best of three), peak traced MiB (a fourth run: tracing slows allocations)
    and what the run counted."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        counted = await run()
        timings.append(time.perf_counter() - started)
    tracemalloc.start()
    await run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return min(timings), peak, counted


async def main(count: int, messages: int) -> None:
    directory = Path(tempfile.mkdtemp(prefix="cora-review-bench-"))
    store = JsonFileStore(directory)
    await store.open()
    try:
        await store.create_sessions(sessions=sessions(count, messages))
        since = utc_now() - timedelta(days=1)

        async def read_all() -> int:
            keys = await store.sessions_updated_since(since=since)
            for user_id, session_id in keys:
                await store.get_session(user_id=user_id, session_id=session_id)
            return len(keys)

        async def review() -> int:
            return len((await questions_to_review(store, since=since)).questions)

        await read_all()  # warm the page cache for both runs
        read_seconds, read_peak, read = await measured(read_all)
        review_seconds, review_peak, listed = await measured(review)
        print(f"{count} sessions of {messages} messages ({read} read); {listed} questions listed")
        print(f"read alone: {read_seconds:.2f} s, peak {read_peak:.1f} MiB")
        print(f"review:     {review_seconds:.2f} s, peak {review_peak:.1f} MiB")
        print(f"ratio review / read alone: {review_seconds / read_seconds:.2f}")
    finally:
        await store.close()
        shutil.rmtree(directory)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--messages", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.sessions, arguments.messages))
