"""Log out, change the password, erase the account; the lockout under concurrency; the
registration limit (contract 4), on both stores."""

import asyncio

import httpx
import pytest

from cora.config import Settings
from cora.store import Stores
from tests.api.test_auth import PASSWORD, log_in, register
from tests.conftest import app_client

NEW_PASSWORD = "a brand new passphrase"


def local(tmp_path, **options) -> Settings:
    return Settings(data_dir=tmp_path, auth="local", jwt_secret="s" * 48, **options)


@pytest.fixture
async def http(tmp_path, stores):
    async with app_client(local(tmp_path), stores) as client:
        yield client


def bearer(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_log_out_ends_that_token_only(http) -> None:
    account = await register(http, "lou")
    first = bearer(await log_in(http, "lou"))
    second = bearer(await log_in(http, "lou"))
    assert (await http.post("/auth/logout", headers=first)).status_code == 204
    assert (await http.get("/auth/me", headers=first)).status_code == 401
    listed = await http.get(f"/sessions/{account['user_id']}", headers=first)
    assert listed.status_code == 401
    assert (await http.post("/auth/logout", headers=first)).status_code == 401
    assert (await http.get("/auth/me", headers=second)).status_code == 200


async def test_a_password_change_ends_every_earlier_token(http) -> None:
    await register(http, "pat")
    tokens = [bearer(await log_in(http, "pat")) for _ in range(2)]
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert (await http.post("/auth/password", json=change, headers=tokens[0])).status_code == 204
    for headers in tokens:
        assert (await http.get("/auth/me", headers=headers)).status_code == 401
    assert (await log_in(http, "pat")).status_code == 401
    fresh = bearer(await log_in(http, "pat", NEW_PASSWORD))
    assert (await http.get("/auth/me", headers=fresh)).status_code == 200


async def test_a_wrong_current_password_is_403_and_counts_as_a_failed_log_in(http) -> None:
    await register(http, "quinn")
    headers = bearer(await log_in(http, "quinn"))
    wrong = {"current_password": "not the password", "new_password": NEW_PASSWORD}
    for _ in range(5):
        answer = await http.post("/auth/password", json=wrong, headers=headers)
        assert answer.status_code == 403
        assert answer.json()["detail"]
    assert (await log_in(http, "quinn")).status_code == 429
    assert (await http.get("/auth/me", headers=headers)).status_code == 200


async def test_the_new_password_must_follow_the_rules(http) -> None:
    await register(http, "rita")
    headers = bearer(await log_in(http, "rita"))
    short = {"current_password": PASSWORD, "new_password": "short"}
    assert (await http.post("/auth/password", json=short, headers=headers)).status_code == 422
    assert (await log_in(http, "rita")).status_code == 200


async def test_erasing_the_account_removes_it_and_its_sessions(http, stores: Stores) -> None:
    old = await register(http, "Sam")
    headers = bearer(await log_in(http, "sam"))
    for _ in range(2):
        assert (await http.post(f"/sessions/{old['user_id']}", headers=headers)).status_code == 201
    wrong = await http.request(
        "DELETE", "/auth/me", json={"password": "nope-nope"}, headers=headers
    )
    assert wrong.status_code == 403
    erased = await http.request("DELETE", "/auth/me", json={"password": PASSWORD}, headers=headers)
    assert erased.status_code == 204
    assert (await http.get("/auth/me", headers=headers)).status_code == 401
    assert (await http.get(f"/sessions/{old['user_id']}", headers=headers)).status_code == 401
    page = await stores.sessions.list_sessions(user_id=old["user_id"], limit=10)
    assert page.sessions == ()
    assert await stores.accounts.find_by_id(user_id=old["user_id"]) is None
    new = await register(http, "SAM")
    assert new["user_id"] != old["user_id"]
    new_headers = bearer(await log_in(http, "sam"))
    assert (await http.get(f"/sessions/{new['user_id']}", headers=new_headers)).json()[
        "sessions"
    ] == []
    assert (await http.get(f"/sessions/{new['user_id']}", headers=headers)).status_code == 401


async def test_of_thirty_simultaneous_log_ins_at_most_five_are_checked(http) -> None:
    await register(http, "tess")
    passwords = ["wrong password"] * 30
    passwords[27] = PASSWORD
    answers = await asyncio.gather(*(log_in(http, "tess", pw) for pw in passwords))
    statuses = [answer.status_code for answer in answers]
    checked = [status for status in statuses if status in (200, 401)]
    assert len(checked) <= 5
    assert statuses.count(429) == 30 - len(checked)
    assert all(int(a.headers["retry-after"]) > 0 for a in answers if a.status_code == 429)


async def test_registrations_per_address_are_limited(tmp_path, stores) -> None:
    async with app_client(local(tmp_path, registrations_per_hour=3), stores) as client:
        for name in ("uma", "vic", "uma"):
            answer = await client.post(
                "/auth/register", json={"username": name, "password": PASSWORD}
            )
            assert answer.status_code in (201, 409)
        refused = await client.post(
            "/auth/register", json={"username": "wes", "password": PASSWORD}
        )
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["retry-after"]) <= 3600
    assert "registrations" in refused.json()["detail"]


async def test_zero_turns_the_registration_limit_off(tmp_path, stores) -> None:
    async with app_client(local(tmp_path, registrations_per_hour=0), stores) as client:
        for number in range(21):
            answer = await client.post(
                "/auth/register", json={"username": f"user{number}", "password": PASSWORD}
            )
            assert answer.status_code == 201
