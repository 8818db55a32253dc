"""Shared fixtures: a store per back end, the app wired to it, and a real server process."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import settings as hypothesis_settings

from cora.app import create_app
from cora.config import Settings
from cora.store import SessionStore, Stores, create_stores
from tests.pg import fresh_schema, postgres_settings

BACKENDS = ["json", "postgres"]

# Property tests: a fixed seed by default (`make test` passes or fails on the code alone);
# `make fuzz` (CORA_HYPOTHESIS_PROFILE=fuzz) draws new examples, more of them.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, max_examples=60)
hypothesis_settings.register_profile("fuzz", derandomize=False, max_examples=500)
hypothesis_settings.load_profile(os.environ.get("CORA_HYPOTHESIS_PROFILE", "ci"))
FIXTURES = Path(__file__).parent / "fixtures"


async def open_stores(kind: str, data_dir: Path, schema: str | None = None) -> Stores:
    """Opened stores of a back end; PostgreSQL ones in `schema` (see `pg_schema`)."""
    if kind == "postgres":
        assert schema is not None, "PostgreSQL stores need a schema of their own"
        settings = postgres_settings(schema, data_dir)
    else:
        settings = Settings(storage=kind, data_dir=data_dir)
    stores = create_stores(settings)
    await stores.open()
    return stores


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# The servers a test started (`server_factory`), so that `pg_schema` can stop them before it
# drops their schema: pytest tears fixtures down in the reverse order of their set-up, and a
# test that names `server_factory` first (or asks for `pg_schema` later) would otherwise drop
# the schema under running servers (their readers and sweeps then fail in a loop, and the
# DROP races their statements for locks).
STARTED_SERVERS = pytest.StashKey[list["Server"]]()


@pytest.fixture
def pg_schema(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL schema of this test's own, dropped afterwards, once the test's servers have
    stopped (skips without a server)."""
    with fresh_schema() as name:
        yield name
        for server in request.node.stash.get(STARTED_SERVERS, []):
            server.stop()


@pytest.fixture
async def stores(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Stores]:
    schema = request.getfixturevalue("pg_schema") if backend == "postgres" else None
    opened = await open_stores(backend, tmp_path, schema)
    yield opened
    await opened.close()


@pytest.fixture
def store(stores: Stores) -> SessionStore:
    return stores.sessions


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, auth="none")


@asynccontextmanager
async def app_client(settings: Settings, stores: Stores) -> AsyncIterator[httpx.AsyncClient]:
    """The real app on the given stores, set where the lifespan would put them (which
    `ASGITransport` does not run)."""
    app = create_app(settings)
    app.state.stores = stores
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cora.test") as http:
        yield http


@pytest.fixture
async def client(settings: Settings, stores: Stores) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, stores) as http:
        yield http


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """`cora serve` in its own process on a free port; returns once /healthz answers."""
    port = free_port()
    log_path = data_dir.parent / f"server-{port}.log"
    command = [
        sys.executable,
        "-m",
        "cora",
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        *args,
    ]
    # One worker unless a test asks for more (`--workers`); the default is one per core.
    environment = {**os.environ, "CORA_WORKERS": "1", **(env or {})}
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    server = Server(f"http://127.0.0.1:{port}", data_dir, process, log_path)
    # Generous: a server with several workers starts slowly on a loaded 2-core machine.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cora serve exited:\n{server.log()}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"cora serve did not start:\n{server.log()}")


@pytest.fixture
def server_factory(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[object]:
    started = request.node.stash.setdefault(STARTED_SERVERS, [])

    def start(
        *args: str, data_dir: Path | None = None, env: dict[str, str] | None = None
    ) -> Server:
        server = start_server(data_dir or tmp_path / "data", *args, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def chatgpt_export() -> bytes:
    """A ChatGPT data export's conversations.json: branches, hidden, tool and image nodes."""
    return (FIXTURES / "chatgpt_conversations.json").read_bytes()
