"""PostgreSQL: a user's list while the appends to that user's sessions leave dead index entries.

    .venv/bin/python bench/pg_list_after_appends.py [--seconds 5] [--rounds 3]

One `cora serve --storage postgres` worker in a scratch schema, 64 sessions of one user. wrk
with 64 connections: `/healthz` (the reference, same run), the user's list (after 2 s of
appends, as in a store in use: the plan PostgreSQL makes and keeps depends on it), appends to the 64
sessions (each leaves a dead entry in `sessions_by_user_recency` until VACUUM), then the list
again `--rounds` times. For each: requests per second and CPU per request of the server and of
PostgreSQL (this machine's `postgres` processes). Before migration 0010 the lists after the
appends read every live and dead entry of the user's sessions (issue 13).
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from http_bench import BENCH_USER, Load, append_targets, start_server, with_cpu, wrk
from scratch_schema import scratch_schema


def line(name: str, load: Load, healthz: Load) -> str:
    ratio = load.requests_per_second / healthz.requests_per_second
    return (
        f"  {name:>14} {load.requests_per_second:7.0f}/s  x{ratio:.2f} of healthz"
        f"  server CPU {load.cpu_us:5.0f} us, PostgreSQL's {load.database_cpu_us:5.0f} us"
        " per request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="cora-pg-list-"))
    with scratch_schema(args.database_url) as schema:
        env = {"CORA_DATABASE_URL": args.database_url, "CORA_DATABASE_SCHEMA": schema}
        process, url = start_server("postgres", workdir / "data", 1, env)
        try:
            _, append_env = append_targets(url, workdir)
            listing = f"{url}/sessions/{BENCH_USER}?limit=50"
            wrk(f"{url}/healthz", 2, {})
            wrk(url, 2, append_env)  # a store in use: plans are made after appends, not before
            healthz = with_cpu(process.pid, lambda: wrk(f"{url}/healthz", args.seconds, {}))
            print(line("healthz", healthz, healthz))
            print(
                line("list", with_cpu(process.pid, lambda: wrk(listing, args.seconds, {})), healthz)
            )
            appends = with_cpu(process.pid, lambda: wrk(url, args.seconds, append_env))
            print(line(f"{appends.requests} appends", appends, healthz))
            for number in range(1, args.rounds + 1):
                after = with_cpu(process.pid, lambda: wrk(listing, args.seconds, {}))
                print(line(f"list after {number}", after, healthz))
        finally:
            process.terminate()
            process.wait(timeout=30)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
