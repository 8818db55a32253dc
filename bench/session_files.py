"""Write many JSON-store session files fast, straight in the on-disk format (no server, no sync).

    .venv/bin/python bench/session_files.py DATA_DIR --sessions 1000000 [--processes 2]

Each file is what the store writes for a session of 0-4 messages (~1 KB), encoded by the store's
own functions (`cora.store.json_files.document`), so the format cannot drift from the store's.
Sessions belong to `bench-user` (every 1000th) and 5,000 other users; some are tagged, pinned or
archived. Content is deterministic for a given number. Files are written with plain writes, no
fsync: a benchmark's data, not a user's. Used by `startup_bench.py`.
"""

import argparse
import hashlib
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from multiprocessing import Pool
from pathlib import Path

from cora.domain import (
    MessageRecord,
    SessionRecord,
    SessionSummaryRecord,
    effective_title,
)
from cora.store.json_files.document import encode_document

USER = "bench-user"
OTHER_USERS = 5000
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
TEXTS = (
    "How does my deductible work when the other driver is at fault?",
    "Your deductible does not apply when the other driver's insurer pays the claim.",
    "Can I add my daughter to the policy before she takes her driving test?",
    "Yes: a learner can be added as an occasional driver; the premium changes from the next month.",
    "What documents do I need to file a claim after a break-in?",
)
TAGS = ((), ("auto",), ("home", "claim"))


def user_of(number: int) -> str:
    return USER if number % 1000 == 0 else f"user-{number % OTHER_USERS}"


def _uuid(number: int, part: int) -> str:
    digest = hashlib.blake2b(number.to_bytes(8) + bytes([part]), digest_size=16).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def session_of(number: int) -> SessionRecord:
    """The session with this number: deterministic, a few messages, ~1 KB on disk."""
    session_id = _uuid(number, 0xFF)
    created = EPOCH + timedelta(seconds=number)
    messages = tuple(
        MessageRecord(
            id=_uuid(number, i),
            sender="user" if i % 2 == 0 else "assistant",
            text=TEXTS[(number + i) % len(TEXTS)],
            timestamp=created + timedelta(seconds=i + 1),
            metadata={"n": i} if i % 3 == 0 else {},
        )
        for i in range(number % 5)
    )
    custom_title = "Renamed by hand" if number % 97 == 0 else None
    summary = SessionSummaryRecord(
        session_id=session_id,
        user_id=user_of(number),
        title=effective_title(custom_title, messages),
        created_at=created,
        updated_at=messages[-1].timestamp if messages else created,
        message_count=len(messages),
        tags=TAGS[number % len(TAGS)],
        metadata={"source": "bench"} if number % 7 == 0 else {},
        pinned=number % 11 == 0,
        archived=number % 13 == 0,
    )
    return SessionRecord(summary=summary, custom_title=custom_title, messages=messages)


def write_range(task: tuple[str, int, int]) -> int:
    directory, start, stop = task
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
    for number in range(start, stop):
        record = session_of(number)
        name = f"{record.summary.user_id}_{record.session_id}.json"
        fd = os.open(os.path.join(directory, name), flags, 0o600)
        try:
            os.write(fd, encode_document(record))
        finally:
            os.close(fd)
    return stop - start


def generate(data_dir: Path, count: int, *, processes: int = 2, start: int = 0) -> None:
    """Write sessions `start .. start + count - 1` under `data_dir/sessions`."""
    sessions = data_dir / "sessions"
    sessions.mkdir(parents=True, exist_ok=True, mode=0o700)
    step = 10_000
    tasks = [
        (str(sessions), a, min(a + step, start + count)) for a in range(start, start + count, step)
    ]
    if processes <= 1 or len(tasks) <= 1:
        for task in tasks:
            write_range(task)
        return
    with Pool(processes) as pool:
        for _ in pool.imap_unordered(write_range, tasks):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    began = time.perf_counter()
    generate(args.data_dir, args.sessions, processes=args.processes)
    seconds = time.perf_counter() - began
    print(
        f"wrote {args.sessions} session files in {seconds:.1f} s ({args.sessions / seconds:.0f}/s)"
    )


if __name__ == "__main__":
    main()
