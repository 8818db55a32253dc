"""HTTP throughput of appends beside a no-op endpoint of the same server, per store.

    .venv/bin/python bench/http_bench.py [--seconds 10] [--stores json,postgres]

For each store: `cora serve --workers 4` on a free port; wrk (Debian's package) with 64
connections appends messages to 64 sessions in turn; then the same wrk load on `/healthz`, the
ceiling. Target (issue 7): appends reach at least 50% of the ceiling on each store. Prints p50 and
p99 latencies, and draws docs/performance.png.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

HERE = Path(__file__).parent
CONNECTIONS = 64
WORKERS = 4
BENCH_USER = "bench-user"


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(store: str, data_dir: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "cora",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
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
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"cora serve --storage {store} did not start")


def wrk(url: str, seconds: int, env: dict[str, str]) -> Load:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
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
    return Load(requests / (duration_us / 1e6), p50_us / 1000, p99_us / 1000, errors)


def measure(store: str, seconds: int, server_env: dict[str, str]) -> tuple[Load, Load, int]:
    workdir = Path(tempfile.mkdtemp(prefix=f"cora-http-{store}-"))
    process, url = start_server(store, workdir / "data", server_env)
    try:
        with httpx.Client(base_url=url) as http:
            sessions = [
                http.post(f"/sessions/{BENCH_USER}").json()["session_id"]
                for _ in range(CONNECTIONS)
            ]
        listing = workdir / "sessions.txt"
        listing.write_text("\n".join(sessions) + "\n")
        env = {"CORA_BENCH_SESSIONS": str(listing), "CORA_BENCH_USER": BENCH_USER}
        wrk(f"{url}/healthz", 2, {})
        ceiling = wrk(f"{url}/healthz", seconds, {})
        appends = wrk(url, seconds, env)
        with httpx.Client(base_url=url, timeout=30) as http:
            stored = sum(
                http.get(f"/sessions/{BENCH_USER}/{sid}").json()["message_count"]
                for sid in sessions
            )
        return ceiling, appends, stored
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


def chart(results: dict[str, tuple[Load, Load, int]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stores = list(results)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    paired_bars(
        left,
        stores,
        ("no-op (/healthz)", [results[s][0].requests_per_second for s in stores], "#9db4c0"),
        ("append a message", [results[s][1].requests_per_second for s in stores], "#2f6690"),
    )
    left.set_ylabel("requests per second")
    left.set_title(f"HTTP throughput, {CONNECTIONS} connections, {WORKERS} workers")
    paired_bars(
        right,
        stores,
        ("p50", [results[s][1].p50_ms for s in stores], "#3a7ca5"),
        ("p99", [results[s][1].p99_ms for s in stores], "#16425b"),
    )
    right.set_ylabel("milliseconds")
    right.set_title("Append latency under that load")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def paired_bars(axes, stores: list[str], *series: tuple[str, list[float], str]) -> None:
    width = 0.8 / len(series)
    for number, (label, values, color) in enumerate(series):
        offset = (number - (len(series) - 1) / 2) * width
        axes.bar([p + offset for p in range(len(stores))], values, width, label=label, color=color)
    axes.set_xticks(list(range(len(stores))), stores)
    axes.legend()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--stores", default="json,postgres")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--chart", type=Path, default=HERE.parent / "docs" / "performance.png")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    results = {}
    for store in args.stores.split(","):
        env = {}
        if store == "postgres":
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            env = {"CORA_DATABASE_URL": args.database_url, "CORA_DATABASE_SCHEMA": schema}
        results[store] = measure(store, args.seconds, env)
    print(
        f"{'store':>9} {'no-op/s':>9} {'append/s':>9} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'errors':>6} {'stored':>8}"
    )
    for store, (ceiling, appends, stored) in results.items():
        ratio = appends.requests_per_second / ceiling.requests_per_second
        print(
            f"{store:>9} {ceiling.requests_per_second:>9.0f} {appends.requests_per_second:>9.0f}"
            f" {ratio:>6.0%} {appends.p50_ms:>7.2f} {appends.p99_ms:>7.2f} {appends.errors:>6}"
            f" {stored:>8} {'PASS' if ratio >= 0.5 else 'MISS'} (target >= 50%)"
        )
    chart(results, args.chart)
    print(f"chart: {args.chart}")


if __name__ == "__main__":
    main()
