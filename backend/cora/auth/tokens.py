"""Bearer tokens: JWTs issued here (mode `local`) or by an identity provider (mode `jwt`)."""

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from cora.config import Settings
from cora.domain import is_user_id
from cora.errors import NotAuthenticated
from cora.ids import new_uuid
from cora.timeutil import utc_now

SECRET_FILE = "jwt-secret"  # noqa: S105 (a file name)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a verified token names; local-mode tokens also carry their id and generation."""

    user_id: str
    username: str | None = None
    token_id: str | None = None
    generation: int = 0
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenCodec:
    verify_key: str
    algorithm: str
    signing_key: str | None = None
    issuer: str | None = None
    audience: str | None = None
    ttl: timedelta = timedelta(hours=12)

    def issue(self, principal: Principal, *, generation: int = 0) -> str:
        """A signed token with a fresh id (`jti`) and the user's token generation (`gen`)."""
        if self.signing_key is None:
            raise RuntimeError("this server verifies tokens but does not issue them")
        now = utc_now()
        claims: dict[str, object] = {
            "sub": principal.user_id,
            "iat": now,
            "exp": now + self.ttl,
            "jti": new_uuid(),
            "gen": generation,
        }
        if principal.username:
            claims["name"] = principal.username
        return jwt.encode(claims, self.signing_key, algorithm=self.algorithm)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self.verify_key,
                algorithms=[self.algorithm],
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise NotAuthenticated("The token has expired") from None
        except jwt.PyJWTError:
            raise NotAuthenticated("The token is not valid") from None
        subject = claims["sub"]
        if not isinstance(subject, str) or not is_user_id(subject):
            raise NotAuthenticated("The token's subject is not a valid user id")
        name = claims.get("name") or claims.get("preferred_username")
        token_id = claims.get("jti")
        generation = claims.get("gen", 0)
        if not isinstance(generation, int):
            raise NotAuthenticated("The token is not valid")
        expires = claims["exp"]
        return Principal(
            user_id=subject,
            username=name if isinstance(name, str) else None,
            token_id=token_id if isinstance(token_id, str) else None,
            generation=generation,
            expires_at=_expiry(expires),
        )


def build_token_codec(settings: Settings) -> TokenCodec | None:
    ttl = timedelta(minutes=settings.token_ttl_minutes)
    if settings.auth == "none":
        return None
    if settings.auth == "local":
        secret = (
            settings.jwt_secret.get_secret_value()
            if settings.jwt_secret
            else load_or_create_secret(settings.data_dir)
        )
        return TokenCodec(verify_key=secret, signing_key=secret, algorithm="HS256", ttl=ttl)
    return TokenCodec(
        verify_key=_provider_key(settings),
        algorithm=settings.jwt_algorithm,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=ttl,
    )


def _provider_key(settings: Settings) -> str:
    if settings.jwt_algorithm == "HS256":
        if settings.jwt_secret is None:
            raise ValueError("auth mode jwt with HS256 needs CORA_JWT_SECRET")
        return settings.jwt_secret.get_secret_value()
    if settings.jwt_public_key_file is not None:
        return settings.jwt_public_key_file.read_text()
    if settings.jwt_public_key:
        return settings.jwt_public_key
    raise ValueError(
        f"auth mode jwt with {settings.jwt_algorithm} needs CORA_JWT_PUBLIC_KEY"
        " or CORA_JWT_PUBLIC_KEY_FILE"
    )


def load_or_create_secret(data_dir: Path) -> str:
    """The signing secret kept in the data directory (mode 0600), made once by whoever is first."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = data_dir / f".{SECRET_FILE}-{os.getpid()}-{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_urlsafe(64).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _expiry(claim: object) -> datetime | None:
    """The `exp` claim as a time; one past what a `datetime` holds is not a valid token."""
    if not isinstance(claim, int):
        return None
    try:
        return datetime.fromtimestamp(claim, UTC)
    except (OverflowError, ValueError, OSError):
        raise NotAuthenticated("The token is not valid") from None
