"""Damaged session files (contract 6), on a real `cora serve` and real files: a file damaged in
the middle or truncated is never rewritten, every request on it answers 500 naming it, the
export of all sessions lists it as unreadable; a torn tail is still repaired silently."""

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import Server

USER = "alice"
QUESTION = "How do I file a claim?"


def create_session(http: httpx.Client, texts: list[str]) -> str:
    created = http.post(f"/sessions/{USER}", json={"title": None})
    assert created.status_code == 201, created.text
    session_id = str(created.json()["session_id"])
    for number, text in enumerate(texts):
        sender = "user" if number % 2 == 0 else "assistant"
        answer = http.post(
            f"/sessions/{USER}/{session_id}/messages", json={"sender": sender, "text": text}
        )
        assert answer.status_code == 201, answer.text
    return session_id


def damage_middle(path: Path) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3][:12] + b"\x00garbage" + lines[3][20:]
    path.write_bytes(b"\n".join(lines))


def truncate_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def requests_on(session_id: str, message_id: str) -> list[tuple[str, str, object]]:
    base = f"/sessions/{USER}/{session_id}"
    message = {"sender": "user", "text": "hello"}
    return [
        ("GET", base, None),
        ("GET", f"{base}/messages?limit=2", None),
        ("POST", f"{base}/messages", message),
        ("POST", f"{base}/chat", {"text": QUESTION}),
        ("PUT", base, {"title": "new", "messages": [message]}),
        ("PATCH", base, {"title": "renamed"}),
        ("PATCH", f"{base}/messages/{message_id}", {"feedback": {"rating": "up"}}),
        ("GET", f"{base}/export", None),
    ]


@pytest.mark.parametrize("damage", [damage_middle, truncate_half], ids=["middle", "half"])
def test_a_damaged_file_is_never_rewritten(
    server_factory: Callable[..., Server], damage: Callable[[Path], None]
) -> None:
    server = server_factory("--auth", "none")
    texts = [f"message {n}: " + "x" * 200 for n in range(8)]
    with httpx.Client(base_url=server.url, timeout=60) as http:
        damaged_id = create_session(http, texts)
        healthy_id = create_session(http, texts[:2])
        stored = http.get(f"/sessions/{USER}/{damaged_id}").json()["messages"]
        assistant_id = next(m["id"] for m in stored if m["sender"] == "assistant")
        path = server.data_dir / "sessions" / f"{USER}_{damaged_id}.json"
        damage(path)
        before = path.read_bytes()

        for method, url, body in requests_on(damaged_id, assistant_id):
            answer = http.request(method, url, json=body)
            assert answer.status_code == 500, (method, url, answer.text)
            assert damaged_id in answer.json()["detail"], (method, url)
            assert path.read_bytes() == before, (method, url)

        listed = http.get(f"/sessions/{USER}")
        assert listed.status_code == 200
        assert path.read_bytes() == before
        exported = http.get(f"/sessions/{USER}/export")
        assert exported.status_code == 200, exported.text
        assert exported.json()["unreadable"] == [damaged_id]
        assert [s["session_id"] for s in exported.json()["sessions"]] == [healthy_id]
        assert path.read_bytes() == before

        for method, url, body in requests_on(healthy_id, "unused")[:4]:
            assert http.request(method, url, json=body).status_code < 300, (method, url)

        # The owner may always delete a damaged session (docs/API.md, 6).
        assert http.delete(f"/sessions/{USER}/{damaged_id}").status_code == 204
        assert not path.exists()
    assert str(path) in server.log()


def test_a_torn_tail_is_repaired_silently(server_factory: Callable[..., Server]) -> None:
    server = server_factory("--auth", "none")
    with httpx.Client(base_url=server.url, timeout=60) as http:
        session_id = create_session(http, ["one", "two", "three"])
        path = server.data_dir / "sessions" / f"{USER}_{session_id}.json"
        whole = path.read_bytes()
        # An append cut short after the last acknowledged write: it overwrote the trailer
        # from its start and stopped half-way through the new line.
        torn = whole[: whole.rindex(b"\n],") + 1] + b',{"id":"half a line that never ended'
        path.write_bytes(torn + b"x" * (len(whole) - len(torn) + 10))
        appended = http.post(
            f"/sessions/{USER}/{session_id}/messages", json={"sender": "user", "text": "four"}
        )
        assert appended.status_code == 201, appended.text
        texts = [m["text"] for m in http.get(f"/sessions/{USER}/{session_id}").json()["messages"]]
        assert texts == ["one", "two", "three", "four"]
    assert "repaired the torn end" in server.log()
