"""Per-user storage quotas: 507 with a clear detail, nothing written, other users unaffected."""

from pathlib import Path

import httpx

from cora.config import Settings
from cora.store import Stores
from tests.conftest import app_client


def quota_settings(tmp_path: Path, **quotas: int) -> Settings:
    return Settings(data_dir=tmp_path, auth="none", **quotas)


async def create(client: httpx.AsyncClient, user: str) -> httpx.Response:
    return await client.post(f"/sessions/{user}")


async def count_sessions(client: httpx.AsyncClient, user: str) -> int:
    response = await client.get(f"/sessions/{user}")
    assert response.status_code == 200, response.text
    return len(response.json()["sessions"])


async def test_the_session_quota_refuses_one_more(tmp_path: Path, stores: Stores) -> None:
    async with app_client(quota_settings(tmp_path, max_sessions_per_user=2), stores) as client:
        first = (await create(client, "alice")).json()
        assert (await create(client, "alice")).status_code == 201
        refused = await create(client, "alice")
        assert refused.status_code == 507
        assert "Session quota reached: 2 of 2" in refused.json()["detail"]
        assert await count_sessions(client, "alice") == 2
        assert (await create(client, "bob")).status_code == 201
        deleted = await client.delete(f"/sessions/alice/{first['session_id']}")
        assert deleted.status_code == 204
        assert (await create(client, "alice")).status_code == 201


async def test_the_byte_quota_refuses_appends_past_it(tmp_path: Path, stores: Stores) -> None:
    async with app_client(quota_settings(tmp_path, max_bytes_per_user=4000), stores) as client:
        session = (await create(client, "alice")).json()
        url = f"/sessions/alice/{session['session_id']}/messages"
        stored = []
        for number in range(20):
            text = f"{number:03} " + "x" * 496
            response = await client.post(url, json={"sender": "user", "text": text})
            if response.status_code == 507:
                assert "Storage quota reached" in response.json()["detail"]
                break
            assert response.status_code == 201, response.text
            stored.append(text)
        assert 3 <= len(stored) < 8
        page = (await client.get(url)).json()
        assert [m["text"] for m in page["messages"]] == stored
        other = (await create(client, "bob")).json()
        response = await client.post(
            f"/sessions/bob/{other['session_id']}/messages", json={"sender": "user", "text": "hi"}
        )
        assert response.status_code == 201


async def test_an_import_past_the_session_quota_imports_nothing(
    tmp_path: Path, stores: Stores
) -> None:
    async with app_client(quota_settings(tmp_path, max_sessions_per_user=2), stores) as client:
        for _ in range(2):
            session = (await create(client, "alice")).json()
            await client.post(
                f"/sessions/alice/{session['session_id']}/messages",
                json={"sender": "user", "text": "my claim"},
            )
        export = await client.get("/sessions/alice/export")
        assert export.status_code == 200
        assert (await create(client, "bob")).status_code == 201
        response = await client.post(
            "/sessions/bob/import",
            content=export.content,
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 507, response.text
        assert "2 more asked" in response.json()["detail"]
        assert await count_sessions(client, "bob") == 1
