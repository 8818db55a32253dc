"""Contract 3.1 (pinned, archived), 3.4 (snippets), 3.10 (feedback) and 3.11 (tags) through the
real app, on both stores."""

import httpx

from tests.api.test_sessions import append, create


async def _listed(client: httpx.AsyncClient, query: str = "") -> list[str]:
    response = await client.get(f"/sessions/alice{query}")
    assert response.status_code == 200, response.text
    return [s["session_id"] for s in response.json()["sessions"]]


async def _patch(client: httpx.AsyncClient, session: dict, **body: object) -> dict:
    response = await client.patch(f"/sessions/alice/{session['session_id']}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_pinned_and_archived_sessions(client) -> None:
    plain, pinned, archived = [await create(client, title=f"chat {i}") for i in range(3)]
    assert plain["pinned"] is False and plain["archived"] is False
    assert (await _patch(client, pinned, pinned=True))["pinned"] is True
    summary = await _patch(client, archived, archived=True, title="old")
    assert summary["archived"] is True and summary["title"] == "old"

    assert set(await _listed(client)) == {plain["session_id"], pinned["session_id"]}
    assert await _listed(client, "?archived=true") == [archived["session_id"]]
    assert await _listed(client, "?pinned=true") == [pinned["session_id"]]
    assert await _listed(client, "?q=old") == []
    assert await _listed(client, "?q=old&archived=true") == [archived["session_id"]]

    got = (await client.get(f"/sessions/alice/{archived['session_id']}")).json()
    assert got["archived"] is True and got["pinned"] is False
    await _patch(client, archived, archived=False)
    assert archived["session_id"] in await _listed(client)


async def test_flags_must_be_booleans(client) -> None:
    session = await create(client)
    url = f"/sessions/alice/{session['session_id']}"
    for flag in ("very", 0, 1, "true"):
        assert (await client.patch(url, json={"pinned": flag})).status_code == 422, flag
        assert (await client.patch(url, json={"archived": flag})).status_code == 422, flag
    put = await client.put(url, json={"messages": [], "archived": True})
    assert put.status_code == 422  # PUT sets what 2.4 lists; flags are PATCH's


async def test_a_null_body_is_not_an_absent_one(client) -> None:
    response = await client.post(
        "/sessions/alice", content=b"null", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert (await client.post("/sessions/alice")).status_code == 201


async def test_feedback_on_an_assistant_message(client) -> None:
    session = await create(client)
    question = (await append(client, session, text="Is hail covered?")).json()
    reply = (await append(client, session, sender="assistant", text="Yes.")).json()
    assert reply["feedback"] is None
    base = f"/sessions/alice/{session['session_id']}/messages"
    before = (await client.get(f"/sessions/alice/{session['session_id']}")).headers["etag"]

    body = {"feedback": {"rating": "down", "comment": "Too short"}}
    response = await client.patch(f"{base}/{reply['id'].upper()}", json=body)
    assert response.status_code == 200, response.text
    assert response.json() == {**reply, "feedback": {"rating": "down", "comment": "Too short"}}

    got = await client.get(f"/sessions/alice/{session['session_id']}")
    assert got.headers["etag"] != before
    assert [m["feedback"] for m in got.json()["messages"]] == [None, body["feedback"]]

    up = await client.patch(f"{base}/{reply['id']}", json={"feedback": {"rating": "up"}})
    assert up.json()["feedback"] == {"rating": "up", "comment": None}
    cleared = await client.patch(f"{base}/{reply['id']}", json={"feedback": None})
    assert cleared.status_code == 200 and cleared.json()["feedback"] is None

    refused = await client.patch(f"{base}/{question['id']}", json={"feedback": {"rating": "up"}})
    assert refused.status_code == 422 and "assistant" in refused.json()["detail"]


async def test_feedback_input_is_checked(client) -> None:
    session = await create(client)
    reply = (await append(client, session, sender="assistant", text="Yes.")).json()
    url = f"/sessions/alice/{session['session_id']}/messages/{reply['id']}"
    for body in [
        {},
        {"feedback": {"rating": "meh"}},
        {"feedback": {"rating": "up", "comment": "x" * 2001}},
        {"feedback": {"rating": "up", "extra": 1}},
    ]:
        assert (await client.patch(url, json=body)).status_code == 422, body
    longest = {"feedback": {"rating": "up", "comment": "x" * 2000}}
    assert (await client.patch(url, json=longest)).status_code == 200
    unknown = (
        f"/sessions/alice/{session['session_id']}/messages/{'0' * 8}-0000-4000-8000-{'0' * 12}"
    )
    missing = await client.patch(unknown, json={"feedback": None})
    assert missing.status_code == 404 and "not found" in missing.json()["detail"]
    bad_id = f"/sessions/alice/{session['session_id']}/messages/not-a-uuid"
    assert (await client.patch(bad_id, json={"feedback": None})).status_code == 422


async def test_a_put_keeps_feedback_it_is_given(client) -> None:
    session = await create(client)
    reply = (await append(client, session, sender="assistant", text="Yes.")).json()
    url = f"/sessions/alice/{session['session_id']}"
    await client.patch(f"{url}/messages/{reply['id']}", json={"feedback": {"rating": "up"}})
    messages = (await client.get(url)).json()["messages"]
    replaced = await client.put(url, json={"messages": messages})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["messages"][0]["feedback"] == {"rating": "up", "comment": None}
    user_feedback = [{"sender": "user", "text": "hi", "feedback": {"rating": "up"}}]
    assert (await client.put(url, json={"messages": user_feedback})).status_code == 422


async def test_tags_most_used_first(client) -> None:
    for tags in [["auto", "claim"], ["claim"], ["home", "claim"], ["auto"]]:
        await create(client, tags=tags)
    await create(client, "bob", tags=["bob"])
    response = await client.get("/sessions/alice/tags")
    assert response.status_code == 200
    assert response.json() == {
        "tags": [
            {"tag": "claim", "count": 3},
            {"tag": "auto", "count": 2},
            {"tag": "home", "count": 1},
        ]
    }
    assert (await client.get("/sessions/nobody/tags")).json() == {"tags": []}
    assert (await client.put("/sessions/alice/tags", json={"messages": []})).status_code == 405


async def test_search_snippets_follow_the_rules(client) -> None:
    session = await create(client)
    text = "**Note:** " + "Your policy covers glass. " * 12 + "A [cracked windscreen](x) too."
    await append(client, session, sender="assistant", text=text)
    found = (await client.get("/sessions/alice?q=WINDSCREEN")).json()["sessions"]
    match = found[0]["match"]
    assert len(match) <= 200 and match.startswith("…")
    assert "cracked windscreen too." in match[:120]
    assert "*" not in match and "[" not in match
