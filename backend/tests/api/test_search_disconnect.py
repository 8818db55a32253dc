"""A search whose client hangs up is cancelled: it stops reading files and frees its turn.

Served by a real uvicorn on a real socket, as uvicorn (not the app) sees the client go.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from cora.app import create_app
from cora.config import Settings
from cora.store import Stores, create_stores
from cora.store.json_files import JsonFileStore
from tests.api.test_middleware import counted
from tests.conftest import free_port
from tests.store.test_json_search_bounds import WAIT_SECONDS, BlockingStore, fill

SEARCH = "/sessions/alice?q=claim"


@pytest.fixture
async def blocking_stores(tmp_path: Path) -> AsyncIterator[Stores]:
    settings = Settings(storage="json", data_dir=tmp_path)
    stores = replace(create_stores(settings), sessions=BlockingStore(tmp_path))
    await stores.open()
    yield stores
    stores.sessions.release.set()  # type: ignore[attr-defined]
    await stores.close()


@pytest.fixture(params=["httptools", "h11"])
async def served(
    tmp_path: Path, blocking_stores: Stores, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """The app on a real server, on the blocking stores (so without its lifespan)."""
    app = create_app(Settings(data_dir=tmp_path, auth="none"))
    app.state.stores = blocking_stores
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_level="warning", http=request.param
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "the server did not start"
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving


def searches_counted(metrics: httpx.Response, status: int) -> float:
    return counted(metrics.text, "/sessions/{user_id}", status, method="GET")


async def hang_up_during_search(url: str, store: BlockingStore) -> None:
    host, port = url.removeprefix("http://").split(":")
    _, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"GET {SEARCH} HTTP/1.1\r\nHost: cora.test\r\n\r\n".encode())
    await writer.drain()
    assert await asyncio.to_thread(store.entered.wait, WAIT_SECONDS)  # in its first file
    writer.close()
    await writer.wait_closed()


async def test_a_search_stops_when_its_client_hangs_up(
    served: str, blocking_stores: Stores
) -> None:
    store = blocking_stores.sessions
    assert isinstance(store, BlockingStore)
    await fill(store, 20)
    async with httpx.AsyncClient(base_url=served, timeout=WAIT_SECONDS) as http:
        before = searches_counted(await http.get("/metrics"), 499)
        await hang_up_during_search(served, store)
        async with asyncio.timeout(WAIT_SECONDS):  # the handler is cancelled, and counted so
            while searches_counted(await http.get("/metrics"), 499) == before:
                await asyncio.sleep(0.05)
        store.release.set()
        assert await asyncio.to_thread(store.finished.wait, WAIT_SECONDS)
        assert store.files == 1  # it stopped after the file it was in

        # A search whose client waits is answered in full, and counted as answered.
        store.files = 0
        answered = await http.get(SEARCH)
        assert answered.status_code == 200 and len(answered.json()["sessions"]) == 7
        assert store.files == 20
        assert searches_counted(await http.get("/metrics"), 200) >= 1


class FailingSearchStore(JsonFileStore):
    async def search_sessions(self, **arguments: Any) -> Any:
        raise RuntimeError("the search broke")


async def test_an_unexpected_error_in_a_watched_search_surfaces_as_itself(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The watcher does not change how an error is answered and logged: a 500, logged with the
    search's own error (not the watcher's task group around it)."""
    settings = Settings(storage="json", data_dir=tmp_path)
    stores = replace(create_stores(settings), sessions=FailingSearchStore(tmp_path))
    await stores.open()
    try:
        app = create_app(Settings(data_dir=tmp_path, auth="none"))
        app.state.stores = stores
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://cora.test") as http:
            answer = await http.get(SEARCH)
    finally:
        await stores.close()
    assert answer.status_code == 500
    logged = [r for r in caplog.records if r.exc_info and "unhandled error" in r.getMessage()]
    assert [type(r.exc_info[1]) for r in logged if r.exc_info] == [RuntimeError]
