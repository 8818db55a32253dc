"""The session endpoints of contract sections 0 to 2 (and 3.1, 3.2), through the real app."""

import re
import uuid

import httpx
import pytest

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


async def create(client: httpx.AsyncClient, user: str = "alice", **body: object) -> dict:
    response = await client.post(f"/sessions/{user}", json=body or None)
    assert response.status_code == 201, response.text
    return response.json()


async def append(client: httpx.AsyncClient, session: dict, **message: object) -> httpx.Response:
    url = f"/sessions/{session['user_id']}/{session['session_id']}/messages"
    return await client.post(url, json={"sender": "user", "text": "hi", **message})


async def test_create_answers_201_with_location_and_an_empty_session(client) -> None:
    response = await client.post(
        "/sessions/alice", json={"title": "Claim", "tags": ["auto"], "metadata": {"a": 1}}
    )
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"].endswith(f"/sessions/alice/{body['session_id']}")
    assert body["messages"] == [] and body["message_count"] == 0
    assert body["title"] == "Claim" and body["tags"] == ["auto"] and body["metadata"] == {"a": 1}
    assert TIMESTAMP.match(body["created_at"]) and body["created_at"] == body["updated_at"]
    assert uuid.UUID(body["session_id"]).version == 4


async def test_create_without_a_body(client) -> None:
    response = await client.post("/sessions/alice")
    assert response.status_code == 201
    assert response.json()["title"] is None


async def test_append_answers_201_then_200_for_a_retry_and_409_for_a_clash(client) -> None:
    session = await create(client)
    message_id = str(uuid.uuid4()).upper()
    first = await append(client, session, id=message_id, text="My claim", metadata={"k": 1})
    assert first.status_code == 201
    stored = first.json()
    assert stored["id"] == message_id.lower()
    assert TIMESTAMP.match(stored["timestamp"])
    retry = await append(client, session, id=message_id, text="My claim")
    assert retry.status_code == 200
    assert retry.json() == stored
    clash = await append(client, session, id=message_id, text="Another text")
    assert clash.status_code == 409
    assert "detail" in clash.json()
    got = (await client.get(f"/sessions/alice/{session['session_id']}")).json()
    assert [m["text"] for m in got["messages"]] == ["My claim"]


async def test_a_supplied_timestamp_is_kept_in_utc(client) -> None:
    session = await create(client)
    response = await append(client, session, timestamp="2026-03-01T10:00:00+02:00")
    assert response.json()["timestamp"] == "2026-03-01T08:00:00.000000Z"
    naive = await append(client, session, timestamp="2026-03-01T10:00:00")
    assert naive.status_code == 422


async def test_a_timestamp_from_an_early_year_reads_back(client) -> None:
    session = await create(client)
    response = await append(client, session, timestamp="0999-05-02T09:34:02+02:00")
    assert response.json()["timestamp"] == "0999-05-02T07:34:02.000000Z"
    stored = await client.get(f"/sessions/alice/{session['session_id']}")
    assert stored.json()["messages"][0]["timestamp"] == "0999-05-02T07:34:02.000000Z"


async def test_a_wrong_method_lists_every_allowed_one(client) -> None:
    response = await client.request("OPTIONS", "/sessions/alice")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) >= {"GET", "POST"}


async def test_get_answers_the_session_with_an_etag_and_304(client) -> None:
    session = await create(client)
    await append(client, session, text="First line\nsecond line")
    await append(client, session, sender="assistant", text="Hello!")
    url = f"/sessions/alice/{session['session_id']}"
    response = await client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert [m["sender"] for m in body["messages"]] == ["user", "assistant"]
    assert body["title"] == "First line" and body["message_count"] == 2
    etag = response.headers["etag"]
    for named in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        not_modified = await client.get(url, headers={"If-None-Match": named})
        assert not_modified.status_code == 304, named
    await append(client, session)
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


async def test_session_ids_are_accepted_in_any_case(client) -> None:
    session = await create(client)
    response = await client.get(f"/sessions/alice/{session['session_id'].upper()}")
    assert response.status_code == 200
    assert response.json()["session_id"] == session["session_id"]


async def test_list_pages_with_cursors_newest_first(client) -> None:
    sessions = [await create(client) for _ in range(5)]
    await append(client, sessions[1])
    first = (await client.get("/sessions/alice", params={"limit": 2})).json()
    assert first["sessions"][0]["session_id"] == sessions[1]["session_id"]
    assert first["next_cursor"]
    second = (
        await client.get("/sessions/alice", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    third = (
        await client.get("/sessions/alice", params={"limit": 2, "cursor": second["next_cursor"]})
    ).json()
    assert third["next_cursor"] is None
    listed = [s["session_id"] for page in (first, second, third) for s in page["sessions"]]
    assert sorted(listed) == sorted(s["session_id"] for s in sessions)
    assert "messages" not in first["sessions"][0]


async def test_a_user_without_sessions_gets_an_empty_list(client) -> None:
    response = await client.get("/sessions/nobody")
    assert response.status_code == 200
    assert response.json() == {"sessions": [], "next_cursor": None}


async def test_put_replaces_messages_and_honours_if_match(client) -> None:
    session = await create(client)
    await append(client, session, text="old")
    url = f"/sessions/alice/{session['session_id']}"
    etag = (await client.get(url)).headers["etag"]
    given_id = str(uuid.uuid4())
    body = {
        "messages": [
            {"sender": "user", "text": "new question", "id": given_id},
            {"sender": "assistant", "text": "new answer"},
        ],
        "tags": ["home"],
    }
    replaced = await client.put(url, json=body, headers={"If-Match": etag})
    assert replaced.status_code == 200
    result = replaced.json()
    assert [m["text"] for m in result["messages"]] == ["new question", "new answer"]
    assert result["messages"][0]["id"] == given_id
    assert result["title"] == "new question" and result["tags"] == ["home"]
    stale = await client.put(url, json={"messages": []}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert (await client.get(url)).json() == result


async def test_patch_and_delete(client) -> None:
    session = await create(client)
    url = f"/sessions/alice/{session['session_id']}"
    patched = await client.patch(url, json={"title": "Renamed", "tags": ["x"]})
    assert patched.status_code == 200
    assert patched.json()["title"] == "Renamed"
    assert "messages" not in patched.json()
    stale = await client.delete(url, headers={"If-Match": '"2000-01-01T00:00:00.000000Z"'})
    assert stale.status_code == 412
    assert (await client.delete(url)).status_code == 204
    assert (await client.get(url)).status_code == 404
    assert (await client.get("/sessions/alice")).json()["sessions"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/sessions/alice/{sid}"),
        ("PUT", "/sessions/alice/{sid}"),
        ("PATCH", "/sessions/alice/{sid}"),
        ("DELETE", "/sessions/alice/{sid}"),
        ("POST", "/sessions/alice/{sid}/messages"),
    ],
)
async def test_a_well_formed_id_that_names_nothing_is_404(client, method, path) -> None:
    bodies = {"PUT": {"messages": []}, "PATCH": {}, "POST": {"sender": "user", "text": "x"}}
    response = await client.request(method, path.format(sid=uuid.uuid4()), json=bodies.get(method))
    assert response.status_code == 404
    assert "not found" in response.json()["detail"]


async def test_another_users_session_is_not_found(client) -> None:
    session = await create(client, "alice")
    response = await client.get(f"/sessions/bob/{session['session_id']}")
    assert response.status_code == 404


async def test_a_long_text_is_413(client, settings) -> None:
    session = await create(client)
    response = await append(client, session, text="x" * (settings.max_message_chars + 1))
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    ok = await append(client, session, text="x" * settings.max_message_chars)
    assert ok.status_code == 201


async def test_operations_endpoints(client) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).status_code == 200
    schema = (await client.get("/openapi.json")).json()
    assert "/sessions/{user_id}/{session_id}/messages" in schema["paths"]
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower()
    script = re.search(r'src="([^"]+swagger-ui-bundle\.js)"', docs.text)
    assert script
    assert (await client.get(script.group(1))).status_code == 200
