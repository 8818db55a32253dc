"""The one middleware: body limits, security headers and request metrics on every answer."""

from pathlib import Path

import httpx
import pytest

from cora.config import Settings
from cora.store import Stores
from tests.conftest import app_client

pytestmark = pytest.mark.parametrize("backend", ["json"], indirect=True)


def counted(metrics: str, route: str, status: int, method: str = "POST") -> float:
    prefix = f'cora_http_requests_total{{method="{method}",route="{route}",status="{status}"}}'
    lines = [line for line in metrics.splitlines() if line.startswith(prefix)]
    return float(lines[0].split()[-1]) if lines else 0.0


async def test_oversized_bodies_are_413_with_headers_and_counted(
    tmp_path: Path, stores: Stores
) -> None:
    settings = Settings(data_dir=tmp_path, auth="none", max_request_bytes=1000)
    async with app_client(settings, stores) as client:
        sid = (await client.post("/sessions/alice")).json()["session_id"]
        route = "/sessions/{user_id}/{session_id}/messages"
        before = counted((await client.get("/metrics")).text, route, 413)
        body = b'{"sender":"user","text":"' + b"x" * 2000 + b'"}'
        announced = await client.post(f"/sessions/alice/{sid}/messages", content=body)

        async def chunks():  # type: ignore[no-untyped-def]
            for _ in range(4):
                yield b"x" * 400

        streamed = await client.post(f"/sessions/alice/{sid}/messages", content=chunks())
        for answer in (announced, streamed):
            assert answer.status_code == 413
            assert "1000 bytes" in answer.json()["detail"]
            assert answer.headers["x-frame-options"] == "DENY"
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        after = counted((await client.get("/metrics")).text, route, 413)
        # The announced one is refused before routing: counted as "unmatched".
        assert after == before + 1
        stored = (await client.get(f"/sessions/alice/{sid}")).json()
        assert stored["messages"] == []


async def test_every_answer_has_the_headers_and_is_counted(client: httpx.AsyncClient) -> None:
    created = await client.post("/sessions/bob")
    assert created.status_code == 201
    assert created.headers["x-content-type-options"] == "nosniff"
    assert created.headers["referrer-policy"] == "no-referrer"
    docs = await client.get("/docs")
    assert "'unsafe-inline'" in docs.headers["content-security-policy"].split("script-src")[1]
    metrics = (await client.get("/metrics")).text
    assert counted(metrics, "/sessions/{user_id}", 201) >= 1
