"""Server start and memory with the FAQ assistant, against a reference checkout in the same run.

Run from the repository root:
    git worktree add /tmp/cora-ref <commit>   # or: git archive <commit> | tar -x -C /tmp/cora-ref
    .venv/bin/python bench/faq_start.py /tmp/cora-ref
Prints the median time from `cora serve` to the first 200 on /healthz, the resident memory then,
and after the first chat reply (which loads the embedding model), for this tree and the reference.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROUNDS = 5
HERE = Path(__file__).resolve().parent.parent / "backend"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(source: Path) -> tuple[float, float, float]:
    """Seconds to the first /healthz, RSS then (MB), RSS after the first chat reply (MB)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PYTHONPATH": str(source), "CORA_AUTH": "none"}
        command = [
            sys.executable,
            "-m",
            "cora",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            data,
        ]
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{port}"
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.02)
            seconds = time.perf_counter() - started
            at_start = rss_mb(process.pid)
            sid = httpx.post(f"{url}/sessions/alice").json()["session_id"]
            chat = f"{url}/sessions/alice/{sid}/chat"
            httpx.post(chat, json={"text": "How do I file a claim?"}, timeout=60)
            return seconds, at_start, rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(10)


def main() -> None:
    reference = Path(sys.argv[1]) / "backend" if len(sys.argv) > 1 else None
    sources = {"this tree": HERE} | ({"reference": reference} if reference else {})
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in sources}
    for _ in range(ROUNDS):  # interleaved, so both see the same machine load
        for name, source in sources.items():
            results[name].append(measure(source))
    rows = {}
    for name, runs in results.items():
        rows[name] = [statistics.median(run[i] for run in runs) for i in range(3)]
        start, rss, after = rows[name]
        print(
            f"{name:>10}: start to /healthz {start * 1000:.0f} ms, RSS {rss:.0f} MB at start, "
            f"{after:.0f} MB after the first reply"
        )
    if reference:
        mine, ref = rows["this tree"], rows["reference"]
        print(
            f"ratio this/reference: start {mine[0] / ref[0]:.2f}, RSS at start "
            f"{mine[1] / ref[1]:.2f}, RSS after a reply {mine[2] / ref[2]:.2f} "
            f"(+{mine[2] - ref[2]:.0f} MB)"
        )


if __name__ == "__main__":
    main()
