"""Start-up time and memory of the JSON store against the number of sessions, and `cora reindex`.

    .venv/bin/python bench/startup_bench.py [--sizes 0,100000,1000000] [--workdir DIR]
        [--reference-up-to 100000]

One data directory grows through the sizes (files written by `session_files.py`, straight in
the store's format). At each size it measures `cora reindex` (time, peak RSS) and, up to
`--reference-up-to` sessions, the reference: the store's careful reconciliation of every file
into an empty index (the way `cora reindex` went before, one locked file at a time). Then, each
to the first answered list (`cora serve`, one worker) with the server's RSS then: the first
start after the reindex, a start after a clean shutdown (median of `--repeat`, taken in turns
with starts on an empty data directory: the reference for the start ratio), and a start
after a crash (SIGKILL, the index reconciled in the background), with the time until that
reconciliation ended and the server's peak RSS (VmHWM) by then. Ratios are against the same
measure at the first size (0 sessions by default) in this run.
Targets (issue 13): start with 1,000,000 sessions <= 1.5 x start with none; reindex at
1,000,000 <= 120 s; RSS <= 150 MB.
"""

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from session_files import USER, generate

TIMEOUT = 1200  # seconds any one measured command may take


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def index_state(data_dir: Path) -> str | None:
    uri = f"{(data_dir / 'index.sqlite3').as_uri()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True, timeout=5) as db:
            row = db.execute("SELECT value FROM store_state WHERE key = 'index'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


class Server:
    """`cora serve` on the data directory, timed from its start to the first answered list."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.started = time.perf_counter()
        command = [sys.executable, "-m", "cora", "serve", "--port", str(self.port)]
        command += ["--workers", "1", "--auth", "none", "--data-dir", str(data_dir)]
        command += ["--log-level", "warning"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def first_list(self) -> tuple[float, float]:
        """Seconds from the start to the first answered list, and the RSS (MB) then."""
        url = f"http://127.0.0.1:{self.port}/sessions/{USER}?limit=50"
        while True:
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.perf_counter() - self.started > TIMEOUT:
                raise RuntimeError("cora serve did not answer")
            time.sleep(0.02)
        return time.perf_counter() - self.started, memory_mb(self.process.pid, "VmRSS")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """SIGTERM: a clean shutdown (the index is marked clean); SIGKILL: a crash."""
        self.process.send_signal(sig)
        self.process.wait(timeout=TIMEOUT)


def start(data_dir: Path) -> tuple[float, float]:
    server = Server(data_dir)
    try:
        return server.first_list()
    finally:
        server.stop()


def median_starts(
    data_dir: Path, empty_dir: Path, repeat: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Medians of `repeat` starts after a clean shutdown on `data_dir` and on an empty data
    directory, taken in turns so that both see the same load of this shared machine."""
    full, empty = [], []
    for _ in range(repeat):
        full.append(start(data_dir))
        empty.append(start(empty_dir))
    return sorted(full)[len(full) // 2], sorted(empty)[len(empty) // 2]


def start_after_crash(data_dir: Path) -> tuple[float, float, float, float]:
    """A start after SIGKILL: (to first list, RSS then, to reconciled, peak RSS by then)."""
    crashed = Server(data_dir)
    crashed.first_list()
    crashed.stop(signal.SIGKILL)
    server = Server(data_dir)
    try:
        first, rss = server.first_list()
        while index_state(data_dir) != "live":
            if time.perf_counter() - server.started > TIMEOUT:
                raise RuntimeError("the background reconciliation did not end")
            time.sleep(0.1)
        reconciled = time.perf_counter() - server.started
        return first, rss, reconciled, memory_mb(server.process.pid, "VmHWM")
    finally:
        server.stop()


def timed(command: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"{command} failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def reindex(data_dir: Path) -> tuple[float, float]:
    return timed([sys.executable, "-m", "cora", "reindex", "--data-dir", str(data_dir)])


CAREFUL = "import sys, pathlib; from cora.store.json_files import JsonFileStore;"
CAREFUL += " JsonFileStore(pathlib.Path(sys.argv[1])).prepare()"


def careful_reindex(data_dir: Path) -> tuple[float, float]:
    """The reference: every file reconciled the careful way into an empty index."""
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"index.sqlite3{suffix}").unlink(missing_ok=True)
    return timed([sys.executable, "-c", CAREFUL, str(data_dir)])


def measure(
    data_dir: Path, empty_dir: Path, *, reference: bool, repeat: int
) -> dict[str, tuple[float, ...]]:
    results: dict[str, tuple[float, ...]] = {}
    if reference:
        results["reindex, careful (reference)"] = careful_reindex(data_dir)
    results["cora reindex"] = reindex(data_dir)
    results["first start after reindex"] = start(data_dir)
    full, empty = median_starts(data_dir, empty_dir, repeat)
    results["start after clean shutdown"] = full
    results["  ... empty, in turns with it"] = empty
    first, rss, reconciled, peak = start_after_crash(data_dir)
    results["start after a crash"] = (first, rss)
    results["  ... until reconciled"] = (reconciled, peak)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="0,10000")
    parser.add_argument("--reference-up-to", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="starts after a clean shutdown")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="cora-startup-", dir=args.workdir))
    data_dir, empty_dir = workdir / "data", workdir / "empty"
    data_dir.mkdir()
    empty_dir.mkdir()
    table: dict[int, dict[str, tuple[float, ...]]] = {}
    try:
        written = 0
        for size in sizes:
            began = time.perf_counter()
            generate(data_dir, size - written, start=written)
            seconds = time.perf_counter() - began
            if size > written:
                rate = (size - written) / seconds
                print(f"generated {size - written} session files in {seconds:.1f} s ({rate:.0f}/s)")
            written = size
            table[size] = measure(
                data_dir, empty_dir, reference=size <= args.reference_up_to, repeat=args.repeat
            )
            report(table, sizes[0])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(table: dict[int, dict[str, tuple[float, ...]]], base: int) -> None:
    print(f"{'sessions':>10} {'measure':>30} {'seconds':>9} {'RSS MB':>7} {'ratio':>6}")
    for size, results in table.items():
        for name, (seconds, rss) in results.items():
            reference = table[base].get(name)
            ratio = f"{seconds / reference[0]:6.2f}" if reference and size != base else ""
            print(f"{size:>10} {name:>30} {seconds:9.2f} {rss:7.0f} {ratio}")
        careful = results.get("reindex, careful (reference)")
        if careful:
            speedup = careful[0] / results["cora reindex"][0]
            print(f"{size:>10} {'reindex speed-up vs reference':>30} {speedup:9.2f}")
    size = max(table)
    if size == base:
        return
    results = table[size]
    start, empty = (
        results["start after clean shutdown"][0],
        results["  ... empty, in turns with it"][0],
    )
    verdict = "PASS" if start / empty <= 1.5 else "MISS"
    print(
        f"start at {size}: {start:.2f} s, empty {empty:.2f} s (in turns):"
        f" ratio {start / empty:.2f} {verdict} (target <= 1.5)"
    )
    peak = max(values[1] for values in results.values())
    verdict = "PASS" if peak <= 150 else "MISS"
    print(f"peak RSS at {size}: {peak:.0f} MB {verdict} (target <= 150 MB)")
    seconds = results["cora reindex"][0]
    work = seconds - table[base]["cora reindex"][0]  # less the command's own start
    print(
        f"reindex at {size}: {seconds:.1f} s ({work:.1f} s past the command's start);"
        f" per 1,000,000 (linear) {work * 1_000_000 / size:.0f} s (target <= 120)"
    )


if __name__ == "__main__":
    main()
