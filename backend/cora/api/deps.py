"""What routes receive by injection, from `app.state` (the lifespan's stores; tests set them).

Every dependency is `async def`: FastAPI would run a plain `def` in a worker thread.
"""

from typing import Annotated

from fastapi import Depends, Path, Request

from cora.assistant.base import Assistant
from cora.auth.revocation import TokenGate, TokenRevocations
from cora.config import Settings
from cora.domain import USER_ID_PATTERN
from cora.events import EventBus
from cora.replies import StopSignals
from cora.schemas import Uuid
from cora.services.chat import ChatService
from cora.services.quotas import quota_from
from cora.services.reply_writer import ReplyTiming
from cora.services.sessions import Limits, SessionService
from cora.services.transfer import TransferService
from cora.store import Stores
from cora.store.accounts import AccountStore, LoginThrottle
from cora.store.base import SessionStore


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.stores.sessions
    return store


async def get_account_store(request: Request) -> AccountStore:
    accounts: AccountStore = request.app.state.stores.accounts
    return accounts


async def get_login_throttle(request: Request) -> LoginThrottle:
    throttle: LoginThrottle = request.app.state.stores.login_throttle
    return throttle


async def get_revocations(request: Request) -> TokenRevocations:
    revocations: TokenRevocations = request.app.state.stores.revocations
    return revocations


async def get_token_gate(request: Request) -> TokenGate:
    gate: TokenGate = request.app.state.token_gate
    return gate


async def get_event_bus(request: Request) -> EventBus:
    events: EventBus = request.app.state.stores.events
    return events


async def get_stop_signals(request: Request) -> StopSignals:
    stops: StopSignals = request.app.state.stores.stops
    return stops


SettingsDep = Annotated[Settings, Depends(get_settings)]
EventBusDep = Annotated[EventBus, Depends(get_event_bus)]
StoreDep = Annotated[SessionStore, Depends(get_store)]
AccountStoreDep = Annotated[AccountStore, Depends(get_account_store)]
LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]
RevocationsDep = Annotated[TokenRevocations, Depends(get_revocations)]
TokenGateDep = Annotated[TokenGate, Depends(get_token_gate)]


def session_service(stores: Stores, settings: Settings) -> SessionService:
    """The session service on the app's stores (also what the hot routes call)."""
    return SessionService(stores.sessions, limits_from(settings), stores.events)


def limits_from(settings: Settings) -> Limits:
    return Limits(
        max_message_chars=settings.max_message_chars,
        max_metadata_bytes=settings.max_metadata_bytes,
        quota=quota_from(settings),
    )


async def get_session_service(request: Request, settings: SettingsDep) -> SessionService:
    return session_service(request.app.state.stores, settings)


SessionServiceDep = Annotated[SessionService, Depends(get_session_service)]


async def get_transfer_service(
    store: StoreDep, settings: SettingsDep, events: EventBusDep
) -> TransferService:
    return TransferService(store, limits_from(settings), events)


TransferServiceDep = Annotated[TransferService, Depends(get_transfer_service)]


async def get_assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


async def get_chat_service(
    sessions: SessionServiceDep,
    store: StoreDep,
    assistant: Annotated[Assistant, Depends(get_assistant)],
    settings: SettingsDep,
    events: EventBusDep,
    stops: Annotated[StopSignals, Depends(get_stop_signals)],
    request: Request,
) -> ChatService:
    return ChatService(
        sessions,
        store,
        assistant,
        request.app.state.generations,
        events,
        stops,
        context_messages=settings.assistant_context_messages,
        timing=ReplyTiming(flush_seconds=settings.reply_flush_seconds),
    )


ChatServiceDep = Annotated[ChatService, Depends(get_chat_service)]

UserIdPath = Annotated[
    str,
    Path(
        pattern=USER_ID_PATTERN,
        description="1 to 64 characters from A-Z a-z 0-9 -",
        examples=["alice-01"],
    ),
]
SessionIdPath = Annotated[Uuid, Path(description="The session's UUID (any case)")]
