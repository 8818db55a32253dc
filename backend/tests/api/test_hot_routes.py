"""The hot routes (`cora/api/hot_routes.py`) answer exactly as the FastAPI routes they stand for.

Each request goes to two apps on the same stores, one with `hot_routes` on and one with it off.
Appends go to two sessions with the same messages, one per app; answers are compared whole, but
for the ids and times the server makes.
"""

import asyncio
import dataclasses
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY
from psycopg import sql
from starlette.datastructures import State
from starlette.types import ASGIApp, Message

from cora.api.security import current_principal
from cora.app import create_app
from cora.auth.tokens import Principal
from cora.config import Settings
from cora.events import LiveEvent
from cora.store import Stores
from tests.conftest import app_client
from tests.pg import admin_execute

MADE_BY_THE_SERVER = ("id", "timestamp")


@pytest.fixture
async def both(
    settings: Settings, stores: Stores
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    slow = settings.model_copy(update={"hot_routes": False})
    async with app_client(settings, stores) as hot, app_client(slow, stores) as fastapi:
        yield hot, fastapi


def comparable(response: httpx.Response) -> tuple[int, object, str | None, str | None]:
    body = response.json() if response.content else None
    if isinstance(body, dict) and "sender" in body:
        body = {k: v for k, v in body.items() if k not in MADE_BY_THE_SERVER}
    headers = response.headers
    return response.status_code, body, headers.get("content-type"), headers.get("etag")


async def new_session(client: httpx.AsyncClient, user: str = "alice") -> str:
    response = await client.post(f"/sessions/{user}", json={"title": "Claims"})
    session_id: str = response.json()["session_id"]
    await client.post(
        f"/sessions/{user}/{session_id}/messages",
        json={"id": KNOWN_ID, "sender": "user", "text": "first"},
    )
    return session_id


KNOWN_ID = str(uuid.uuid4())
NAN = b'{"sender": "user", "text": "hi", "metadata": {"x": NaN}}'
APPENDS: list[tuple[str, dict[str, object]]] = [
    ("a plain message", {"json": {"sender": "user", "text": "My claim"}}),
    ("a retry of a stored id", {"json": {"id": KNOWN_ID, "sender": "user", "text": "first"}}),
    ("a stored id with other text", {"json": {"id": KNOWN_ID, "sender": "user", "text": "x"}}),
    ("an id in capitals", {"json": {"id": KNOWN_ID.upper(), "sender": "user", "text": "first"}}),
    (
        "a client's timestamp",
        {"json": {"sender": "user", "text": "t", "timestamp": "2026-01-02T03:04:05+01:00"}},
    ),
    (
        "a naive timestamp",
        {"json": {"sender": "user", "text": "t", "timestamp": "2026-01-02T03:04:05"}},
    ),
    ("no text", {"json": {"sender": "user"}}),
    ("empty text", {"json": {"sender": "user", "text": ""}}),
    ("an unknown sender", {"json": {"sender": "robot", "text": "hi"}}),
    ("an unknown field", {"json": {"sender": "user", "text": "hi", "colour": "red"}}),
    ("a list", {"json": [{"sender": "user", "text": "hi"}]}),
    ("NaN in metadata", {"content": NAN, "headers": {"content-type": "application/json"}}),
    ("not JSON", {"content": b"{", "headers": {"content-type": "application/json"}}),
    ("no body", {"headers": {"content-type": "application/json"}}),
    (
        "text/plain",
        {"content": b'{"sender": "user", "text": "hi"}', "headers": {"content-type": "text/plain"}},
    ),
    ("over the text limit", {"json": {"sender": "user", "text": "x" * 100_001}}),
    (
        "over the metadata limit",
        {"json": {"sender": "user", "text": "x", "metadata": {"k": "v" * 17_000}}},
    ),
]


@pytest.mark.parametrize("request_args", [args for _, args in APPENDS], ids=[n for n, _ in APPENDS])
async def test_an_append_is_answered_as_fastapi_answers_it(both, request_args) -> None:
    hot, fastapi = both
    answers = []
    for client in (hot, fastapi):
        session_id = await new_session(client)
        response = await client.post(f"/sessions/alice/{session_id}/messages", **request_args)
        stored = (await client.get(f"/sessions/alice/{session_id}")).json()["messages"]
        answers.append((comparable(response), [m["text"] for m in stored]))
    assert answers[0] == answers[1]


@pytest.mark.parametrize(
    "path",
    [
        "/sessions/alice/{unknown}/messages",
        "/sessions/alice/not-a-uuid/messages",
        "/sessions/al%20ice/{unknown}/messages",
        "/sessions/" + "a" * 65 + "/{unknown}/messages",
    ],
)
async def test_an_append_to_no_session_is_answered_as_fastapi_answers_it(both, path) -> None:
    url = path.format(unknown=uuid.uuid4())
    hot, fastapi = both
    answers = [
        comparable(await client.post(url, json={"sender": "user", "text": "hi"}))
        for client in (hot, fastapi)
    ]
    assert answers[0] == answers[1]
    assert answers[0][0] in (404, 422)


LISTS = [
    "",
    "?limit=1",
    "?limit=200",
    "?limit=201",
    "?limit=0",
    "?limit=007",
    "?limit=two",
    "?cursor=bm90IGEgY3Vyc29y",
    "?cursor=" + "A" * 513,
    "?archived=true",
    "?pinned=false",
    "?q=claim",
    "?limit=2&unknown=1",
    "?limit=1&cursor={cursor}",
    "?limit=1cursor={cursor}",  # one parameter, `limit`, that is not a number
]


@pytest.mark.parametrize("query", LISTS)
async def test_a_list_is_answered_as_fastapi_answers_it(both, query) -> None:
    hot, _ = both
    for _ in range(3):
        await new_session(hot)
    for flag in ("archived", "pinned"):
        await hot.patch(f"/sessions/alice/{await new_session(hot)}", json={flag: True})
    cursor = (await hot.get("/sessions/alice?limit=1")).json()["next_cursor"]
    url = f"/sessions/alice{query.format(cursor=cursor)}"
    answers = [comparable(await client.get(url)) for client in both]
    assert answers[0] == answers[1]


async def test_a_list_page_by_page_is_the_same_on_both_paths(both) -> None:
    hot, _ = both
    for _ in range(5):
        await new_session(hot)
    pages = []
    for client in both:
        seen, cursor = [], ""
        while True:
            page = (await client.get(f"/sessions/alice?limit=2{cursor}")).json()
            seen.append([s["session_id"] for s in page["sessions"]])
            if page["next_cursor"] is None:
                break
            cursor = f"&cursor={page['next_cursor']}"
        pages.append(seen)
    assert pages[0] == pages[1] and len(pages[0]) == 3


async def session_with_messages(client: httpx.AsyncClient) -> tuple[str, list[str]]:
    session_id = await new_session(client)
    for text in ("second", "third", "fourth"):
        await client.post(
            f"/sessions/alice/{session_id}/messages", json={"sender": "user", "text": text}
        )
    got = (await client.get(f"/sessions/alice/{session_id}")).json()
    return session_id, [m["id"] for m in got["messages"]]


MESSAGE_PAGES = [
    "",
    "?limit=1",
    "?limit=500",
    "?limit=501",
    "?limit=0",
    "?before={third}",
    "?before={THIRD}",
    "?limit=1&before={third}",
    "?before={first}",
    "?before={unknown}",
    "?before=not-a-uuid",
    "?before={third}&limit=1",
    "?limit=1before={third}",  # one parameter, `limit`, that is not a number
]


@pytest.mark.parametrize("query", MESSAGE_PAGES)
async def test_a_page_of_messages_is_answered_as_fastapi_answers_it(both, query) -> None:
    hot, _ = both
    session_id, ids = await session_with_messages(hot)
    url = f"/sessions/alice/{session_id}/messages" + query.format(
        first=ids[0], third=ids[2], THIRD=ids[2].upper(), unknown=uuid.uuid4()
    )
    answers = [comparable(await client.get(url)) for client in both]
    assert answers[0] == answers[1]


SESSION_GETS = [
    ("plainly", {}, ""),
    ("with its ETag", {"if-none-match": "{etag}"}, ""),
    ("with its ETag among others", {"if-none-match": '"x", {etag}'}, ""),
    ("with another ETag", {"if-none-match": '"x"'}, ""),
    ("with a query", {}, "?x=1"),
    ("in capitals", {}, "CAPITALS"),
    ("unknown", {}, "UNKNOWN"),
]


@pytest.mark.parametrize(
    ("headers", "suffix"), [c[1:] for c in SESSION_GETS], ids=[c[0] for c in SESSION_GETS]
)
async def test_a_session_is_answered_as_fastapi_answers_it(both, headers, suffix) -> None:
    hot, _ = both
    session_id, _ = await session_with_messages(hot)
    etag = (await hot.get(f"/sessions/alice/{session_id}")).headers["etag"]
    path = {"CAPITALS": session_id.upper(), "UNKNOWN": str(uuid.uuid4())}.get(suffix)
    url = f"/sessions/alice/{path}" if path else f"/sessions/alice/{session_id}{suffix}"
    sent = {name: value.format(etag=etag) for name, value in headers.items()}
    answers = [comparable(await client.get(url, headers=sent)) for client in both]
    assert answers[0] == answers[1]


def counted(metrics: str, method: str, route: str, status: int) -> float:
    prefix = f'cora_http_requests_total{{method="{method}",route="{route}",status="{status}"}} '
    lines = [line for line in metrics.splitlines() if line.startswith(prefix)]
    return float(lines[0].removeprefix(prefix)) if lines else 0.0


async def test_the_hot_routes_are_counted_under_their_route(both) -> None:
    hot, _ = both
    session_id = await new_session(hot)
    append_route, list_route = "/sessions/{user_id}/{session_id}/messages", "/sessions/{user_id}"
    before = (await hot.get("/metrics")).text
    await hot.post(f"/sessions/alice/{session_id}/messages", json={"sender": "user", "text": "a"})
    await hot.get("/sessions/alice")
    await hot.get(f"/sessions/alice/{session_id}")
    await hot.get(f"/sessions/alice/{session_id}/messages")
    after = (await hot.get("/metrics")).text
    for method, route, status in (
        ("POST", append_route, 201),
        ("GET", list_route, 200),
        ("GET", "/sessions/{user_id}/{session_id}", 200),
        ("GET", append_route, 200),
    ):
        assert counted(after, method, route, status) == counted(before, method, route, status) + 1


@pytest.fixture
def local_settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, auth="local", jwt_secret="test-secret-" + "x" * 40)


async def test_access_is_decided_as_fastapi_decides_it(local_settings, stores) -> None:
    slow = local_settings.model_copy(update={"hot_routes": False})
    async with app_client(local_settings, stores) as hot, app_client(slow, stores) as fastapi:
        both = (hot, fastapi)
        headers = {}
        for name in ("alice", "bob"):
            await hot.post("/auth/register", json={"username": name, "password": "p" * 12})
            token = await hot.post("/auth/token", data={"username": name, "password": "p" * 12})
            headers[name] = {"Authorization": f"Bearer {token.json()['access_token']}"}
        me = (await hot.get("/auth/me", headers=headers["alice"])).json()["user_id"]
        session_id = (await hot.post(f"/sessions/{me}", headers=headers["alice"])).json()[
            "session_id"
        ]
        callers = {
            "the owner": headers["alice"],
            "another user": headers["bob"],
            "no token": {},
            "a forged token": {"Authorization": "Bearer not.a.token"},
            "another scheme": {"Authorization": "Basic YWxpY2U6cA=="},
        }
        for caller, auth in callers.items():
            listed = [await client.get(f"/sessions/{me}", headers=auth) for client in both]
            assert [(comparable(r), r.headers.get("www-authenticate")) for r in listed] == [
                (comparable(listed[1]), listed[1].headers.get("www-authenticate"))
            ] * 2, caller
            appended = [
                await client.post(
                    f"/sessions/{me}/{session_id}/messages",
                    json={"sender": "user", "text": caller},
                    headers=auth,
                )
                for client in both
            ]
            assert comparable(appended[0]) == comparable(appended[1]), caller


def break_account_storage(backend: str, data_dir: Path, request: pytest.FixtureRequest) -> None:
    """Make reading alice's account fail for real: the token check meets `StorageUnavailable`."""
    if backend == "postgres":
        schema = request.getfixturevalue("pg_schema")
        # A column, not the table: a `users` table that the search path also reaches (public)
        # would answer in its place.
        admin_execute(
            sql.SQL("ALTER TABLE {}.users RENAME COLUMN password_hash TO gone").format(
                sql.Identifier(schema)
            )
        )
    else:
        account = data_dir / "accounts" / "users" / "alice.json"
        account.unlink()
        account.mkdir()


async def test_storage_failing_in_the_token_check_is_answered_as_fastapi_answers_it(
    local_settings, stores, backend, tmp_path, request
) -> None:
    async with app_client(local_settings, stores) as setup:
        await setup.post("/auth/register", json={"username": "alice", "password": "p" * 12})
        token = await setup.post("/auth/token", data={"username": "alice", "password": "p" * 12})
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        me = (await setup.get("/auth/me", headers=auth)).json()["user_id"]
        session_id = (await setup.post(f"/sessions/{me}", headers=auth)).json()["session_id"]
    break_account_storage(backend, tmp_path, request)
    slow = local_settings.model_copy(update={"hot_routes": False})
    # New apps: no token check cached from before the fault.
    async with app_client(local_settings, stores) as hot, app_client(slow, stores) as fastapi:
        for method, url, body in (
            ("GET", f"/sessions/{me}", None),
            ("GET", f"/sessions/{me}/{session_id}", None),
            ("GET", f"/sessions/{me}/{session_id}/messages", None),
            ("POST", f"/sessions/{me}/{session_id}/messages", {"sender": "user", "text": "x"}),
        ):
            answers = [
                await client.request(method, url, json=body, headers=auth)
                for client in (hot, fastapi)
            ]
            assert [(comparable(a), a.headers.get("retry-after")) for a in answers] == [
                ((503, {"detail": answers[1].json()["detail"]}, "application/json", None), "5")
            ] * 2, url


async def test_a_body_over_the_limit_is_answered_and_counted_as_fastapi_does_it(
    settings, stores
) -> None:
    limited = settings.model_copy(update={"max_request_bytes": 1000})
    slow = limited.model_copy(update={"hot_routes": False})
    route = "/sessions/{user_id}/{session_id}/messages"

    async def chunks() -> AsyncIterator[bytes]:  # no length announced: refused while read
        for _ in range(4):
            yield b"x" * 400

    async with app_client(limited, stores) as hot, app_client(slow, stores) as fastapi:
        answers = []
        for client in (hot, fastapi):
            session_id = await new_session(client)
            before = counted((await client.get("/metrics")).text, "POST", route, 413)
            answer = await client.post(
                f"/sessions/alice/{session_id}/messages",
                content=chunks(),
                headers={"content-type": "application/json"},
            )
            after = counted((await client.get("/metrics")).text, "POST", route, 413)
            stored = (await client.get(f"/sessions/alice/{session_id}")).json()["messages"]
            answers.append(
                (comparable(answer), answer.headers.get("connection"), after - before, len(stored))
            )
    assert answers[0] == answers[1]
    assert answers[0][0][0] == 413 and answers[0][2:] == (1, 1)


async def test_a_client_leaving_mid_body_is_counted_as_fastapi_counts_it(settings, stores) -> None:
    """Half a body, then `http.disconnect`: what is sent (to nobody) and counted is FastAPI's."""
    route = "/sessions/{user_id}/{session_id}/messages"
    outcomes = []
    for hot_routes in (True, False):
        app = create_app(settings.model_copy(update={"hot_routes": hot_routes}))
        app.state.stores = stores
        async with app_client(settings, stores) as client:
            session_id = await new_session(client)
        before = {s: request_count("POST", route, s) for s in (400, 500)}
        statuses = await leave_mid_body(app, f"/sessions/alice/{session_id}/messages")
        counts = {s: request_count("POST", route, s) - before[s] for s in (400, 500)}
        outcomes.append((statuses, counts))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1][500] == 0


async def leave_mid_body(app: ASGIApp, path: str) -> list[int]:
    """POST half a JSON body to `path`, then leave; the statuses the app started answers with."""
    arriving: list[Message] = [
        {"type": "http.request", "body": b'{"sender": "us', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return arriving.pop(0) if arriving else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"cora.test"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("cora.test", 80),
    }
    await app(scope, receive, send)
    return [m["status"] for m in sent if m["type"] == "http.response.start"]


def request_count(method: str, route: str, status: int) -> float:
    labels = {"method": method, "route": route, "status": str(status)}
    return REGISTRY.get_sample_value("cora_http_requests_total", labels) or 0.0


SERVER_MADE = {"id", "timestamp", "session_id", "created_at", "updated_at", "etag"}


async def test_an_append_publishes_what_fastapi_publishes(both, stores) -> None:
    """The session's event stream sees a hot append as it sees FastAPI's: the same events."""
    published = []
    for client in both:
        session_id = await new_session(client)
        events = stores.events.subscribe(user_id="alice", session_id=session_id, last_event_id=None)
        try:
            await client.post(
                f"/sessions/alice/{session_id}/messages", json={"sender": "user", "text": "seen"}
            )
            got = await events_of_the_second_message(events)
        finally:
            await events.aclose()
        published.append(
            [(e.kind, e.user_id, e.session_id == session_id, json.loads(e.data)) for e in got]
        )
    for events in published:
        for *_, data in events:
            for key in SERVER_MADE & data.keys():
                data[key] = "made by the server"
    assert published[0] == published[1]


async def events_of_the_second_message(events: AsyncIterator[LiveEvent]) -> list[LiveEvent]:
    """Its `message` and `session` events. Those of the session's making may still be on their
    way (PostgreSQL's bus delivers what was published before a subscription): they are told
    apart by what they say. Both must come; the wait only bounds a failure."""
    found: dict[str, LiveEvent] = {}
    while len(found) < 2:
        event = await asyncio.wait_for(anext(events), 30)
        data = json.loads(event.data)
        if data.get("text") == "seen" or data.get("message_count") == 2:
            found[event.kind] = event
    return [found["message"], found["session"]]


async def test_a_replaced_dependency_is_used_as_fastapi_uses_it(settings, stores) -> None:
    """With `app.dependency_overrides` set, FastAPI answers: only its routes call them."""

    async def bob() -> Principal:
        return Principal(user_id="bob")

    answers = []
    for hot_routes in (True, False):
        app = create_app(settings.model_copy(update={"hot_routes": hot_routes}))
        app.state.stores = stores
        app.dependency_overrides[current_principal] = bob
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cora.test") as client:
            answers.append(comparable(await client.get("/sessions/alice")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 403


async def test_the_four_routes_are_answered_by_the_hot_path_only_when_it_is_on(
    settings, stores, monkeypatch
) -> None:
    """Every comparison above would pass if the hot path never ran: count its service calls."""
    from cora.api import hot_routes

    calls = []

    def counted_service(self: hot_routes.HotRoutes) -> object:
        calls.append(1)
        return service(self)

    service = hot_routes.HotRoutes.service
    monkeypatch.setattr(hot_routes.HotRoutes, "service", counted_service)
    for on, expected in ((True, 4), (False, 0)):
        calls.clear()
        async with app_client(settings.model_copy(update={"hot_routes": on}), stores) as client:
            session_id = (await client.post("/sessions/alice")).json()["session_id"]
            url = f"/sessions/alice/{session_id}"
            await client.post(f"{url}/messages", json={"sender": "user", "text": "hi"})
            await client.get("/sessions/alice")
            await client.get(url)
            await client.get(f"{url}/messages")
        assert len(calls) == expected


def test_the_hot_routes_build_their_service_once_per_stores_and_settings(settings, stores) -> None:
    """Built once (it costs more than a plain request's own Python), again once the app's
    stores or settings are replaced, as tests replace them."""
    from cora.api.hot_routes import HotRoutes

    state = State()
    state.settings, state.stores = settings, stores
    hot = HotRoutes(create_app(settings), state, routes=[], overrides={})
    first = hot.service()
    assert hot.service() is first
    state.stores = dataclasses.replace(stores)
    second = hot.service()
    assert second is not first and hot.service() is second
    state.settings = settings.model_copy()
    assert hot.service() is not second


async def test_an_unexpected_error_is_answered_and_logged_as_fastapi_does_it(
    settings, stores, monkeypatch, caplog
) -> None:
    """The hot routes sit outside FastAPI's error layers (`app.py`): a bug in what they call is
    still a logged 500 with a `detail`, with the same headers."""

    async def broken(**_: object) -> object:
        raise RuntimeError("a bug in the store")

    session_id = (await make_session(settings, stores)).json()["session_id"]
    monkeypatch.setattr(stores.sessions, "append_message", broken)
    answers = []
    for hot_routes in (True, False):
        app = create_app(settings.model_copy(update={"hot_routes": hot_routes}))
        app.state.stores = stores
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://cora.test") as client:
            caplog.clear()
            answer = await client.post(
                f"/sessions/alice/{session_id}/messages", json={"sender": "user", "text": "hi"}
            )
        logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
        answers.append(
            (comparable(answer), answer.headers.get("x-content-type-options"), len(logged))
        )
    assert answers[0] == answers[1]
    assert answers[0] == (
        (500, {"detail": "Internal server error"}, "application/json", None),
        "nosniff",
        1,
    )


async def make_session(settings, stores) -> httpx.Response:
    async with app_client(settings, stores) as client:
        return await client.post("/sessions/alice")
