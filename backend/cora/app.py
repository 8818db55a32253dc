"""The FastAPI application: built from settings, its store opened in the lifespan."""

import asyncio
import json
import logging
import secrets
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.telemetry import TelemetryConfig
from fastapi_offline import FastAPIOffline
from starlette.middleware import Middleware
from starlette.types import ASGIApp

from cora import __version__
from cora.api.errors import install_error_handlers
from cora.api.hot_routes import HotRoutes
from cora.api.middleware import CoraMiddleware
from cora.api.openapi import COMMON_ERRORS, error_responses, install_openapi, operation_id
from cora.api.routes import auth, chat, events, health, metrics, sessions, transfer
from cora.api.security import require_owner
from cora.api.web import WebAppRoute
from cora.assistant.factory import create_assistant
from cora.auth.revocation import TokenGate
from cora.auth.tokens import build_token_codec
from cora.config import Settings
from cora.heap import freeze_long_lived
from cora.replies.sweeper import sweep, sweep_periodically
from cora.services.accounts import AccountStorage, finish_erasures
from cora.services.expiry import clean_up_periodically
from cora.services.reply_writer import Generations
from cora.store import create_stores

logger = logging.getLogger("cora")

REPLY_DRAIN_SECONDS = 10


def _around_fastapi_stack(app: FastAPI, outer: Sequence[Middleware]) -> None:
    """Put `outer` (outermost first) around FastAPI's whole middleware stack. `add_middleware`
    puts middleware inside FastAPI's error layers (`ServerErrorMiddleware`, exception
    telemetry), which cost more on a hot route (`api/hot_routes.py`) than its own checks; the
    hot routes answer their own errors, and every other request still goes through them."""
    build_fastapi_stack = app.build_middleware_stack

    def build() -> ASGIApp:
        stack = build_fastapi_stack()
        for cls, args, kwargs in reversed(outer):
            stack = cls(stack, *args, **kwargs)
        return stack

    app.build_middleware_stack = build  # type: ignore[method-assign]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logger.info("starting cora %s", __version__, extra={"config": settings.public_summary()})
        if settings.auth == "none":
            logger.warning(
                "auth mode 'none': anyone who can reach this server can read every session;"
                " use it only for local development on a trusted machine"
            )
        stores = create_stores(settings)
        await stores.open()
        app.state.stores = stores
        stale_after = timedelta(seconds=settings.reply_lease_seconds)
        await sweep(stores.sessions, stores.stops, stores.events, stale_after=stale_after)
        sweeper = asyncio.create_task(
            sweep_periodically(
                stores.sessions,
                stores.stops,
                stores.events,
                interval=settings.reply_sweep_seconds,
                stale_after=stale_after,
            )
        )
        await finish_erasures(AccountStorage.of(stores))
        cleanup = (
            asyncio.create_task(
                clean_up_periodically(
                    stores.sessions, stores.events, ttl_days=settings.session_ttl_days
                )
            )
            if settings.session_ttl_days
            else None
        )
        freeze_long_lived("start-up")
        try:
            yield
        finally:
            if cleanup is not None:
                cleanup.cancel()
            sweeper.cancel()
            await app.state.generations.drain(REPLY_DRAIN_SECONDS)
            await app.state.assistant.aclose()
            await stores.close()

    app = FastAPIOffline(
        title="Cora",
        version=__version__,
        summary="Chat sessions with Cora, the insurance assistant.",
        lifespan=lifespan,
        redoc_url=None,
        responses=error_responses(*COMMON_ERRORS),
        generate_unique_id_function=operation_id,
        telemetry=_telemetry(settings),
    )
    install_openapi(app, extra=transfer.import_schemas)
    app.state.settings = settings
    app.state.token_codec = build_token_codec(settings)
    app.state.token_gate = TokenGate()
    app.state.assistant = create_assistant(
        kind=settings.assistant,
        openai_base_url=settings.openai_base_url,
        openai_model=settings.openai_model,
        openai_api_key=settings.openai_api_key.get_secret_value()
        if settings.openai_api_key
        else None,
        history_char_budget=settings.assistant_history_chars,
        openai_timeout=settings.openai_timeout_seconds,
    )
    app.state.generations = Generations()
    install_error_handlers(app)
    _around_fastapi_stack(app, [*_cors(settings), _cora_middleware(app, settings)])
    app.include_router(health.router)
    app.include_router(metrics.router)
    if settings.auth == "local":
        app.include_router(auth.router)
    if settings.auth != "none":
        app.include_router(auth.me_router)
    app.include_router(transfer.method_guards)
    app.include_router(transfer.router, dependencies=[Depends(require_owner)])
    app.include_router(events.method_guards)
    app.include_router(events.router, dependencies=[Depends(require_owner)])
    app.include_router(sessions.router, dependencies=[Depends(require_owner)])
    app.include_router(chat.router, dependencies=[Depends(require_owner)])
    app.router.routes.append(WebAppRoute(settings.web_dir))
    return app


def _cors(settings: Settings) -> list[Middleware]:
    if not settings.cors_origins:
        return []
    cors = Middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["*"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
        expose_headers=["ETag", "Location", "Retry-After"],
    )
    return [cors]


def _cora_middleware(app: FastAPI, settings: Settings) -> Middleware:
    return Middleware(
        CoraMiddleware,
        limit_for=_body_limit(settings),
        hot_routes=lambda inner: HotRoutes(
            inner, app.state, sessions.router.routes, app.dependency_overrides
        ),
    )


def _telemetry(settings: Settings) -> TelemetryConfig:
    enabled = settings.opentelemetry
    return {"tracing": enabled, "metrics": enabled, "logs": enabled}


def _body_limit(settings: Settings) -> Callable[[str], int]:
    def limit_for(path: str) -> int:
        if path.endswith("/import"):
            return settings.max_import_bytes
        return settings.max_request_bytes

    return limit_for


def openapi_document(*, auth: str = "local") -> str:
    """The OpenAPI document a server in auth mode `auth` serves (`docs/openapi.json` is the
    default mode's), as JSON text; built without reading storage or the data directory."""
    settings = Settings(
        auth=auth,
        jwt_secret=secrets.token_urlsafe(32),
        data_dir=Path(tempfile.gettempdir()) / "cora-openapi",
    )
    document = create_app(settings).openapi()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def create_app_from_environment() -> FastAPI:
    """For `uvicorn --factory` in each worker process: settings come from CORA_* variables."""
    return create_app(Settings())
