"""All configuration, read once from `CORA_*` environment variables and command-line flags."""

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    Field,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

AuthMode = Literal["local", "jwt", "none"]
StorageKind = Literal["json", "postgres"]

MIB = 1024 * 1024
PACKAGED_WEB_DIR = Path(__file__).parent / "web"
SCHEMA_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CORA_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # One worker per core: each worker is one event loop, bound by per-request Python.
    workers: PositiveInt = Field(default_factory=lambda: os.cpu_count() or 1)
    data_dir: Path = Path("./data")
    web_dir: Path = PACKAGED_WEB_DIR
    auth: AuthMode = "local"
    storage: StorageKind = "json"
    database_url: str | None = None
    database_schema: Annotated[str | None, Field(pattern=SCHEMA_PATTERN)] = None
    db_pool_min: PositiveInt = 1
    db_pool_max: PositiveInt = 10
    db_timeout_seconds: float = Field(default=4.0, gt=0, le=300)
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    header_timeout_seconds: float = Field(default=10.0, gt=0, le=3600)
    keep_alive_seconds: PositiveInt = 5
    max_connections: NonNegativeInt = 1000
    # Append and list answered before FastAPI's routing (`cora/api/hot_routes.py`); off, every
    # request goes through FastAPI: the same answers, more CPU per request.
    hot_routes: bool = True
    # FastAPI's own OpenTelemetry spans, metrics and logs, for a process run under an OpenTelemetry
    # SDK (`opentelemetry-instrument cora serve`). Off, FastAPI skips its per-request check of the
    # global providers; Cora's own metrics are at `/metrics` either way.
    opentelemetry: bool = False

    max_request_bytes: PositiveInt = 16 * MIB
    max_import_bytes: PositiveInt = 256 * MIB
    max_message_chars: PositiveInt = 100_000
    max_metadata_bytes: PositiveInt = 16 * 1024
    # Per-user storage quotas (off when unset): 507 once a write would pass one.
    max_sessions_per_user: PositiveInt | None = None
    max_bytes_per_user: PositiveInt | None = None
    session_ttl_days: PositiveInt | None = None
    # Live updates (3.8): a comment line at least this often on every event stream.
    sse_keepalive_seconds: float = Field(default=15.0, gt=0, le=15)

    assistant: Literal["faq", "openai"] = "faq"
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_api_key: SecretStr | None = None
    openai_timeout_seconds: PositiveFloat = 60.0
    assistant_history_chars: PositiveInt = 24_000
    assistant_context_messages: PositiveInt = 50

    # Replies being written (3.5, 3.9): how often a reply is flushed (and its lease renewed),
    # after how long without renewal it counts as interrupted, and how often that is checked.
    reply_flush_seconds: float = Field(default=0.5, gt=0, le=1)
    reply_lease_seconds: float = Field(default=15.0, gt=0, le=20)
    reply_sweep_seconds: float = Field(default=5.0, gt=0, le=5)

    jwt_secret: SecretStr | None = None
    token_ttl_minutes: PositiveInt = 12 * 60
    jwt_algorithm: Literal["HS256", "RS256", "ES256"] = "HS256"
    jwt_public_key: str | None = None
    jwt_public_key_file: Path | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    login_attempts: PositiveInt = 5
    login_window_minutes: PositiveInt = 15
    registrations_per_hour: NonNegativeInt = 20
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _database_settings(self) -> "Settings":
        if self.storage == "postgres" and not self.database_url:
            raise ValueError("storage 'postgres' needs a database URL (CORA_DATABASE_URL)")
        if self.db_pool_min > self.db_pool_max:
            raise ValueError("db_pool_min must not exceed db_pool_max")
        return self

    @cached_property
    def sessions_dir(self) -> Path:
        return self.data_dir / "sessions"

    def public_summary(self) -> dict[str, object]:
        """What the server logs at start: everything but secrets."""
        summary = self.model_dump(mode="json", exclude={"jwt_secret", "openai_api_key"})
        summary["jwt_secret"] = "set" if self.jwt_secret else "generated in the data directory"
        if self.database_url:
            summary["database_url"] = _redact_password(self.database_url)
        return summary


def _redact_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"
