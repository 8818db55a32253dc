"""The `cora` command: `cora serve`, `cora reindex`."""

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import ValidationError

from cora.config import Settings
from cora.errors import UsernameTaken
from cora.logs import configure_logging, logging_config
from cora.schemas import RegisterRequest
from cora.services.accounts import register_account
from cora.services.expiry import expire_idle_sessions
from cora.store import Account, create_stores

cli = typer.Typer(
    help="Cora: chat sessions with an insurance assistant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDirOption = Annotated[
    Path | None, typer.Option(help="Where sessions are stored [env: CORA_DATA_DIR]")
]


def load_settings(**options: Any) -> Settings:
    """Settings from the given options over `CORA_*` variables, exported for worker processes."""
    given = {name: value for name, value in options.items() if value is not None}
    try:
        settings = Settings(**given)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise typer.BadParameter(problems) from None
    for name, value in given.items():
        os.environ[f"CORA_{name.upper()}"] = str(value)
    return settings


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on [env: CORA_HOST]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env: CORA_PORT]")] = None,
    data_dir: DataDirOption = None,
    auth: Annotated[str | None, typer.Option(help="local, jwt or none [env: CORA_AUTH]")] = None,
    storage: Annotated[
        str | None, typer.Option(help="json or postgres [env: CORA_STORAGE]")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="PostgreSQL URL [env: CORA_DATABASE_URL]")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes [env: CORA_WORKERS]")
    ] = None,
    log_level: Annotated[
        str | None, typer.Option(help="debug, info, warning or error [env: CORA_LOG_LEVEL]")
    ] = None,
) -> None:
    """Start the HTTP server (default http://127.0.0.1:8000)."""
    settings = load_settings(
        host=host,
        port=port,
        data_dir=data_dir,
        auth=auth,
        storage=storage,
        database_url=database_url,
        workers=workers,
        log_level=log_level,
    )
    configure_logging(settings.log_level)
    if settings.workers > 1:
        _share_metrics_between_workers()
    uvicorn.run(
        "cora.app:create_app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=logging_config(settings.log_level),
        server_header=False,
        timeout_graceful_shutdown=10,
    )


def _share_metrics_between_workers() -> None:
    directory = tempfile.mkdtemp(prefix="cora-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    atexit.register(shutil.rmtree, directory, ignore_errors=True)


@cli.command()
def reindex(data_dir: DataDirOption = None) -> None:
    """Rebuild the JSON store's listing index from the session files."""
    from cora.store.json_files import JsonFileStore

    settings = load_settings(data_dir=data_dir)
    configure_logging(settings.log_level)
    report = JsonFileStore(settings.data_dir).prepare(rebuild=True)
    typer.echo(
        f"Indexed {report.reindexed} of {report.files} session files"
        f" ({report.unreadable} unreadable) in {settings.sessions_dir}"
    )
    if report.unreadable:
        raise typer.Exit(code=1)


@cli.command()
def cleanup(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would be deleted")
    ] = False,
    data_dir: DataDirOption = None,
    storage: Annotated[str | None, typer.Option(help="json or postgres")] = None,
    database_url: Annotated[str | None, typer.Option(help="PostgreSQL URL")] = None,
) -> None:
    """Delete sessions idle for longer than CORA_SESSION_TTL_DAYS."""
    settings = load_settings(data_dir=data_dir, storage=storage, database_url=database_url)
    configure_logging(settings.log_level)
    if settings.session_ttl_days is None:
        typer.echo("CORA_SESSION_TTL_DAYS is not set: sessions never expire.", err=True)
        raise typer.Exit(code=2)
    count = asyncio.run(_clean_up(settings, dry_run=dry_run))
    verb = "Would delete" if dry_run else "Deleted"
    typer.echo(f"{verb} {count} sessions idle for more than {settings.session_ttl_days} days")


async def _clean_up(settings: Settings, *, dry_run: bool) -> int:
    stores = create_stores(settings)
    await stores.sessions.open()
    try:
        return await expire_idle_sessions(
            stores.sessions, ttl_days=settings.session_ttl_days or 0, dry_run=dry_run
        )
    finally:
        await stores.sessions.close()


users = typer.Typer(help="Manage accounts (auth mode local).", no_args_is_help=True)
cli.add_typer(users, name="users")


@users.command("create")
def create_user(
    username: Annotated[str, typer.Option(help="3 to 64 letters, digits, '.', '_' or '-'")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
    data_dir: DataDirOption = None,
    storage: Annotated[str | None, typer.Option(help="json or postgres")] = None,
    database_url: Annotated[str | None, typer.Option(help="PostgreSQL URL")] = None,
) -> None:
    """Create an account, e.g. the first one of a new installation."""
    settings = load_settings(data_dir=data_dir, storage=storage, database_url=database_url)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        request = RegisterRequest(username=username, password=password)
    except ValidationError as error:
        raise typer.BadParameter(error.errors()[0]["msg"]) from None
    try:
        account = asyncio.run(_register(settings, request))
    except UsernameTaken as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"Created {account.username} with user id {account.user_id}")


async def _register(settings: Settings, request: RegisterRequest) -> Account:
    stores = create_stores(settings)
    await stores.accounts.open()
    try:
        return await register_account(
            stores.accounts, username=request.username, password=request.password
        )
    finally:
        await stores.accounts.close()


def main() -> None:
    cli()
