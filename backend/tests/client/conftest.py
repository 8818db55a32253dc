"""Real `cora serve` processes for the client's tests: one per auth mode, started by
`start_server` (what `server_factory` uses) and shared by the tests, each of which works as a
user of its own."""

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from cora.client import AsyncCoraClient, CoraClient, RetryPolicy
from tests.assistant.chat_server import ChatServer
from tests.client.proxy import LossyProxy
from tests.conftest import Server, start_server

PASSWORD = "a long passphrase 4 cora"
FAST_RETRY = RetryPolicy(attempts=4, backoff=0.01)


@dataclass
class Account:
    """A server, and a user of it (with a token in mode `local`)."""

    server: Server
    mode: str
    user_id: str
    token: str | None
    username: str | None = None

    def client(self, url: str | None = None, **options) -> CoraClient:
        options.setdefault("retry", FAST_RETRY)
        return CoraClient(url or self.server.url, token=self.token, **options)

    def async_client(self, url: str | None = None, **options) -> AsyncCoraClient:
        options.setdefault("retry", FAST_RETRY)
        return AsyncCoraClient(url or self.server.url, token=self.token, **options)


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    started: dict[str, Server] = {}
    for mode in ("local", "none"):
        data_dir = tmp_path_factory.mktemp(f"cora-{mode}") / "data"
        # Every test makes its own account on this one server: no registration limit.
        unlimited = {"CORA_REGISTRATIONS_PER_HOUR": "0"}
        started[mode] = start_server(data_dir, "--auth", mode, env=unlimited)
    yield started
    for server in started.values():
        server.stop()


def new_account(server: Server, mode: str) -> Account:
    if mode == "none":
        return Account(server, mode, f"user-{uuid.uuid4().hex[:12]}", None)
    username = f"user-{uuid.uuid4().hex[:12]}"
    with CoraClient(server.url) as cora:
        cora.register(username, PASSWORD)
        token = cora.login(username, PASSWORD)
    return Account(server, mode, token.user_id, token.access_token, username)


@pytest.fixture(params=["local", "none"])
def account(request: pytest.FixtureRequest, servers: dict[str, Server]) -> Account:
    return new_account(servers[request.param], request.param)


@pytest.fixture
def local_account(servers: dict[str, Server]) -> Account:
    return new_account(servers["local"], "local")


@pytest.fixture
def cora(account: Account) -> Iterator[CoraClient]:
    with account.client() as client:
        yield client


@pytest.fixture
async def acora(account: Account) -> AsyncIterator[AsyncCoraClient]:
    async with account.async_client() as client:
        yield client


@pytest.fixture
def proxy(account: Account) -> Iterator[LossyProxy]:
    lossy = LossyProxy(account.server.url)
    yield lossy
    lossy.close()


@pytest.fixture
async def model_server() -> AsyncIterator[ChatServer]:
    server = ChatServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def model_cora(server_factory, model_server: ChatServer) -> Server:
    """Cora (auth `none`) whose assistant is the OpenAI-compatible test server."""
    return server_factory(
        "--auth",
        "none",
        env={
            "CORA_ASSISTANT": "openai",
            "CORA_OPENAI_BASE_URL": model_server.base_url,
            "CORA_OPENAI_MODEL": "test-model",
        },
    )
