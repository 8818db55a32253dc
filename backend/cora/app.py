"""The FastAPI application: built from settings, its store opened in the lifespan."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from cora import __version__
from cora.api.errors import install_error_handlers
from cora.api.middleware import BodySizeLimit, SecurityHeaders
from cora.api.routes import auth, chat, events, health, metrics, sessions, transfer
from cora.api.security import require_owner
from cora.assistant.factory import create_assistant
from cora.auth.tokens import build_token_codec
from cora.config import Settings
from cora.metrics import RequestMetrics
from cora.schemas import ErrorBody
from cora.services.chat import Generations
from cora.services.expiry import clean_up_periodically
from cora.store import create_stores

logger = logging.getLogger("cora")

WEB_DIR = Path(__file__).parent / "web"
REPLY_DRAIN_SECONDS = 10

COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body could not be parsed"},
    413: {"model": ErrorBody, "description": "The body is too large"},
    422: {"model": ErrorBody, "description": "The input is not valid"},
}


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
        cleanup = (
            asyncio.create_task(
                clean_up_periodically(stores.sessions, ttl_days=settings.session_ttl_days)
            )
            if settings.session_ttl_days
            else None
        )
        try:
            yield
        finally:
            if cleanup is not None:
                cleanup.cancel()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(REPLY_DRAIN_SECONDS):
                    await app.state.generations.drain()
            await app.state.assistant.aclose()
            await stores.close()

    app = FastAPIOffline(
        title="Cora",
        version=__version__,
        summary="Chat sessions with Cora, the insurance assistant.",
        lifespan=lifespan,
        redoc_url=None,
        responses=COMMON_ERRORS,
    )
    app.state.settings = settings
    app.state.token_codec = build_token_codec(settings)
    app.state.assistant = create_assistant(
        kind=settings.assistant,
        openai_base_url=settings.openai_base_url,
        openai_model=settings.openai_model,
        openai_api_key=settings.openai_api_key.get_secret_value()
        if settings.openai_api_key
        else None,
        history_char_budget=settings.assistant_history_chars,
    )
    app.state.generations = Generations()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, limit_for=_body_limit(settings))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestMetrics)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
            expose_headers=["ETag", "Location", "Retry-After"],
        )
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
    _serve_web_app(app)
    return app


def _body_limit(settings: Settings) -> Callable[[str], int]:
    def limit_for(path: str) -> int:
        if path.endswith("/import"):
            return settings.max_import_bytes
        return settings.max_request_bytes

    return limit_for


def _serve_web_app(app: FastAPI) -> None:
    index = WEB_DIR / "index.html"
    if index.is_file():
        # Each chat has its own address in the web app (`/c/<session_id>`): the app's page.
        @app.get("/c/{chat_path:path}", include_in_schema=False)
        async def web_app_chat(chat_path: str) -> FileResponse:
            return FileResponse(index, headers={"Cache-Control": "no-cache"})

        app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
        return

    @app.get("/", include_in_schema=False)
    async def web_app_missing() -> JSONResponse:
        return JSONResponse(
            {"detail": "The web app is not built; run `make run`. The API is at /docs."}
        )


def create_app_from_environment() -> FastAPI:
    """For `uvicorn --factory` in each worker process: settings come from CORA_* variables."""
    return create_app(Settings())
