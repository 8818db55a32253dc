"""Long-lived history: message paging (3.3), search (3.4) and expiry (3.7)."""

import subprocess
import sys
import time
import uuid
from datetime import timedelta

import httpx

from cora.store.json_files import JsonFileStore
from cora.timeutil import utc_now
from tests.factories import new_session


async def session_with_messages(client, count: int) -> tuple[str, list[dict]]:
    sid = (await client.post("/sessions/alice")).json()["session_id"]
    messages = []
    for i in range(count):
        response = await client.post(
            f"/sessions/alice/{sid}/messages", json={"sender": "user", "text": f"message {i}"}
        )
        messages.append(response.json())
    return sid, messages


async def test_messages_page_from_the_latest_backwards(client) -> None:
    sid, messages = await session_with_messages(client, 7)
    latest = (await client.get(f"/sessions/alice/{sid}/messages", params={"limit": 3})).json()
    assert latest == {"messages": messages[4:], "has_more": True}
    older = (
        await client.get(
            f"/sessions/alice/{sid}/messages", params={"limit": 3, "before": messages[4]["id"]}
        )
    ).json()
    assert older == {"messages": messages[1:4], "has_more": True}
    default = (await client.get(f"/sessions/alice/{sid}/messages")).json()
    assert default == {"messages": messages, "has_more": False}


async def test_paging_input_errors(client) -> None:
    sid, _ = await session_with_messages(client, 2)
    _, other_messages = await session_with_messages(client, 1)
    url = f"/sessions/alice/{sid}/messages"
    foreign = await client.get(url, params={"before": other_messages[0]["id"]})
    assert foreign.status_code == 422
    assert "not in this session" in foreign.json()["detail"]
    for params in ({"limit": 0}, {"limit": 501}, {"before": "not-a-uuid"}):
        assert (await client.get(url, params=params)).status_code == 422
    assert (await client.get(f"/sessions/alice/{uuid.uuid4()}/messages")).status_code == 404


async def test_search_by_text_and_tag(client) -> None:
    hail = (await client.post("/sessions/alice", json={"tags": ["auto"]})).json()["session_id"]
    await client.post(
        f"/sessions/alice/{hail}/messages",
        json={"sender": "user", "text": "Hail dented my car's roof. Is that covered?"},
    )
    roof = (
        await client.post("/sessions/alice", json={"title": "Roof leak", "tags": ["home"]})
    ).json()
    await client.post("/sessions/alice", json={"title": "Unrelated"})
    found = (await client.get("/sessions/alice", params={"q": "ROOF"})).json()
    by_id = {s["session_id"]: s for s in found["sessions"]}
    assert set(by_id) == {hail, roof["session_id"]}
    assert "roof" in by_id[hail]["match"]
    assert by_id[roof["session_id"]]["match"] is None
    tagged = (await client.get("/sessions/alice", params={"tag": "auto"})).json()
    assert [s["session_id"] for s in tagged["sessions"]] == [hail]
    assert tagged["sessions"][0]["match"] is None
    unknown_tag = (await client.get("/sessions/alice", params={"tag": "no-such-tag"})).json()
    assert unknown_tag == {"sessions": [], "next_cursor": None}
    empty_query = (await client.get("/sessions/alice", params={"q": ""})).json()
    assert len(empty_query["sessions"]) == 3
    assert "match" not in empty_query["sessions"][0]


async def test_search_pages_with_cursors(client) -> None:
    for i in range(5):
        await client.post("/sessions/alice", json={"title": f"policy question {i}"})
    first = (await client.get("/sessions/alice", params={"q": "policy", "limit": 2})).json()
    second = (
        await client.get(
            "/sessions/alice", params={"q": "policy", "limit": 2, "cursor": first["next_cursor"]}
        )
    ).json()
    titles = [s["title"] for s in first["sessions"] + second["sessions"]]
    assert len(set(titles)) == 4


async def test_idle_sessions_expire_at_start_and_by_command(server_factory, tmp_path) -> None:
    data_dir = tmp_path / "data"
    store = JsonFileStore(data_dir)
    await store.open()
    now = utc_now()
    old, fresh, older = (
        new_session("alice", updated_at=now - timedelta(days=45)),
        new_session("alice", updated_at=now - timedelta(days=1)),
        new_session("bob", updated_at=now - timedelta(days=90)),
    )
    await store.create_sessions(sessions=[old, fresh])
    await store.close()

    command = [sys.executable, "-m", "cora", "cleanup", "--data-dir", str(data_dir)]
    env = {"CORA_SESSION_TTL_DAYS": "30", "PATH": "/usr/bin:/bin"}
    dry = subprocess.run([*command, "--dry-run"], capture_output=True, text=True, env=env)
    assert dry.returncode == 0, dry.stderr
    assert "Would delete 1 sessions" in dry.stdout
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    assert "Deleted 1 sessions" in done.stdout

    store = JsonFileStore(data_dir)
    await store.open()
    await store.create_sessions(sessions=[older])
    await store.close()
    server = server_factory(
        "--auth", "none", data_dir=data_dir, env={"CORA_SESSION_TTL_DAYS": "30"}
    )
    with httpx.Client(base_url=server.url) as http:
        for _ in range(50):
            if http.get(f"/sessions/bob/{older.session_id}").status_code == 404:
                break
            time.sleep(0.1)
        assert http.get(f"/sessions/bob/{older.session_id}").status_code == 404
        assert http.get(f"/sessions/alice/{fresh.session_id}").status_code == 200
