"""A search storm by one user against another user's list, on one `cora serve` (JSON store).

    .venv/bin/python bench/search_storm_bench.py [--seconds 8] [--messages 20000]

User `storm` owns a very large session (`--messages` messages, each carrying the searched word
in its metadata, not its text: every search parses the whole file and matches nothing) and 50
small ones; user `calm` owns 100 sessions. First `calm` lists its first page one request after
another for `--seconds` (the reference), then does the same while 8 clients of `storm` search
without pause. Figures: the list's p50/p99/max in both phases and their ratio, and what the
searches got (200, or 429 past the per-user limit of 2 at a time).
Target (issue 13): the other user's list p99 <= 100 ms during the storm.
"""

import argparse
import asyncio
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx

from cora.domain import MessageRecord, SessionRecord, SessionSummaryRecord
from cora.store.json_files import JsonFileStore
from cora.timeutil import utc_now

WORD = "zebracrossing"
SEARCHERS = 8
TARGET_P99_MS = 100.0


def session(user_id: str, messages: int, *, marked: bool) -> SessionRecord:
    now = utc_now()
    records = tuple(
        MessageRecord(
            id=str(uuid.uuid4()),
            sender="user" if i % 2 == 0 else "assistant",
            text=f"Message {i}: what does my policy cover when a storm damages the roof? " * 6,
            timestamp=now + timedelta(microseconds=i),
            metadata={"note": WORD} if marked else {},
        )
        for i in range(messages)
    )
    summary = SessionSummaryRecord(str(uuid.uuid4()), user_id, None, now, now, len(records))
    return SessionRecord(summary=summary, custom_title=None, messages=records)


async def populate(data_dir: Path, messages: int) -> None:
    store = JsonFileStore(data_dir)
    await store.open()
    await store.create_sessions(sessions=[session("storm", messages, marked=True)])
    await store.create_sessions(sessions=[session("storm", 4, marked=False) for _ in range(50)])
    await store.create_sessions(sessions=[session("calm", 4, marked=False) for _ in range(100)])
    await store.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def list_latencies(http: httpx.AsyncClient, seconds: float) -> list[float]:
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        answer = await http.get("/sessions/calm?limit=50")
        latencies.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
    return latencies


async def search_loop(http: httpx.AsyncClient, end: float, outcomes: Counter[int]) -> None:
    while time.perf_counter() < end:
        answer = await http.get(f"/sessions/storm?q={WORD}&limit=50")
        outcomes[answer.status_code] += 1


def figures(latencies: list[float]) -> tuple[float, float, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99, ordered[-1]


async def run(url: str, seconds: float) -> None:
    limits = httpx.Limits(max_connections=SEARCHERS + 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        await list_latencies(http, 1)  # warm up
        calm = await list_latencies(http, seconds)
        outcomes: Counter[int] = Counter()
        end = time.perf_counter() + seconds
        searchers = [
            asyncio.create_task(search_loop(http, end, outcomes)) for _ in range(SEARCHERS)
        ]
        stormy = await list_latencies(http, seconds)
        await asyncio.gather(*searchers)
    print(f"{'calm list, ms':>28} {'p50':>8} {'p99':>8} {'max':>8} {'requests':>9}")
    for name, latencies in (("alone (reference)", calm), ("during the storm", stormy)):
        p50, p99, top = figures(latencies)
        print(f"{name:>28} {p50:8.1f} {p99:8.1f} {top:8.1f} {len(latencies):9d}")
    ratio = figures(stormy)[1] / figures(calm)[1]
    p99 = figures(stormy)[1]
    verdict = "PASS" if p99 <= TARGET_P99_MS else "MISS"
    print(f"p99 during the storm {p99:.1f} ms ({ratio:.1f}x alone): {verdict} (target <= 100 ms)")
    print(f"storm searches answered: {dict(sorted(outcomes.items()))} (429: over 2 at a time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cora-storm-"))
    server = None
    try:
        data_dir = workdir / "data"
        asyncio.run(populate(data_dir, args.messages))
        size = max(path.stat().st_size for path in (data_dir / "sessions").iterdir())
        print(f"largest session file: {size / 1e6:.1f} MB ({args.messages} messages)")
        port = free_port()
        command = [sys.executable, "-m", "cora", "serve", "--port", str(port), "--workers", "1"]
        command += ["--auth", "none", "--data-dir", str(data_dir), "--log-level", "warning"]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.perf_counter() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError("cora serve did not start")
            time.sleep(0.05)
        asyncio.run(run(url, args.seconds))
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
