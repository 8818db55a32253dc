"""HTTP throughput and latency of the hot routes beside `/healthz` of the same server, per store.

    .venv/bin/python bench/http_bench.py [--seconds 5] [--workers 1] [--stores json,postgres]

For each store: `cora serve --workers N` on a free port; wrk (Debian's package: `apt-get install
wrk`) with 64 connections on `/healthz` (the ceiling, the reference measured in the same run),
then appends to 64 sessions in turn, then the user's list, then a page of 50 messages and a whole
session of 50 messages. Then one connection: append latency against `/healthz` latency, and the
durable write alone (`durable_write_ms`). Afterwards every session is read back and its messages
counted: each acknowledged append (wrk's 2xx count) must be stored exactly once. Beside each load,
the server's CPU per request and, for PostgreSQL, the database's own (this machine's `postgres`
processes, which share its cores).

Each store is measured twice: as served, and with `CORA_HOT_ROUTES=false` (every request through
FastAPI's routing and dependencies), the reference for what the hot routes save
(`--hot-routes-only` skips the second).

Targets (issue 13), one worker: appends >= 0.5 x healthz/s, list/s >= appends/s, single-client
append p50 <= 2 x healthz p50, stored == acknowledged.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import psycopg
from psycopg import sql
from scratch_schema import scratch_schema

HERE = Path(__file__).parent
CONNECTIONS = 64
BENCH_USER = "bench-user"


@dataclass(frozen=True)
class Load:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us: float = 0.0  # the server's CPU time (all its processes and threads) per request
    database_cpu_us: float = 0.0  # PostgreSQL's (all its processes) per request, on this machine


def _cpu_seconds_of(counted: Callable[[str, str, list[str]], bool]) -> float:
    """User + system CPU, from /proc, of the processes `counted(pid, name, fields)` accepts."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, _, rest = stat.read_text().rpartition(")")
        except OSError:
            continue
        fields = rest.split()
        if counted(stat.parent.name, name.partition("(")[2], fields):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def cpu_seconds(pid: int) -> float:
    """CPU of `pid` and its children (uvicorn's workers)."""
    return _cpu_seconds_of(lambda process, _, fields: str(pid) in (process, fields[1]))


def database_cpu_seconds() -> float:
    """CPU of this machine's PostgreSQL processes."""
    return _cpu_seconds_of(lambda _, name, __: name == "postgres")


def with_cpu(pid: int, run: Callable[[], Load]) -> Load:
    before, database_before = cpu_seconds(pid), database_cpu_seconds()
    load = run()
    requests = max(load.requests, 1)
    used = (cpu_seconds(pid) - before) / requests * 1e6
    database_used = (database_cpu_seconds() - database_before) / requests * 1e6
    return replace(load, cpu_us=used, database_cpu_us=database_used)


def durable_write_ms(store: str, directory: Path, env: dict[str, str], samples: int = 400) -> float:
    """p50 of the durable write alone that an acknowledged append waits for, on the storage the
    server uses: JSON, a 300-byte write and `fdatasync` in its data directory's file system;
    PostgreSQL, the commit of a one-row insert (its WAL flush)."""
    timings: list[float] = []
    if store == "json":
        path = directory / "durable-write-probe"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            for _ in range(samples):
                started = time.perf_counter()
                os.pwrite(fd, b"x" * 300, os.fstat(fd).st_size)
                os.fdatasync(fd)
                timings.append(time.perf_counter() - started)
        finally:
            os.close(fd)
            path.unlink()
    else:
        with psycopg.connect(env["CORA_DATABASE_URL"], autocommit=True) as conn:
            table = sql.Identifier(env["CORA_DATABASE_SCHEMA"], "durable_write_probe")
            conn.execute(sql.SQL("CREATE TABLE {} (n integer)").format(table))
            insert = sql.SQL("INSERT INTO {} VALUES (1)").format(table)
            for _ in range(samples):
                started = time.perf_counter()
                conn.execute(insert)
                timings.append(time.perf_counter() - started)
            conn.execute(sql.SQL("DROP TABLE {}").format(table))
    return sorted(timings)[len(timings) // 2] * 1000


@dataclass(frozen=True)
class StoreResult:
    healthz: Load
    appends: Load
    listing: Load
    getting: Load
    whole: Load  # the whole session of READ_MESSAGES messages
    single_healthz: Load
    single_append: Load
    acknowledged: int
    stored: int
    distinct: int
    durable_write_ms: float  # the durable write alone, p50 (`durable_write_ms`)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    store: str, data_dir: Path, workers: int, env: dict[str, str]
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "cora",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--auth",
        "none",
        "--storage",
        store,
        "--data-dir",
        str(data_dir),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
    raise RuntimeError(f"cora serve --storage {store} did not start")


def wrk(url: str, seconds: int, env: dict[str, str], connections: int = CONNECTIONS) -> Load:
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(HERE / "wrk" / "load.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, duration_us, p50_us, p99_us, errors = map(int, line.split()[1:])
    return Load(requests, requests / (duration_us / 1e6), p50_us / 1000, p99_us / 1000, errors)


def append_targets(url: str, workdir: Path) -> tuple[list[str], dict[str, str]]:
    """A session for each connection, and the environment that makes wrk append to them in
    turn (`wrk/load.lua`)."""
    with httpx.Client(base_url=url) as http:
        sessions = [
            http.post(f"/sessions/{BENCH_USER}").json()["session_id"] for _ in range(CONNECTIONS)
        ]
    listing = workdir / "sessions.txt"
    listing.write_text("\n".join(sessions) + "\n")
    return sessions, {"CORA_BENCH_SESSIONS": str(listing), "CORA_BENCH_USER": BENCH_USER}


READ_MESSAGES = 50


def read_target(url: str) -> str:
    """A session of `READ_MESSAGES` messages for the reads: a page of them, the whole session."""
    with httpx.Client(base_url=url) as http:
        session_id = http.post(f"/sessions/{BENCH_USER}").json()["session_id"]
        for number in range(READ_MESSAGES):
            message = {"sender": "user", "text": f"message {number} of the read target"}
            http.post(f"/sessions/{BENCH_USER}/{session_id}/messages", json=message)
    return session_id


def measure(store: str, seconds: int, workers: int, server_env: dict[str, str]) -> StoreResult:
    workdir = Path(tempfile.mkdtemp(prefix=f"cora-http-{store}-"))
    process, url = start_server(store, workdir / "data", workers, server_env)
    try:
        sessions, env = append_targets(url, workdir)
        read = f"{url}/sessions/{BENCH_USER}/{read_target(url)}"
        wrk(f"{url}/healthz", 2, {})
        pid = process.pid
        healthz = with_cpu(pid, lambda: wrk(f"{url}/healthz", seconds, {}))
        appends = with_cpu(pid, lambda: wrk(url, seconds, env))
        listed = with_cpu(pid, lambda: wrk(f"{url}/sessions/{BENCH_USER}?limit=50", seconds, {}))
        got = with_cpu(pid, lambda: wrk(f"{read}/messages?limit=50", seconds, {}))
        whole = with_cpu(pid, lambda: wrk(read, seconds, {}))
        single_healthz = wrk(f"{url}/healthz", seconds, {}, connections=1)
        single_append = wrk(url, seconds, env, connections=1)
        durable_ms = durable_write_ms(store, workdir / "data", server_env)
        acknowledged = appends.requests - appends.errors + single_append.requests
        acknowledged -= single_append.errors
        stored = distinct = 0
        with httpx.Client(base_url=url, timeout=60) as http:
            for sid in sessions:
                body = http.get(f"/sessions/{BENCH_USER}/{sid}").json()
                stored += len(body["messages"])
                distinct += len({m["id"] for m in body["messages"]})
        return StoreResult(
            healthz,
            appends,
            listed,
            got,
            whole,
            single_healthz,
            single_append,
            acknowledged,
            stored,
            distinct,
            durable_ms,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(store: str, result: StoreResult) -> None:
    ceiling = result.healthz.requests_per_second
    print(f"[{store}] 64 connections:")
    for name, load in (
        ("healthz", result.healthz),
        ("append", result.appends),
        ("list", result.listing),
        ("messages", result.getting),
        ("session", result.whole),
    ):
        ratio = load.requests_per_second / ceiling
        print(
            f"  {name:>9} {load.requests_per_second:>8.0f}/s  x{ratio:.2f} of healthz"
            f"  p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:7.2f} ms  errors {load.errors}"
            f"  server CPU {load.cpu_us:5.0f} us/request"
            + (f", PostgreSQL's {load.database_cpu_us:5.0f}" if store == "postgres" else "")
        )
    append_ratio = result.appends.requests_per_second / ceiling
    list_ratio = result.listing.requests_per_second / result.appends.requests_per_second
    latency_ratio = result.single_append.p50_ms / result.single_healthz.p50_ms
    print(f"  appends/healthz {append_ratio:.2f} {verdict(append_ratio >= 0.5)} (target >= 0.5)")
    print(f"  list/appends {list_ratio:.2f} {verdict(list_ratio >= 1)} (target >= 1)")
    # On a shared machine throughput follows the neighbours' load; CPU per request does not.
    cpu_append = result.healthz.cpu_us / result.appends.cpu_us
    cpu_list = result.appends.cpu_us / result.listing.cpu_us
    print(
        f"  by server CPU per request: appends/healthz {cpu_append:.2f}"
        f" {verdict(cpu_append >= 0.5)}, list/appends {cpu_list:.2f} {verdict(cpu_list >= 1)}"
    )
    if store == "postgres":  # the database shares this machine's cores
        append_cpu = result.appends.cpu_us + result.appends.database_cpu_us
        list_cpu = result.listing.cpu_us + result.listing.database_cpu_us
        print(
            f"  by server and PostgreSQL CPU per request: list/appends {append_cpu / list_cpu:.2f}"
        )
    print(
        f"  single client p50: healthz {result.single_healthz.p50_ms:.3f} ms,"
        f" append {result.single_append.p50_ms:.3f} ms, x{latency_ratio:.2f}"
        f" {verdict(latency_ratio <= 2)} (target <= 2)"
    )
    durable = result.durable_write_ms
    print(
        f"  the durable write alone (no server): p50 {durable:.3f} ms,"
        f" x{durable / result.single_healthz.p50_ms:.2f} of healthz p50,"
        f" x{durable / result.single_append.p50_ms:.2f} of the append's"
    )
    # Stored but never acknowledged: up to one request per connection in flight when wrk stops,
    # and those wrk gave up on (its 2 s timeout, counted as errors) that the server still stored.
    unacknowledged = result.stored - result.acknowledged
    bound = CONNECTIONS + 1 + result.appends.errors + result.single_append.errors
    exact = result.stored == result.distinct and 0 <= unacknowledged <= bound
    print(
        f"  acknowledged {result.acknowledged}, stored {result.stored} ({unacknowledged} not"
        f" acknowledged: in flight or timed out, at most {bound}), distinct ids"
        f" {result.distinct} {verdict(exact)} (every acknowledged append stored, none twice)"
    )


def compare(store: str, hot: StoreResult, fastapi: StoreResult) -> None:
    print(f"[{store}] hot routes against the FastAPI path (CORA_HOT_ROUTES=false), same run:")
    for name, fast, slow in (
        ("append", hot.appends, fastapi.appends),
        ("list", hot.listing, fastapi.listing),
    ):
        speedup = fast.requests_per_second / slow.requests_per_second
        print(
            f"  {name:>9} {fast.requests_per_second:8.0f}/s against"
            f" {slow.requests_per_second:8.0f}/s (x{speedup:.2f}),"
            f" server CPU {fast.cpu_us:5.0f} against {slow.cpu_us:5.0f} us/request"
            f" (x{slow.cpu_us / fast.cpu_us:.2f} less)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--stores", default="json,postgres")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--hot-routes-only", action="store_true", help="skip the FastAPI path's reference run"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    for store in args.stores.split(","):
        hot = measure_in_schema(store, args, {})
        report(store, hot)
        if not args.hot_routes_only:
            fastapi = measure_in_schema(store, args, {"CORA_HOT_ROUTES": "false"})
            compare(store, hot, fastapi)


def measure_in_schema(store: str, args: argparse.Namespace, env: dict[str, str]) -> StoreResult:
    """`measure`, on PostgreSQL in a schema of its own that is dropped afterwards."""
    if store != "postgres":
        return measure(store, args.seconds, args.workers, env)
    with scratch_schema(args.database_url) as schema:
        env = {**env, "CORA_DATABASE_URL": args.database_url, "CORA_DATABASE_SCHEMA": schema}
        return measure(store, args.seconds, args.workers, env)


if __name__ == "__main__":
    main()
