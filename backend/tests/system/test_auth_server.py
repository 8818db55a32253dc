"""Accounts on a real `cora serve`: secrets, logs, the command line, and mode `jwt`."""

import stat
import subprocess
import sys
from datetime import timedelta

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cora.timeutil import utc_now

PASSWORD = "a long passphrase 4 cora"


def test_logs_never_hold_passwords_hashes_or_tokens(server_factory) -> None:
    server = server_factory("--log-level", "debug")
    with httpx.Client(base_url=server.url) as http:
        http.post("/auth/register", json={"username": "logcheck", "password": PASSWORD})
        http.post("/auth/register", json={"username": "logcheck", "password": PASSWORD})
        http.post("/auth/token", data={"username": "logcheck", "password": PASSWORD + "x"})
        login = http.post("/auth/token", data={"username": "logcheck", "password": PASSWORD})
        token = login.json()["access_token"]
        user_id = login.json()["user_id"]
        headers = {"Authorization": f"Bearer {token}"}
        assert http.post(f"/sessions/{user_id}", headers=headers).status_code == 201
        assert http.get(f"/sessions/{user_id}", headers=headers).status_code == 200
        assert (
            http.get("/auth/me", headers={"Authorization": f"Bearer {token}x"}).status_code == 401
        )
    server.stop()
    account_file = next((server.data_dir / "accounts" / "users").glob("*.json")).read_text()
    password_hash = account_file.split('"password_hash":"')[1].split('"')[0]
    log = server.log()
    assert "POST /auth/token" in log
    for secret in (PASSWORD, password_hash, token, token.split(".")[2]):
        assert secret not in log


def test_the_generated_secret_is_private_and_survives_a_restart(server_factory, tmp_path) -> None:
    data_dir = tmp_path / "data"
    first = server_factory(data_dir=data_dir)
    with httpx.Client(base_url=first.url) as http:
        http.post("/auth/register", json={"username": "keeper", "password": PASSWORD})
        token = http.post("/auth/token", data={"username": "keeper", "password": PASSWORD}).json()[
            "access_token"
        ]
    first.stop()
    secret_file = data_dir / "jwt-secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    second = server_factory("--workers", "2", data_dir=data_dir)
    with httpx.Client(base_url=second.url) as http:
        for _ in range(6):
            me = http.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200
            assert me.json()["username"] == "keeper"


def test_cora_users_create_makes_an_account_that_can_log_in(server_factory, tmp_path) -> None:
    data_dir = tmp_path / "data"
    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "cora",
            "users",
            "create",
            "--username",
            "first-admin",
            "--password-stdin",
            "--data-dir",
            str(data_dir),
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    assert PASSWORD not in created.stdout + created.stderr
    server = server_factory(data_dir=data_dir)
    response = httpx.post(
        f"{server.url}/auth/token", data={"username": "First-Admin", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_mode_jwt_verifies_an_identity_providers_es256_tokens(server_factory, tmp_path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key_file = tmp_path / "idp.pem"
    key_file.write_bytes(public_pem)
    server = server_factory(
        "--auth",
        "jwt",
        env={
            "CORA_JWT_ALGORITHM": "ES256",
            "CORA_JWT_PUBLIC_KEY_FILE": str(key_file),
            "CORA_JWT_ISSUER": "https://idp.example",
            "CORA_JWT_AUDIENCE": "cora",
        },
    )
    now = utc_now()
    claims = {
        "sub": "employee-42",
        "iss": "https://idp.example",
        "aud": "cora",
        "exp": now + timedelta(minutes=5),
        "preferred_username": "jo",
    }
    good = jwt.encode(claims, key, algorithm="ES256")
    wrong_audience = jwt.encode({**claims, "aud": "other"}, key, algorithm="ES256")
    other_key = jwt.encode(claims, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256")
    with httpx.Client(base_url=server.url) as http:

        def as_bearer(token: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {token}"}

        assert http.post("/sessions/employee-42", headers=as_bearer(good)).status_code == 201
        assert http.get("/auth/me", headers=as_bearer(good)).json() == {
            "user_id": "employee-42",
            "username": "jo",
        }
        assert (
            http.get("/sessions/employee-42", headers=as_bearer(wrong_audience)).status_code == 401
        )
        assert http.get("/sessions/employee-42", headers=as_bearer(other_key)).status_code == 401
        assert http.get("/sessions/someone-else", headers=as_bearer(good)).status_code == 403
        assert http.post("/auth/register", json={}).status_code == 404
        assert http.post("/auth/token", data={}).status_code == 404
