"""Stop requests as files: `<data-dir>/stops/<message id>`, made by any process, seen by all."""

import os
import time
from contextlib import suppress
from pathlib import Path

import anyio.to_thread

from cora.domain import is_uuid
from cora.errors import StorageFull, StorageUnavailable
from cora.replies.stops import StopSignals
from cora.store.json_files.locking import fsync_directory


class JsonStopSignals(StopSignals):
    def __init__(self, data_dir: Path) -> None:
        self._directory = data_dir / "stops"

    async def open(self) -> None:
        self._directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    async def request(self, *, message_id: str) -> None:
        await anyio.to_thread.run_sync(self._request, message_id)

    def _request(self, message_id: str) -> None:
        try:
            fd = os.open(self._path(message_id), os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
            os.close(fd)
            fsync_directory(self._directory)
        except OSError as error:
            if error.errno == 28:
                raise StorageFull() from error
            raise StorageUnavailable() from error

    async def requested(self, *, message_id: str) -> bool:
        return await anyio.to_thread.run_sync(self._path(message_id).exists)

    async def clear(self, *, message_id: str) -> None:
        with suppress(FileNotFoundError):
            await anyio.to_thread.run_sync(os.unlink, self._path(message_id))

    async def clear_older_than(self, *, seconds: float) -> int:
        return await anyio.to_thread.run_sync(self._clear_older_than, seconds)

    def _clear_older_than(self, seconds: float) -> int:
        cleared = 0
        cutoff = time.time() - seconds
        with os.scandir(self._directory) as entries:
            for entry in entries:
                with suppress(FileNotFoundError):
                    if entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
                        cleared += 1
        return cleared

    def _path(self, message_id: str) -> Path:
        if not is_uuid(message_id):
            raise ValueError(f"not a message id: {message_id!r}")
        return self._directory / message_id.lower()
