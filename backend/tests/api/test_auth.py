"""Accounts and access control (contract section 4)."""

import asyncio
import base64
import uuid
from datetime import timedelta

import httpx
import jwt
import orjson
import pytest

from cora.config import Settings
from cora.timeutil import utc_now
from tests.conftest import app_client

PASSWORD = "correct horse battery"


@pytest.fixture
def local_settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, auth="local", jwt_secret="test-secret-" + "x" * 40)


@pytest.fixture
async def auth_client(local_settings, stores):
    async with app_client(local_settings, stores) as http:
        yield http


async def register(client: httpx.AsyncClient, username: str) -> dict:
    response = await client.post(
        "/auth/register", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD):
    return await client.post("/auth/token", data={"username": username, "password": password})


async def user_with_token(client: httpx.AsyncClient, username: str) -> tuple[str, dict]:
    account = await register(client, username)
    token = (await log_in(client, username)).json()["access_token"]
    return account["user_id"], {"Authorization": f"Bearer {token}"}


async def test_register_log_in_and_me(auth_client) -> None:
    account = await register(auth_client, "Alice.Smith")
    assert uuid.UUID(account["user_id"])
    assert account["username"] == "Alice.Smith"
    response = await log_in(auth_client, "alice.smith")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["user_id"] == account["user_id"]
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["sub"] == account["user_id"]
    assert timedelta(hours=11, minutes=59) < timedelta(seconds=claims["exp"] - claims["iat"])
    me = await auth_client.get(
        "/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json() == account


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("ab", PASSWORD),
        ("a" * 65, PASSWORD),
        ("bad name", PASSWORD),
        ("ok_name", "pw5sh"),
        ("ok_name", "p" * 1025),
        ("名前です", PASSWORD),
    ],
)
async def test_register_rejects_names_and_passwords_outside_the_rules(
    auth_client, username, password
) -> None:
    response = await auth_client.post(
        "/auth/register", json={"username": username, "password": password}
    )
    assert response.status_code == 422
    assert password not in response.text


async def test_a_name_taken_in_another_case_is_409(auth_client) -> None:
    await register(auth_client, "carol")
    response = await auth_client.post(
        "/auth/register", json={"username": "CAROL", "password": PASSWORD}
    )
    assert response.status_code == 409


async def test_bad_credentials_are_401(auth_client) -> None:
    await register(auth_client, "dave")
    assert (await log_in(auth_client, "dave", "wrong password")).status_code == 401
    assert (await log_in(auth_client, "nobody-here")).status_code == 401
    assert (await log_in(auth_client, "../../etc/passwd\x00")).status_code == 401


async def test_twenty_concurrent_registrations_of_one_name_make_one_account(auth_client) -> None:
    responses = await asyncio.gather(
        *(
            auth_client.post(
                "/auth/register",
                json={"username": f"{'Eve' if i % 2 else 'eve'}", "password": PASSWORD},
            )
            for i in range(20)
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19


async def test_five_failures_lock_the_username_for_the_window(auth_client) -> None:
    await register(auth_client, "frank")
    for _ in range(5):
        assert (await log_in(auth_client, "frank", "wrong password")).status_code == 401
    blocked = await log_in(auth_client, "FRANK")
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60
    assert blocked.json()["detail"]
    for _ in range(5):
        await log_in(auth_client, "ghost-user", "wrong password")
    assert (await log_in(auth_client, "ghost-user")).status_code == 429
    await register(auth_client, "grace")
    assert (await log_in(auth_client, "grace")).status_code == 200


def forged(claims: dict, key: str = "another-key-" + "y" * 40) -> str:
    return jwt.encode(claims, key, algorithm="HS256")


def unsigned(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(data)).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


SESSION_ROUTES = [
    ("POST", "/sessions/{uid}", None),
    ("GET", "/sessions/{uid}", None),
    ("GET", "/sessions/{uid}/{sid}", None),
    ("PUT", "/sessions/{uid}/{sid}", {"messages": []}),
    ("PATCH", "/sessions/{uid}/{sid}", {"title": "x"}),
    ("POST", "/sessions/{uid}/{sid}/messages", {"sender": "user", "text": "hi"}),
    ("DELETE", "/sessions/{uid}/{sid}", None),
    ("GET", "/sessions/{uid}/{sid}/export", None),
    ("GET", "/sessions/{uid}/export", None),
    ("POST", "/sessions/{uid}/import", []),
]


@pytest.mark.parametrize(("method", "path", "body"), SESSION_ROUTES)
async def test_every_session_route_checks_the_token(
    auth_client, local_settings, method, path, body
) -> None:
    owner, owner_headers = await user_with_token(auth_client, "owner")
    _, intruder_headers = await user_with_token(auth_client, "intruder")
    created = await auth_client.post(f"/sessions/{owner}", headers=owner_headers)
    url = path.format(uid=owner, sid=created.json()["session_id"])
    now = utc_now()
    secret = local_settings.jwt_secret.get_secret_value()
    live = {"sub": owner, "iat": now, "exp": now + timedelta(hours=1)}
    bad_headers = {
        "no token": {},
        "expired": {
            "Authorization": f"Bearer {forged({**live, 'exp': now - timedelta(seconds=5)}, secret)}"
        },
        "another key": {"Authorization": f"Bearer {forged(live)}"},
        "alg none": {"Authorization": f"Bearer {unsigned({'sub': owner, 'exp': 4102444800})}"},
        "malformed": {"Authorization": "Bearer not.a.jwt"},
        "not bearer": {"Authorization": f"Basic {base64.b64encode(b'owner:pw').decode()}"},
    }
    for name, headers in bad_headers.items():
        response = await auth_client.request(method, url, json=body, headers=headers)
        assert response.status_code == 401, name
        assert response.json()["detail"]
        assert response.headers["www-authenticate"] == "Bearer"
    response = await auth_client.request(method, url, json=body, headers=intruder_headers)
    assert response.status_code == 403
    response = await auth_client.request(method, url, json=body, headers=owner_headers)
    assert response.status_code in (200, 201, 204)


async def test_nothing_tells_an_intruder_whether_a_session_exists(auth_client) -> None:
    owner, owner_headers = await user_with_token(auth_client, "owner2")
    _, intruder_headers = await user_with_token(auth_client, "intruder2")
    created = (await auth_client.post(f"/sessions/{owner}", headers=owner_headers)).json()
    real = await auth_client.get(
        f"/sessions/{owner}/{created['session_id']}", headers=intruder_headers
    )
    fake = await auth_client.get(f"/sessions/{owner}/{uuid.uuid4()}", headers=intruder_headers)
    assert (real.status_code, real.json()) == (fake.status_code, fake.json())


async def test_mode_none_has_no_auth_routes(client) -> None:
    assert (await client.post("/auth/register", json={})).status_code == 404
    assert (await client.post("/auth/token", data={})).status_code == 404
    assert (await client.get("/auth/me")).status_code == 404


async def test_security_headers_and_no_cors_by_default(auth_client) -> None:
    response = await auth_client.get("/healthz", headers={"Origin": "http://evil.example"})
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "access-control-allow-origin" not in response.headers


async def test_listed_cors_origins_are_allowed(tmp_path, stores) -> None:
    settings = Settings(data_dir=tmp_path, auth="none", cors_origins="https://app.example")
    async with app_client(settings, stores) as http:
        allowed = await http.options(
            "/sessions/alice",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        )
        other = await http.get("/healthz", headers={"Origin": "https://evil.example"})
        # A hot route (`api/hot_routes.py`), answered before FastAPI's own stack, too.
        listed = await http.get("/sessions/alice", headers={"Origin": "https://app.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == "https://app.example"
    assert listed.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in other.headers
