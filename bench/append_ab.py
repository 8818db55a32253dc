"""Same-run A/B of the append: this checkout's server against another checkout's.

    .venv/bin/python bench/append_ab.py --base /path/to/other/backend [--store postgres|json]
        [--rounds 4] [--seconds 5]

Each round starts both servers in turn (the order alternating between rounds), each with its
code on PYTHONPATH, one worker, a fresh schema (PostgreSQL) or data directory, and measures
with wrk at 64 connections `/healthz` then appends to 64 sessions in turn (as `http_bench.py`),
with the server's CPU per request, then appends from one connection (latency). After each run
every session is read back: each acknowledged append must be stored exactly once. Prints one
line per run and the medians per server. With several workers, `/metrics` (appends per
statement) sums them all.
"""

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import httpx
from http_bench import BENCH_USER, CONNECTIONS, append_targets, start_server, with_cpu, wrk
from scratch_schema import scratch_schema

HERE = Path(__file__).parent
THIS = HERE.parent / "backend"


def postgres_cpu_seconds() -> float:
    """User + system CPU of every `postgres` process (the server is shared: others' work too)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(" (")[2].rpartition(")")
        if name.startswith("postgres"):
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def batch_figures(url: str) -> tuple[float, float, float]:
    """(statements, appends, appends left to run alone) of the group append, from `/metrics`
    (zeros without it)."""
    text = httpx.get(f"{url}/metrics").text
    found = []
    for name in (
        "cora_store_append_batch_size_count",
        "cora_store_append_batch_size_sum",
        'cora_store_appends_alone_total{reason="busy"}',
    ):
        match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
        found.append(float(match.group(1)) if match else 0.0)
    return found[0], found[1], found[2]


def run(
    store: str, name: str, code: Path, seconds: int, database_url: str, workers: int
) -> dict[str, float]:
    if store == "json":
        return run_in({"PYTHONPATH": str(code)}, store, name, seconds, workers)
    with scratch_schema(database_url, "bench_ab") as schema:
        env = {
            "PYTHONPATH": str(code),
            "CORA_DATABASE_URL": database_url,
            "CORA_DATABASE_SCHEMA": schema,
        }
        return run_in(env, store, name, seconds, workers)


def run_in(
    env: dict[str, str], store: str, name: str, seconds: int, workers: int
) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="cora-ab-"))
    process, url = start_server(store, workdir / "data", workers, env)
    try:
        sessions, load_env = append_targets(url, workdir)
        wrk(f"{url}/healthz", 1, {})
        wrk(url, 1, load_env)  # warm-up appends, counted below as stored
        warm, _ = sum_stored(url, sessions)
        batches_before = batch_figures(url)
        healthz = with_cpu(process.pid, lambda: wrk(f"{url}/healthz", seconds, {}))
        database_cpu = postgres_cpu_seconds()
        appends = with_cpu(process.pid, lambda: wrk(url, seconds, load_env))
        database_cpu = postgres_cpu_seconds() - database_cpu
        batches_after = batch_figures(url)
        single = wrk(url, max(1, seconds // 2), load_env, connections=1)
        stored, distinct = sum_stored(url, sessions)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    acknowledged = appends.requests - appends.errors + single.requests - single.errors
    statements = batches_after[0] - batches_before[0]
    per_statement = (batches_after[1] - batches_before[1]) / statements if statements else 1.0
    extra = stored - warm - acknowledged
    exact = stored == distinct and 0 <= extra <= CONNECTIONS + 1 + appends.errors + single.errors
    result = {
        "healthz_rps": healthz.requests_per_second,
        "healthz_cpu": healthz.cpu_us,
        "append_rps": appends.requests_per_second,
        "append_cpu": appends.cpu_us,
        "errors": appends.errors,
        "per_statement": per_statement,
        "exact": float(exact),
        "single_p50": single.p50_ms,
        "postgres_cpu": database_cpu / max(appends.requests, 1) * 1e6,
        "busy": batches_after[2] - batches_before[2],
    }
    print(
        f"  {name:>6}: healthz {healthz.requests_per_second:7.0f}/s {healthz.cpu_us:5.0f} us,"
        f" appends {appends.requests_per_second:6.0f}/s {appends.cpu_us:5.0f} us"
        f" (+ PostgreSQL {result['postgres_cpu']:4.0f} us)"
        f" (p50 {appends.p50_ms:.1f} ms, errors {appends.errors}),"
        f" appends/statement {per_statement:.1f} ({result['busy']:.0f} busy, run alone),"
        f" one client p50 {single.p50_ms:.2f} ms,"
        f" acknowledged {acknowledged},"
        f" stored {stored - warm} (+{extra} in flight), distinct ids = stored: {stored == distinct}"
        f" {'OK' if exact else 'MISMATCH'}",
        flush=True,
    )
    return result


def sum_stored(url: str, sessions: list[str]) -> tuple[int, int]:
    """(messages, distinct message ids) stored in `sessions`."""
    stored = ids = 0
    with httpx.Client(base_url=url, timeout=60) as http:
        for sid in sessions:
            messages = http.get(f"/sessions/{BENCH_USER}/{sid}").json()["messages"]
            stored += len(messages)
            ids += len({m["id"] for m in messages})
    return stored, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True, help="the other checkout's backend/")
    parser.add_argument("--store", choices=("postgres", "json"), default="postgres")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    servers = {"base": args.base, "this": THIS}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}", flush=True)
        order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
        for name in order:
            result = run(
                args.store, name, servers[name], args.seconds, args.database_url, args.workers
            )
            results[name].append(result)
    print("medians:")
    for name, runs in results.items():
        median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        print(
            f"  {name:>6}: healthz {median['healthz_rps']:.0f}/s {median['healthz_cpu']:.0f} us,"
            f" appends {median['append_rps']:.0f}/s {median['append_cpu']:.0f} us"
            f" (+ PostgreSQL {median['postgres_cpu']:.0f} us),"
            f" appends/healthz by CPU {median['healthz_cpu'] / median['append_cpu']:.2f},"
            f" by rate {median['append_rps'] / median['healthz_rps']:.2f},"
            f" appends/statement {median['per_statement']:.1f},"
            f" one client p50 {median['single_p50']:.2f} ms,"
            f" all exact: {all(r['exact'] for r in runs)}"
        )
    pairs = zip(results["this"], results["base"], strict=True)
    paired = [this["append_cpu"] / base["append_cpu"] for this, base in pairs]
    print(f"  this/base CPU per append, per round: {', '.join(f'{p:.3f}' for p in paired)}")
    print(f"  median ratio {statistics.median(paired):.3f}")


if __name__ == "__main__":
    main()
