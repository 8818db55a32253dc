"""Hostile requests: each gets a clear 4xx with a `detail`, and nothing stored changes."""

import hashlib
from pathlib import Path

import pytest

SID = "{sid}"
MID = "3f0c2a1e-7b6d-4c5e-9f8a-1b2c3d4e5f60"

MESSAGES = f"/sessions/alice/{SID}/messages"
SESSION = f"/sessions/alice/{SID}"


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


CASES = [
    # (name, method, path, body: bytes | None, extra headers, expected statuses)
    ("path traversal in user id", "GET", "/sessions/..%2F..%2Fetc", None, {}, {404}),
    (
        "path traversal in session id",
        "GET",
        "/sessions/alice/..%2F..%2Fetc%2Fpasswd",
        None,
        {},
        {404},
    ),
    ("dot-dot user id", "POST", "/sessions/..", None, {}, {404, 405, 422}),
    ("underscore in user id", "POST", "/sessions/a_b", None, {}, {422}),
    ("slash in user id", "POST", "/sessions/a%2Fb", None, {}, {404, 405}),
    ("NUL in user id", "POST", "/sessions/a%00b", None, {}, {422}),
    ("newline in user id", "GET", "/sessions/a%0Ab", None, {}, {422}),
    ("user id of 65 characters", "POST", "/sessions/" + "a" * 65, None, {}, {422}),
    ("session id not a UUID", "GET", "/sessions/alice/not-a-uuid", None, {}, {422}),
    ("session id in braces", "GET", "/sessions/alice/{" + MID + "}", None, {}, {422}),
    (
        "session id without hyphens",
        "GET",
        "/sessions/alice/" + MID.replace("-", ""),
        None,
        {},
        {422},
    ),
    (
        "10 MB message text",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"' + b"x" * 10_000_000 + b'"}',
        {},
        {413},
    ),
    ("17 MiB body", "POST", MESSAGES, b"[" + b"1," * (9 * 1024 * 1024) + b"1]", {}, {413}),
    ("invalid UTF-8", "POST", MESSAGES, b'{"sender":"user","text":"\xff\xfe"}', {}, {400, 422}),
    ("not JSON", "POST", MESSAGES, b"sender=user&text=hi", {}, {422}),
    ("truncated JSON", "POST", MESSAGES, b'{"sender":"user","te', {}, {422}),
    ("a list, not an object", "POST", MESSAGES, b'["user","hi"]', {}, {422}),
    ("text of the wrong type", "POST", MESSAGES, b'{"sender":"user","text":123}', {}, {422}),
    ("unknown sender", "POST", MESSAGES, b'{"sender":"admin","text":"hi"}', {}, {422}),
    ("missing text", "POST", MESSAGES, b'{"sender":"user"}', {}, {422}),
    ("missing sender", "POST", MESSAGES, b'{"text":"hi"}', {}, {422}),
    ("empty text", "POST", MESSAGES, b'{"sender":"user","text":""}', {}, {422}),
    ("NUL in text", "POST", MESSAGES, b'{"sender":"user","text":"a\\u0000b"}', {}, {422}),
    ("lone surrogate in text", "POST", MESSAGES, b'{"sender":"user","text":"\\ud800"}', {}, {422}),
    ("unknown field", "POST", MESSAGES, b'{"sender":"user","text":"hi","admin":true}', {}, {422}),
    (
        "message id not a UUID",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","id":"../x"}',
        {},
        {422},
    ),
    (
        "timestamp without zone",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","timestamp":"2026-01-01T00:00:00"}',
        {},
        {422},
    ),
    (
        "timestamp as a number",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","timestamp":0}',
        {},
        {422},
    ),
    (
        "timestamp as Unix time in a string",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","timestamp":"123"}',
        {},
        {422},
    ),
    (
        "timestamp without seconds",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","timestamp":"2026-01-01T09:30Z"}',
        {},
        {422},
    ),
    (
        "timestamp before year 1 in UTC",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","timestamp":"0001-01-01T00:00:00+01:00"}',
        {},
        {422},
    ),
    (
        "integer beyond 64 bits in metadata",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","metadata":{"n":-18935759270341752121993858361575079936}}',
        {},
        {422},
    ),
    (
        "metadata not an object",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","metadata":[1]}',
        {},
        {422},
    ),
    (
        "metadata over 16 KiB",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","metadata":{"k":"' + b"x" * 17000 + b'"}}',
        {},
        {413},
    ),
    (
        "metadata nested 40 deep",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","metadata":' + nested(40).encode() + b"}",
        {},
        {422},
    ),
    (
        "JSON nested 100,000 deep",
        "POST",
        MESSAGES,
        b'{"sender":"user","text":"hi","metadata":' + nested(100_000).encode() + b"}",
        {},
        {400, 422},
    ),
    ("negative limit", "GET", "/sessions/alice?limit=-1", None, {}, {422}),
    ("huge limit", "GET", "/sessions/alice?limit=99999999999999999999", None, {}, {422}),
    ("limit not a number", "GET", "/sessions/alice?limit=ten", None, {}, {422}),
    ("bogus cursor", "GET", "/sessions/alice?cursor=bm90LWEtY3Vyc29y", None, {}, {422}),
    ("cursor that is not base64", "GET", "/sessions/alice?cursor=%%%", None, {}, {422}),
    (
        "cursor naming no session id",
        "GET",
        "/sessions/alice?cursor=WyIyMDI2LTAxLTAxVDAwOjAwOjAwLjAwMDAwMFoiLCJub3QtYS11dWlkIl0",
        None,
        {},
        {422},
    ),
    ("overlong cursor", "GET", "/sessions/alice?cursor=" + "A" * 600, None, {}, {422}),
    (
        "duplicate ids in a PUT",
        "PUT",
        SESSION,
        b'{"messages":[{"sender":"user","text":"a","id":"' + MID.encode() + b'"},'
        b'{"sender":"user","text":"b","id":"' + MID.encode() + b'"}]}',
        {},
        {422},
    ),
    ("PUT without messages", "PUT", SESSION, b'{"title":"x"}', {}, {422}),
    ("title too long", "PATCH", SESSION, b'{"title":"' + b"t" * 201 + b'"}', {}, {422}),
    ("tags not a list", "PATCH", SESSION, b'{"tags":"auto"}', {}, {422}),
    ("stale If-Match", "PUT", SESSION, b'{"messages":[]}', {"If-Match": '"garbage"'}, {412}),
    ("stale If-Match on delete", "DELETE", SESSION, None, {"If-Match": '"nope"'}, {412}),
    ("unsupported method", "PATCH", "/sessions/alice", b"{}", {}, {405}),
]


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "index.sqlite3" not in path.name
    }


@pytest.fixture
async def existing(client) -> str:
    created = (await client.post("/sessions/alice", json={"title": "Keep me"})).json()
    sid = created["session_id"]
    response = await client.post(
        f"/sessions/alice/{sid}/messages", json={"sender": "user", "text": "stored"}
    )
    assert response.status_code == 201
    return sid


@pytest.mark.parametrize(
    ("name", "method", "path", "body", "headers", "expected"), CASES, ids=[c[0] for c in CASES]
)
async def test_hostile_request_gets_a_clear_4xx(
    client, existing, tmp_path, name, method, path, body, headers, expected
) -> None:
    before = snapshot(tmp_path)
    response = await client.request(
        method,
        path.replace(SID, existing),
        content=body,
        headers={"Content-Type": "application/json", **headers} if body is not None else headers,
    )
    assert response.status_code in expected, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]
    assert "Traceback" not in response.text
    assert snapshot(tmp_path) == before
    stored = (await client.get(f"/sessions/alice/{existing}")).json()
    assert [m["text"] for m in stored["messages"]] == ["stored"]
    assert stored["title"] == "Keep me"
