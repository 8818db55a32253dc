"""Live events (contract 3.8): what subscribers cost writers, how fast events cross processes,
and what an idle subscriber weighs. Per store:

    .venv/bin/python bench/events_bench.py [--stores json,postgres] [--appends 400]

1. publish: `EventBus.publish` in-process, microseconds per event, with 0, 10 and 100 local
   subscribers (their reader running in the same event loop, as in a worker).
2. append: `POST .../messages` against `cora serve --workers 2` with 0, 10 and 100 subscribers
   connected to that session's event stream (each gets every event): latency p50/p99 one at a
   time, and throughput with 8 concurrent writers. Ratio to 0 subscribers; target <= 1.2.
3. delivery: server A takes the appends, a subscriber on server B (another process on the same
   storage) times each `message` event from just before its POST: p50/p99.
4. memory: RSS of a one-worker server before and after 500 idle subscribers, per subscriber.

Subscribers connect from a child process (raw sockets, reading and discarding), so that their
reading does not run in the timed process.
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).parent.parent / "backend"))

from scratch_schema import scratch_schema

from cora.events import LiveEvent
from cora.events.base import EventBus
from cora.events.files import FileEventBus
from cora.events.postgres import PostgresEventBus
from cora.store.postgres import PostgresDatabase

USER = "bench-user"
SUBSCRIBER_COUNTS = (0, 10, 100)
IDLE_SUBSCRIBERS = 500
TARGET_RATIO = 1.2


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "cora", "serve", "--port", str(port), "--workers"]
    command += [str(workers), "--auth", "none", "--data-dir", str(data_dir)]
    command += ["--log-level", "warning"]
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("cora serve did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- subscribers in a child process --------------------------------------------------------


SUBSCRIBER_SCRIPT = """
import asyncio, sys
async def one(port, path):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"GET {path} HTTP/1.1\\r\\nHost: bench\\r\\nAccept: text/event-stream\\r\\n\\r\\n"
    writer.write(head.encode())
    await writer.drain()
    await reader.readuntil(b"connected")
    while await reader.read(65536):
        pass
async def main(port, path, count):
    tasks = [asyncio.create_task(one(port, path)) for _ in range(count)]
    await asyncio.sleep(0.5)
    print("ready", flush=True)
    await asyncio.gather(*tasks)
asyncio.run(main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
"""


def subscribers(url: str, path: str, count: int) -> subprocess.Popen | None:
    if count == 0:
        return None
    port = url.rsplit(":", 1)[1]
    child = subprocess.Popen(
        [sys.executable, "-c", SUBSCRIBER_SCRIPT, port, path, str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


# --- 1. publish in-process -----------------------------------------------------------------


async def publish_cost(make_bus, events: int) -> dict[int, float]:
    """Microseconds per publish with N local subscribers that read everything."""
    results = {}
    for count in SUBSCRIBER_COUNTS:
        bus: EventBus = await make_bus()
        readers = []
        for _ in range(count):
            subscription = bus.subscribe(user_id=USER, session_id="s", last_event_id=None)
            readers.append(asyncio.create_task(_drain(subscription)))
        data = orjson.dumps({"message_id": "m", "text": "x" * 40})
        started = time.perf_counter()
        for _ in range(events):
            await bus.publish(LiveEvent("delta", USER, "s", data))
        results[count] = (time.perf_counter() - started) / events * 1e6
        for reader in readers:
            reader.cancel()
        await bus.close()
    return results


async def _drain(subscription) -> None:
    async for _ in subscription:
        pass


# --- 2. appends with subscribers connected -------------------------------------------------


def append_figures(url: str, session_id: str, appends: int) -> tuple[float, float, float]:
    """p50 and p99 ms one at a time, then appends per second with 8 concurrent writers."""
    path = f"/sessions/{USER}/{session_id}/messages"
    latencies = []
    with httpx.Client(base_url=url, timeout=30) as http:
        for n in range(appends):
            started = time.perf_counter()
            answer = http.post(path, json={"sender": "user", "text": f"message {n}"})
            latencies.append(time.perf_counter() - started)
            assert answer.status_code == 201, answer.text
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    return p50, p99, asyncio.run(_throughput(url, path, appends * 2))


async def _throughput(url: str, path: str, total: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(total):
        queue.put_nowait(n)

    async def writer(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            answer = await http.post(path, json={"sender": "user", "text": f"concurrent {n}"})
            assert answer.status_code == 201, answer.text

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        started = time.perf_counter()
        await asyncio.gather(*(writer(http) for _ in range(8)))
        return total / (time.perf_counter() - started)


# --- 3. delivery across processes ----------------------------------------------------------


async def delivery(writer_url: str, reader_url: str, count: int) -> list[float]:
    async with httpx.AsyncClient(timeout=30) as http:
        session_id = (await http.post(f"{writer_url}/sessions/{USER}")).json()["session_id"]
        sent: dict[str, float] = {}
        arrived: dict[str, float] = {}
        opened = asyncio.Event()

        async def read() -> None:
            url = f"{reader_url}/sessions/{USER}/{session_id}/events"
            timeout = httpx.Timeout(30, read=None)
            async with http.stream("GET", url, timeout=timeout) as response:
                opened.set()
                event = ""
                async for line in response.aiter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event == "message":
                        arrived[orjson.loads(line[6:])["id"]] = time.perf_counter()
                        if len(arrived) == count:
                            return

        reading = asyncio.create_task(read())
        await opened.wait()
        path = f"{writer_url}/sessions/{USER}/{session_id}/messages"
        for n in range(count):
            message_id = str(uuid.uuid4())
            sent[message_id] = time.perf_counter()
            body = {"sender": "user", "text": f"timed {n}", "id": message_id}
            assert (await http.post(path, json=body)).status_code == 201
            await asyncio.sleep(0.02)
        async with asyncio.timeout(30):
            await reading
    return sorted(arrived[m] - sent[m] for m in sent)


# --- 4. memory per idle subscriber ---------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def memory_per_subscriber(url: str, pid: int) -> float:
    with httpx.Client(base_url=url, timeout=30) as http:
        for _ in range(50):  # warm the code paths a subscriber uses
            http.get(f"/sessions/{USER}")
    before = rss_kib(pid)
    child = subscribers(url, f"/sessions/{USER}/events", IDLE_SUBSCRIBERS)
    time.sleep(1)
    after = rss_kib(pid)
    assert child is not None
    child.kill()
    child.wait()
    return (after - before) * 1024 / IDLE_SUBSCRIBERS


# --- per store -----------------------------------------------------------------------------


def run_store(store: str, database_url: str, appends: int) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="cora-events-bench-") as tmp,
        scratch_schema(database_url, "bench_events") as schema,
    ):
        data_dir = Path(tmp) / "data"
        env: dict[str, str] = {}
        if store == "postgres":
            env = {
                "CORA_STORAGE": "postgres",
                "CORA_DATABASE_URL": database_url,
                "CORA_DATABASE_SCHEMA": schema,
            }
        _measure(store, data_dir, env, schema, database_url, appends)


def _measure(
    store: str, data_dir: Path, env: dict[str, str], schema: str, database_url: str, appends: int
) -> None:
    print(f"\n== {store} ==")
    server, url = start_server(data_dir, env, workers=2)  # runs the migrations first
    try:

        async def make_bus() -> EventBus:
            if store == "postgres":
                bus: EventBus = PostgresEventBus(PostgresDatabase(database_url, schema=schema))
            else:
                bus = FileEventBus(data_dir / "events")
            await bus.open()
            return bus

        costs = asyncio.run(publish_cost(make_bus, 5000))
        print("publish (in-process)   subscribers   us/event   ratio")
        for count, cost in costs.items():
            print(f"{'':23}{count:>11} {cost:>10.1f} {cost / costs[0]:>7.2f}")

        print("append (HTTP, 2 workers) subscribers  p50 ms  p99 ms  appends/s  ratio p50  ratio/s")
        figures = {}
        for count in SUBSCRIBER_COUNTS:
            session_id = httpx.post(f"{url}/sessions/{USER}").json()["session_id"]
            child = subscribers(url, f"/sessions/{USER}/{session_id}/events", count)
            figures[count] = append_figures(url, session_id, appends)
            if child is not None:
                child.kill()
                child.wait()
            p50, p99, rate = figures[count]
            base = figures[0]
            verdict = "PASS" if p50 / base[0] <= TARGET_RATIO else "MISS"
            print(
                f"{'':25}{count:>11} {p50:>7.2f} {p99:>7.2f} {rate:>10.0f} {p50 / base[0]:>10.2f}"
                f" {base[2] / rate:>8.2f}  {verdict} (target <= {TARGET_RATIO})"
            )

        other, other_url = start_server(data_dir, env, workers=1)
        try:
            latencies = asyncio.run(delivery(url, other_url, 200))
        finally:
            stop(other)
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[int(len(latencies) * 0.99)] * 1000
        print(
            f"delivery across processes: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max"
            f" {latencies[-1] * 1000:.1f} ms (target: within 1000 ms)"
        )
    finally:
        stop(server)

    single, single_url = start_server(data_dir, env, workers=1)
    try:
        per = memory_per_subscriber(single_url, single.pid)
        print(f"memory per idle subscriber: {per / 1024:.1f} KiB (RSS delta / {IDLE_SUBSCRIBERS})")
    finally:
        stop(single)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stores", default="json,postgres")
    parser.add_argument("--appends", type=int, default=400)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    for store in args.stores.split(","):
        run_store(store, args.database_url, args.appends)


if __name__ == "__main__":
    main()
