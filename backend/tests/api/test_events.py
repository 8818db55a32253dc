"""Live updates over HTTP (3.8), against a real server: event streams are long-lived, which the
in-process test transport cannot carry."""

import httpx
import pytest

from tests.conftest import Server
from tests.events.sse import Listener

UNKNOWN = "00000000-0000-4000-8000-000000000000"
PASSWORD = "correct horse battery"


@pytest.fixture
def server(server_factory) -> Server:
    return server_factory("--auth", "none", env={"CORA_SSE_KEEPALIVE_SECONDS": "0.5"})


def test_the_list_stream_tells_every_change_of_the_users_sessions(server: Server) -> None:
    listener = Listener(f"{server.url}/sessions/alice/events")
    with httpx.Client(base_url=server.url, timeout=10) as http:
        http.post("/sessions/bob")
        session_id = http.post("/sessions/alice").json()["session_id"]
        http.post(f"/sessions/alice/{session_id}/messages", json={"sender": "user", "text": "Hi"})
        http.patch(f"/sessions/alice/{session_id}", json={"title": "Claims"})
        http.delete(f"/sessions/alice/{session_id}")
    events = listener.wait_for(lambda got: any(e.event == "deleted" for e in got))
    assert [e.event for e in events] == ["session", "session", "session", "deleted"]
    created, appended, renamed, deleted = events
    assert created.data["session_id"] == session_id and created.data["message_count"] == 0
    assert appended.data["message_count"] == 1 and appended.data["title"] == "Hi"
    assert renamed.data["title"] == "Claims"
    assert deleted.data == {"session_id": session_id}
    assert all(e.id for e in events) and len({e.id for e in events}) == 4
    assert not listener.ended  # the list's stream goes on


def test_the_session_stream_sends_messages_and_ends_after_the_deletion(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        session_id = http.post("/sessions/alice").json()["session_id"]
        other_id = http.post("/sessions/alice").json()["session_id"]
        listener = Listener(f"{server.url}/sessions/alice/{session_id}/events")
        assert listener.status == 200
        http.post(f"/sessions/alice/{other_id}/messages", json={"sender": "user", "text": "No"})
        message = http.post(
            f"/sessions/alice/{session_id}/messages", json={"sender": "user", "text": "Yes"}
        ).json()
        http.delete(f"/sessions/alice/{session_id}")
    events = listener.wait_for(lambda got: any(e.event == "deleted" for e in got))
    assert [e.event for e in events] == ["message", "session", "deleted"]
    assert events[0].data == message
    assert events[1].data["message_count"] == 1
    listener.wait_for(lambda _: listener.ended)


def test_an_unknown_or_malformed_session_is_not_streamed(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        unknown = http.get(f"/sessions/alice/{UNKNOWN}/events")
        assert unknown.status_code == 404 and "detail" in unknown.json()
        assert http.get("/sessions/alice/not-a-uuid/events").status_code == 422
        session_id = http.post("/sessions/alice").json()["session_id"]
        assert http.get(f"/sessions/bob/{session_id}/events").status_code == 404
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            answer = http.request(method, "/sessions/alice/events")
            assert answer.status_code == 405 and answer.headers["Allow"] == "GET"


def test_a_reconnect_with_last_event_id_gets_what_it_missed(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        session_id = http.post("/sessions/alice").json()["session_id"]
        first = Listener(f"{server.url}/sessions/alice/{session_id}/events")
        url = f"/sessions/alice/{session_id}/messages"
        http.post(url, json={"sender": "user", "text": "one"})
        seen = first.wait_for_count(2)
        texts = ["two", "three"]
        for text in texts:
            http.post(url, json={"sender": "user", "text": text})
        resumed = Listener(
            f"{server.url}/sessions/alice/{session_id}/events",
            headers={"Last-Event-ID": seen[1].id},
        )
        events = resumed.wait_for_count(4)
        assert [e.event for e in events] == ["message", "session"] * 2
        assert [e.data["text"] for e in events[::2]] == texts
        assert [e.id for e in events] == [e.id for e in first.wait_for_count(6)[2:]]

        lost = Listener(f"{server.url}/sessions/alice/events", headers={"Last-Event-ID": "x"})
        [reset] = lost.wait_for_count(1)
        assert reset.event == "reset" and reset.id


def test_an_idle_stream_carries_comment_lines(server: Server) -> None:
    """One on connect, then one every 0.5 s (the server's setting): three more within 10 s
    (about 1.5 s; with the default interval, 15 s, the second would not come in time)."""
    listener = Listener(f"{server.url}/sessions/alice/events")
    listener.wait_for(lambda _: listener.comments >= 4, timeout=10)


def test_event_streams_are_checked_like_every_session_route(server_factory) -> None:
    server = server_factory()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        tokens = {}
        for name in ("owner-one", "other-one"):
            http.post("/auth/register", json={"username": name, "password": PASSWORD})
            login = http.post("/auth/token", data={"username": name, "password": PASSWORD})
            tokens[name] = (login.json()["user_id"], login.json()["access_token"])
        owner, token = tokens["owner-one"]
        _, other_token = tokens["other-one"]
        assert http.get(f"/sessions/{owner}/events").status_code == 401
        mine = {"Authorization": f"Bearer {token}"}
        theirs = {"Authorization": f"Bearer {other_token}"}
        assert http.get(f"/sessions/{owner}/events", headers=theirs).status_code == 403
        session_id = http.post(f"/sessions/{owner}", headers=mine).json()["session_id"]
        events_url = f"/sessions/{owner}/{session_id}/events"
        assert http.get(events_url, headers=theirs).status_code == 403
        listener = Listener(f"{server.url}{events_url}", headers=mine)
        assert listener.status == 200
        http.patch(f"/sessions/{owner}/{session_id}", json={"title": "Mine"}, headers=mine)
        assert listener.wait_for_count(1)[0].data["title"] == "Mine"


def test_a_stop_closes_event_streams_instead_of_waiting_for_them(server: Server) -> None:
    """uvicorn lets the responses under way finish for up to 10 s on a stop; an event stream
    never finishes, so it is closed at once (its client reconnects and resumes elsewhere)."""
    streams = [
        Listener(f"{server.url}/sessions/alice/events"),
        Listener(f"{server.url}/sessions/alice/{UNKNOWN}/events"),
    ]
    assert [s.status for s in streams] == [200, 404]  # the unknown session's ends by itself

    server.stop()

    assert all(s.ended for s in streams)
    assert "Application shutdown complete" in server.log()
    assert "timeout graceful shutdown exceeded" not in server.log()
