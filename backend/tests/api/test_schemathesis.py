"""Property-based tests of the whole API from its own OpenAPI schema, as an authenticated user.

Schemathesis generates requests from `/openapi.json` for every operation; every answer must be
a non-5xx that matches the schema (status code, content type, headers, body).

Examples are drawn from a fixed seed (the `ci` Hypothesis profile in `tests/conftest.py`), so
a run fails or passes on the code alone; `make fuzz` draws new ones.
"""

import hashlib

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from tests.conftest import BACKENDS, start_server
from tests.pg import fresh_schema, server_env

PASSWORD = "schemathesis password"
# Wrong passwords sent to /auth/password and DELETE /auth/me count as failed log-ins; the
# fuzzer logs in again for the operations that end its token.
SERVER_ENV = {"CORA_LOGIN_ATTEMPTS": "1000000"}
TOKEN_ENDING = {("POST", "/auth/logout"), ("POST", "/auth/password"), ("DELETE", "/auth/me")}


@pytest.fixture(scope="module", params=BACKENDS)
def live_server(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("schemathesis") / "data"
    if request.param == "json":
        server = start_server(data_dir, env=SERVER_ENV)
        yield server
        server.stop()
        return
    with fresh_schema() as schema:
        server = start_server(data_dir, env={**server_env(schema), **SERVER_ENV})
        yield server
        server.stop()


@pytest.fixture(scope="module")
def credentials(live_server) -> dict[str, str]:
    with httpx.Client(base_url=live_server.url) as http:
        http.post("/auth/register", json={"username": "fuzzer", "password": PASSWORD})
        login = http.post("/auth/token", data={"username": "fuzzer", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {login['access_token']}"}
        session = http.post(f"/sessions/{login['user_id']}", headers=headers).json()
    return {
        **headers,
        "user_id": login["user_id"],
        "session_id": session["session_id"],
        "url": live_server.url,
    }


def fresh_token(credentials: dict[str, str]) -> str:
    form = {"username": "fuzzer", "password": PASSWORD}
    login = httpx.post(f"{credentials['url']}/auth/token", data=form)
    assert login.status_code == 200, login.text
    return f"Bearer {login.json()['access_token']}"


def heads(value: object) -> bool:
    """A coin toss decided by the value itself, so that a fixed seed gives a fixed run."""
    return hashlib.sha256(str(value).encode()).digest()[0] % 2 == 0


@pytest.fixture(scope="module")
def api_schema(live_server):
    # The live-update streams (3.8) never end, so a fuzzer waits on each one until it gives
    # up; `tests/api/test_events.py` checks them against a real server instead.
    return schemathesis.openapi.from_url(f"{live_server.url}/openapi.json").exclude(tag="events")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_matches_its_schema(case, credentials) -> None:
    path = case.path_parameters or {}
    # A path made invalid on purpose stays invalid: rewriting it would make a request that
    # violates the schema look accepted.
    if not case.meta.is_negative_at(ParameterLocation.PATH):
        if "user_id" in path:
            path["user_id"] = credentials["user_id"]
        if "session_id" in path and heads(path["session_id"]):
            path["session_id"] = credentials["session_id"]
    if case.method.upper() == "GET" and case.formatted_path.endswith("/events"):
        return  # an endless live-update stream (3.8), whatever operation led here
    authorization = credentials["Authorization"]
    if (case.method.upper(), case.operation.path) in TOKEN_ENDING:
        authorization = fresh_token(credentials)
    # Cora ignores query parameters it does not know, as most HTTP APIs do.
    documented = {parameter.name for parameter in case.operation.query}
    if case.query:
        case.query = {name: value for name, value in case.query.items() if name in documented}
    case.call_and_validate(
        headers={"Authorization": authorization},
        # Valid requests are rightly refused for reasons of state the schema cannot show:
        # an unknown session (404), a taken name (409), a stale ETag (412), a cursor not issued.
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
