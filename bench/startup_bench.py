"""Start-up time and memory of the JSON store against the number of sessions, and `cora reindex`.

    .venv/bin/python bench/startup_bench.py [--sessions 10000] [--workdir DIR]

Writes N small session files straight to disk (cheap: no server), then measures, beside an empty
data directory (the reference, same run): `cora reindex` (time, peak RSS), the first start after
it (index not yet marked clean: reconciled in the background), and a restart after a clean
shutdown, each to the first answered list, with the server's RSS then.
Targets (issue 13): start with N sessions <= 1.5 x start with none; reindex at 1,000,000 <= 120 s;
RSS <= 150 MB. The full size is `--sessions 1000000` (minutes to generate).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from cora.domain import SessionRecord, SessionSummaryRecord
from cora.store.json_files.document import encode_document
from cora.timeutil import utc_now

USER = "bench-user"


def generate(data_dir: Path, count: int) -> None:
    sessions = data_dir / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    now = utc_now()
    for number in range(count):
        user = USER if number % 1000 == 0 else f"user-{number % 5000}"
        summary = SessionSummaryRecord(str(uuid.uuid4()), user, None, now, now, 0)
        data = encode_document(SessionRecord(summary, None))
        (sessions / f"{user}_{summary.session_id}.json").write_bytes(data)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_to_first_list(data_dir: Path) -> tuple[float, float]:
    """Seconds from `cora serve` to the first answered list, and the server's RSS (MB) then."""
    port = free_port()
    started = time.perf_counter()
    command = [sys.executable, "-m", "cora", "serve", "--port", str(port), "--workers", "1"]
    command += ["--auth", "none", "--data-dir", str(data_dir), "--log-level", "warning"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/sessions/{USER}?limit=50", timeout=5)
                if answer.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.perf_counter() - started > 600:
                raise RuntimeError("cora serve did not answer")
            time.sleep(0.02)
        return time.perf_counter() - started, rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)  # a clean shutdown: the index is marked clean
        process.wait(timeout=120)


def reindex(data_dir: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `cora reindex`."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "cora", "reindex", "--data-dir", str(data_dir)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError("cora reindex failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def measure(data_dir: Path) -> dict[str, tuple[float, float]]:
    return {
        "reindex": reindex(data_dir),
        "first start after reindex": start_to_first_list(data_dir),
        "start after clean shutdown": start_to_first_list(data_dir),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="cora-startup-", dir=args.workdir))
    try:
        empty, full = workdir / "empty", workdir / "full"
        empty.mkdir()
        began = time.perf_counter()
        generate(full, args.sessions)
        print(f"generated {args.sessions} session files in {time.perf_counter() - began:.1f} s")
        reference = measure(empty)
        results = measure(full)
        print(f"{'':>28} {'empty':>16} {f'{args.sessions} sessions':>20} {'ratio':>6}")
        for name, (seconds, rss) in results.items():
            base_seconds, base_rss = reference[name]
            ratio = seconds / base_seconds
            print(
                f"{name:>28} {base_seconds:7.2f} s {base_rss:4.0f} MB"
                f" {seconds:9.2f} s {rss:5.0f} MB {ratio:6.2f}"
            )
        start, rss = results["start after clean shutdown"]
        ratio = start / reference["start after clean shutdown"][0]
        print(f"start ratio {ratio:.2f} {'PASS' if ratio <= 1.5 else 'MISS'} (target <= 1.5)")
        peak = max(rss for _, rss in results.values())
        print(f"peak RSS {peak:.0f} MB {'PASS' if peak <= 150 else 'MISS'} (target <= 150 MB)")
        scaled = results["reindex"][0] * 1_000_000 / args.sessions
        print(f"reindex {results['reindex'][0]:.1f} s; at 1,000,000 (linear) {scaled:.0f} s")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
