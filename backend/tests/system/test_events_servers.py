"""Live updates across processes (3.8): `--workers 2` on one data directory, two servers on one
data directory, two servers on one PostgreSQL schema. An event produced through one process
reaches subscribers in the others, each one, in order. How fast (the contract's 1 s) is
measured by bench/events_bench.py (delivery): here the latencies are printed, not asserted, as a
busy machine can delay a poll by more than the contract allows without anything being wrong."""

import os
import time
from pathlib import Path

import httpx

from tests.conftest import Server
from tests.events.sse import Listener
from tests.pg import server_env

PATIENCE = 10.0  # how long the test polls before failing


def worker_pids(server: Server) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == server.process.pid:
                children.append(int(entry.name))
    return children


def worker_serving(server_port: int, client_port: int, pids: list[int]) -> int | None:
    """Which worker holds the server's end of the connection from `client_port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == server_port and remote_port == client_port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:
                continue
    return None


WORKERS_DEADLINE = 60.0


def listeners_on_every_worker(server: Server, url: str) -> dict[int, Listener]:
    pids = worker_pids(server)  # the workers, and maybe a helper process of multiprocessing
    port = int(server.url.rsplit(":", 1)[1])
    found: dict[int, Listener] = {}
    # Until both have answered: a worker still starting takes no connections yet.
    deadline = time.monotonic() + WORKERS_DEADLINE
    while time.monotonic() < deadline:
        listener = Listener(url)
        pid = worker_serving(port, listener.local_port, pids)
        if pid is not None and pid not in found:
            found[pid] = listener
        if len(found) == 2:
            return found
        time.sleep(0.05)
    raise AssertionError("the connections never reached both workers")


def latencies_of_changes(
    http: httpx.Client, listeners: list[Listener], changes: int
) -> list[float]:
    """Rename a session `changes` times; the seconds each rename took to reach each listener
    (every rename reaches every listener, in order)."""
    session_id = http.post("/sessions/alice").json()["session_id"]
    for listener in listeners:
        listener.wait_for(lambda got: any(e.data.get("session_id") == session_id for e in got))
    seen = [len(listener.events) for listener in listeners]
    sent = []
    for n in range(changes):
        sent.append(time.monotonic())
        answer = http.patch(f"/sessions/alice/{session_id}", json={"title": f"title {n}"})
        assert answer.status_code == 200
        time.sleep(0.05)
    latencies = []
    for listener, before in zip(listeners, seen, strict=True):
        events = listener.wait_for(lambda got, b=before: len(got) >= b + changes, PATIENCE)
        renames = [e for e in events[before:] if e.event == "session"]
        assert [e.data["title"] for e in renames] == [f"title {n}" for n in range(changes)]
        arrived = {e.data["title"]: e.at for e in renames}
        latencies += [arrived[f"title {n}"] - sent[n] for n in range(changes)]
    return latencies


def test_workers_on_one_data_directory_see_each_others_events(server_factory) -> None:
    server = server_factory("--auth", "none", "--workers", "2")
    listeners = listeners_on_every_worker(server, f"{server.url}/sessions/alice/events")
    with httpx.Client(base_url=server.url, timeout=10) as http:
        latencies = latencies_of_changes(http, list(listeners.values()), 10)
    print(f"\n--workers 2, JSON: latency max {max(latencies) * 1000:.0f} ms")


def test_two_servers_on_one_data_directory_see_each_others_events(
    server_factory, tmp_path: Path
) -> None:
    one = server_factory("--auth", "none", data_dir=tmp_path / "data")
    two = server_factory("--auth", "none", data_dir=tmp_path / "data")
    _across_servers(one, two)


def test_two_servers_on_one_postgresql_schema_see_each_others_events(
    server_factory, pg_schema: str
) -> None:
    one = server_factory("--auth", "none", env=server_env(pg_schema))
    two = server_factory("--auth", "none", env=server_env(pg_schema))
    _across_servers(one, two)


def _across_servers(one: Server, two: Server) -> None:
    listener = Listener(f"{one.url}/sessions/alice/events")
    with httpx.Client(base_url=two.url, timeout=10) as http:
        latencies = latencies_of_changes(http, [listener], 10)
        print(f"\ntwo servers: latency max {max(latencies) * 1000:.0f} ms")
        # A client that reconnects to the other server resumes where it was.
        seen = listener.events[-1].id
        heard = len(listener.events)
        session_id = http.post("/sessions/alice").json()["session_id"]
        http.delete(f"/sessions/alice/{session_id}")
    resumed = Listener(f"{two.url}/sessions/alice/events", headers={"Last-Event-ID": seen})
    events = resumed.wait_for_count(2)
    assert [e.event for e in events] == ["session", "deleted"]
    assert [e.id for e in events] == [e.id for e in listener.wait_for_count(heard + 2)[heard:]]
