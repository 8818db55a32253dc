from dataclasses import dataclass

from cora.auth.revocation import TokenRevocations
from cora.config import Settings
from cora.events import EventBus
from cora.replies.stops import StopSignals
from cora.store.accounts import AccountStore, LoginThrottle
from cora.store.base import SessionStore


@dataclass(frozen=True, slots=True)
class Stores:
    """Everything a back end keeps: sessions, accounts and failed log-ins, and the live events
    that tell every process on the same storage what changed."""

    sessions: SessionStore
    accounts: AccountStore
    login_throttle: LoginThrottle
    events: EventBus
    stops: StopSignals
    revocations: TokenRevocations

    async def open(self) -> None:
        await self.sessions.open()
        await self.accounts.open()
        await self.login_throttle.open()
        await self.revocations.open()
        await self.events.open()
        await self.stops.open()

    async def close(self) -> None:
        await self.stops.close()
        await self.events.close()
        await self.revocations.close()
        await self.login_throttle.close()
        await self.accounts.close()
        await self.sessions.close()


def create_stores(settings: Settings) -> Stores:
    """The back end the settings name, not yet opened."""
    if settings.storage == "json":
        from cora.events.files import FileEventBus
        from cora.store.json_files import JsonFileStore
        from cora.store.json_files.accounts import JsonAccountStore, SqliteLoginThrottle
        from cora.store.json_files.revocations import SqliteTokenRevocations
        from cora.store.json_files.stops import JsonStopSignals

        return Stores(
            sessions=JsonFileStore(settings.data_dir),
            accounts=JsonAccountStore(settings.data_dir),
            login_throttle=SqliteLoginThrottle(settings.data_dir),
            events=FileEventBus(settings.data_dir / "events"),
            stops=JsonStopSignals(settings.data_dir),
            revocations=SqliteTokenRevocations(settings.data_dir),
        )
    if settings.storage == "postgres":
        from cora.events.postgres import PostgresEventBus
        from cora.store.postgres import (
            PostgresAccountStore,
            PostgresDatabase,
            PostgresLoginThrottle,
            PostgresSessionStore,
        )
        from cora.store.postgres.revocations import PostgresTokenRevocations
        from cora.store.postgres.stops import PostgresStopSignals

        database = PostgresDatabase.from_settings(settings)
        return Stores(
            sessions=PostgresSessionStore(database),
            accounts=PostgresAccountStore(database),
            login_throttle=PostgresLoginThrottle(database),
            events=PostgresEventBus(database),
            stops=PostgresStopSignals(database),
            revocations=PostgresTokenRevocations(database),
        )
    raise ValueError(f"storage {settings.storage!r} is not available in this build")
