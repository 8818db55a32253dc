"""The `cora` command: serve, reindex, cleanup, export, import, migrate, review, users, openapi."""

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import orjson
import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from cora.api.serving import uvicorn_options
from cora.auth.revocation import CACHE_SECONDS
from cora.config import Settings
from cora.domain import is_user_id
from cora.errors import CoraError, StorageFull, StorageUnavailable, UsernameTaken
from cora.logs import configure_logging, logging_config
from cora.schemas import ImportResult, RegisterRequest
from cora.services.accounts import AccountStorage, erase_account, register_account, reset_password
from cora.services.expiry import expire_idle_sessions
from cora.services.migration import (
    MigrationReport,
    account_keys,
    copy_data_dir,
    session_files,
)
from cora.services.quotas import quota_from
from cora.services.review import Review, questions_to_review
from cora.services.sessions import Limits
from cora.services.transfer import TransferService
from cora.store import Account, Stores, create_stores
from cora.timeutil import format_timestamp, utc_now

T = TypeVar("T")

cli = typer.Typer(
    help="Cora: chat sessions with an insurance assistant.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDirOption = Annotated[
    Path | None, typer.Option(help="Where sessions are stored [env: CORA_DATA_DIR]")
]
StorageOption = Annotated[str | None, typer.Option(help="json or postgres")]
DatabaseUrlOption = Annotated[str | None, typer.Option(help="PostgreSQL URL")]
UserOption = Annotated[str, typer.Option("--user", help="The user id the sessions belong to")]
OutOption = Annotated[
    Path | None, typer.Option(help="Write to this file instead of standard output")
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
        **uvicorn_options(settings),
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
    storage: StorageOption = None,
    database_url: DatabaseUrlOption = None,
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
    async with _open_stores(settings, events=True) as stores:
        return await expire_idle_sessions(
            stores.sessions,
            stores.events,
            ttl_days=settings.session_ttl_days or 0,
            dry_run=dry_run,
        )


@asynccontextmanager
async def _open_stores(settings: Settings, *, events: bool) -> AsyncIterator[Stores]:
    """The configured stores with the session store open, and the event bus too for a command
    whose changes show up live in open web apps; closed again after."""
    stores = create_stores(settings)
    async with AsyncExitStack() as opened:
        await stores.sessions.open()
        opened.push_async_callback(stores.sessions.close)
        if events:
            await stores.events.open()
            opened.push_async_callback(stores.events.close)
        yield stores


@cli.command()
def migrate(
    from_data_dir: Annotated[
        Path,
        typer.Option(help="The JSON data directory to copy from", exists=True, file_okay=False),
    ],
    database_url: Annotated[
        str | None, typer.Option(help="PostgreSQL URL [env: CORA_DATABASE_URL]")
    ] = None,
) -> None:
    """Copy every account and session of a JSON data directory into PostgreSQL (re-runnable).

    The schema comes from CORA_DATABASE_SCHEMA, as for `cora serve`.
    """
    settings = load_settings(storage="postgres", database_url=database_url)
    configure_logging(settings.log_level)
    try:
        report = asyncio.run(_migrate(settings, from_data_dir))
    except (StorageUnavailable, StorageFull) as error:
        typer.echo(f"{error}; nothing copied twice if you run this again", err=True)
        raise typer.Exit(code=1) from None
    for line in migration_summary(report):
        typer.echo(line)
    if not report.complete or report.unreadable or report.refused:
        raise typer.Exit(code=1)


async def _migrate(settings: Settings, data_dir: Path) -> MigrationReport:
    from cora.store.postgres import PostgresDatabase

    database = PostgresDatabase.from_settings(settings)
    total = len(account_keys(data_dir)) + len(session_files(data_dir))
    await database.open()
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("Copying", total=total)
            return await copy_data_dir(
                data_dir, database, advance=lambda n: progress.advance(task, n)
            )
    finally:
        await database.close()


def migration_summary(report: MigrationReport) -> list[str]:
    accounts, sessions = report.accounts, report.sessions
    lines = [
        f"Accounts: {report.accounts_found} found, {accounts.copied} copied,"
        f" {accounts.present} already there",
        f"Sessions: {report.sessions_found} found, {sessions.copied} copied"
        f" ({sessions.messages} messages), {sessions.present} already there,"
        f" {len(report.unreadable)} unreadable, {len(report.refused)} refused",
        f"PostgreSQL holds {report.accounts_in_database} of the {report.accounts_found} accounts"
        f" and {report.sessions_in_database} of the"
        f" {report.sessions_found - len(report.unreadable) - len(report.refused)}"
        " readable sessions",
    ]
    lines += [f"Unreadable: {session_id}" for session_id in report.unreadable]
    lines += [f"Refused: {session_id}: {why}" for session_id, why in report.refused.items()]
    return lines


@cli.command("openapi")
def write_openapi(
    out: Annotated[
        Path | None, typer.Option(help="Write to this file instead of standard output")
    ] = None,
    auth: Annotated[str, typer.Option(help="The auth mode whose routes to describe")] = "local",
) -> None:
    """Write the API's OpenAPI document, as `cora serve` serves it (`docs/openapi.json`)."""
    from cora.app import openapi_document

    text = openapi_document(auth=auth)
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, encoding="utf-8")


@cli.command("export")
def export_sessions(
    user: UserOption,
    out: OutOption = None,
    data_dir: DataDirOption = None,
    storage: StorageOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Write all of a user's sessions as one cora-sessions JSON document."""
    settings = _transfer_settings(user, data_dir, storage, database_url)
    with TransferProgress() as progress:
        data = _run_or_exit(_export(settings, user, progress))
    _write_out(data, out)
    if out is not None:
        typer.echo(f"Exported {progress.sessions} sessions of {user} to {out}", err=True)


def _write_out(data: bytes, out: Path | None) -> None:
    """To standard output, or to a file readable by its owner only: people's own words."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a file that was there keeps its mode through O_CREAT
    with open(fd, "wb") as file:
        file.write(data)


@cli.command("review")
def review_questions(
    days: Annotated[int, typer.Option(min=1, max=3650, help="How many days back to look")] = 30,
    out: OutOption = None,
    data_dir: DataDirOption = None,
    storage: StorageOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Write the questions to review (Cora declined, or the user rated her reply down) as JSON,
    each once with the turns before it, ready to label as a test case of the FAQ assistant."""
    settings = load_settings(data_dir=data_dir, storage=storage, database_url=database_url)
    configure_logging("warning")
    since = utc_now() - timedelta(days=days)
    review = _run_or_exit(_review(settings, since))
    document = {"since": format_timestamp(since), "questions": review.questions}
    _write_out(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n", out)
    reasons = Counter(reason for item in review.questions for reason in item["why"])
    typer.echo(
        f"{len(review.questions)} questions to review since {document['since']}: "
        f"{reasons['declined']} declined, {reasons['rated down']} rated down"
        " (a question can be both)",
        err=True,
    )
    if review.unreadable:
        sessions = "session" if review.unreadable == 1 else "sessions"
        typer.echo(f"{review.unreadable} {sessions} could not be read: see `cora fsck`", err=True)


async def _review(settings: Settings, since: datetime) -> Review:
    async with _open_stores(settings, events=False) as stores:
        return await questions_to_review(stores.sessions, since=since)


@cli.command("import")
def import_sessions(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A cora-sessions export or a ChatGPT conversations.json",
        ),
    ],
    user: UserOption,
    data_dir: DataDirOption = None,
    storage: StorageOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create new sessions from an export; sources imported before are skipped."""
    settings = _transfer_settings(user, data_dir, storage, database_url)
    data = file.read_bytes()
    with TransferProgress() as progress:
        result = _run_or_exit(_import(settings, user, data, progress))
    typer.echo(
        f"Imported {len(result.imported)} sessions for {user};"
        f" skipped {len(result.skipped)} imported before"
    )


def _transfer_settings(
    user: str, data_dir: Path | None, storage: str | None, database_url: str | None
) -> Settings:
    if not is_user_id(user):
        raise typer.BadParameter("a user id is 1 to 64 characters from A-Z a-z 0-9 -")
    settings = load_settings(data_dir=data_dir, storage=storage, database_url=database_url)
    configure_logging("warning")
    return settings


def _run_or_exit(work: Coroutine[Any, Any, T]) -> T:
    """Run a command's work; a storage error ends it with its message and exit status 1."""
    try:
        return asyncio.run(work)
    except CoraError as error:
        typer.echo(f"Nothing done: {error}", err=True)
        raise typer.Exit(code=1) from None


async def _export(settings: Settings, user: str, progress: "TransferProgress") -> bytes:
    async with _transfer_service(settings) as service:
        return await service.export_all(user_id=user, progress=progress)


async def _import(
    settings: Settings, user: str, data: bytes, progress: "TransferProgress"
) -> ImportResult:
    async with _transfer_service(settings) as service:
        return await service.import_document(user_id=user, data=data, progress=progress)


@asynccontextmanager
async def _transfer_service(settings: Settings) -> AsyncIterator[TransferService]:
    async with _open_stores(settings, events=True) as stores:  # imports show up live
        limits = Limits(
            max_message_chars=settings.max_message_chars,
            max_metadata_bytes=settings.max_metadata_bytes,
            quota=quota_from(settings),
        )
        yield TransferService(stores.sessions, limits, stores.events)


LARGE_ARCHIVE = 100
STAGE_LABELS = {"check": "Checking", "write": "Writing", "export": "Exporting"}


class TransferProgress:
    """A progress bar on standard error for archives of LARGE_ARCHIVE sessions or more."""

    def __init__(self) -> None:
        self.sessions = 0
        self._bar = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> "TransferProgress":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._tasks:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.sessions = total
        if total < LARGE_ARCHIVE:
            return
        if stage not in self._tasks:
            if not self._tasks:
                self._bar.start()
            self._tasks[stage] = self._bar.add_task(STAGE_LABELS.get(stage, stage), total=total)
        self._bar.update(self._tasks[stage], completed=done)


users = typer.Typer(help="Manage accounts (auth mode local).", no_args_is_help=True)
cli.add_typer(users, name="users")


@users.command("create")
def create_user(
    username: Annotated[str, typer.Option(help="3 to 64 letters, digits, '.', '_' or '-'")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
    data_dir: DataDirOption = None,
    storage: StorageOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Create an account, e.g. the first one of a new installation."""
    settings = load_settings(data_dir=data_dir, storage=storage, database_url=database_url)
    request = _read_password(username, "Password", from_stdin=password_stdin)
    try:
        account = asyncio.run(_register(settings, request))
    except UsernameTaken as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"Created {account.username} with user id {account.user_id}")


def _read_password(username: str, prompt: str, *, from_stdin: bool) -> RegisterRequest:
    """The password from standard input's first line, or asked twice; checked as the API does."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    try:
        return RegisterRequest(username=username, password=password)
    except ValidationError as error:
        raise typer.BadParameter(error.errors()[0]["msg"]) from None


async def _register(settings: Settings, request: RegisterRequest) -> Account:
    stores = create_stores(settings)
    await stores.accounts.open()
    try:
        return await register_account(
            stores.accounts, username=request.username, password=request.password
        )
    finally:
        await stores.accounts.close()


@cli.command()
def fsck(
    salvage: Annotated[
        bool,
        typer.Option(
            "--salvage",
            help="Save what can be read of each damaged file; keep it as <name>.damaged-<time>",
        ),
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """List damaged session files (exit status 1 when there are any)."""
    from cora.store.json_files.fsck import check_directory

    settings = load_settings(data_dir=data_dir)
    damaged = 0
    for finding in check_directory(settings.sessions_dir, salvage=salvage):
        if finding.condition == "torn":
            typer.echo(f"torn end (repaired at its next use): {finding.path}")
            continue
        damaged += 1
        if finding.kept_as is None:
            typer.echo(f"damaged: {finding.path}")
        elif finding.salvaged_messages is None:
            typer.echo(f"damaged, nothing readable: {finding.path} (kept as {finding.kept_as})")
        else:
            typer.echo(
                f"salvaged {finding.salvaged_messages} messages: {finding.path}"
                f" (the original kept as {finding.kept_as})"
            )
    typer.echo(f"{damaged} damaged session files in {settings.sessions_dir}")
    if damaged:
        raise typer.Exit(code=1)


UsernameOption = Annotated[str, typer.Option(help="The account's username (any case)")]


@users.command("set-password")
def set_password(
    username: UsernameOption,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
    data_dir: DataDirOption = None,
    storage: StorageOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Set an account's password; every token issued before stops working."""
    settings = load_settings(data_dir=data_dir, storage=storage, database_url=database_url)
    password = _read_password(username, "New password", from_stdin=password_stdin).password
    user_id = _run_on_account(
        settings, username, partial(reset_password, password=password, settle_seconds=CACHE_SECONDS)
    )
    typer.echo(f"Set the password of {username} ({user_id}); its earlier tokens no longer work")


@users.command("delete")
def delete_user(
    username: UsernameOption,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    data_dir: DataDirOption = None,
    storage: StorageOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Erase an account, every one of its sessions and its tokens."""
    settings = load_settings(data_dir=data_dir, storage=storage, database_url=database_url)
    if not yes:
        typer.confirm(f"Erase {username} and all of its sessions?", abort=True)
    user_id = _run_on_account(settings, username, _erase)
    typer.echo(f"Erased {username} ({user_id}) and its sessions")


async def _erase(storage: AccountStorage, account: Account) -> None:
    await erase_account(storage, user_id=account.user_id, settle_seconds=CACHE_SECONDS)
    await storage.throttle.clear_failures(username=account.username)


def _run_on_account(
    settings: Settings,
    username: str,
    work: Callable[[AccountStorage, Account], Awaitable[None]],
) -> str:
    """Run `work` on the named account with every store open; exit 1 if there is none."""

    async def run() -> str | None:
        stores = create_stores(settings)
        await stores.open()
        try:
            account = await stores.accounts.find_by_username(username=username)
            if account is None:
                return None
            await work(AccountStorage.of(stores), account)
            return account.user_id
        finally:
            await stores.close()

    try:
        user_id = asyncio.run(run())
    except (StorageFull, StorageUnavailable) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=1) from None
    if user_id is None:
        typer.echo(f"No account is named {username}", err=True)
        raise typer.Exit(code=1)
    return user_id


PRIVATE_UMASK = 0o077


def main() -> None:
    # Everything Cora writes under the data directory is its owner's only (contract 6): files
    # 0600, directories 0700, SQLite's WAL and shared-memory files included. Worker processes
    # inherit the mask.
    os.umask(PRIVATE_UMASK)
    cli()
