"""Which sessions have a reply being written: an empty file `<data-dir>/replies/<user>_<session>`.

A mark is made (and made durable) before a streaming reply is stored, and removed after the
reply has ended, both under the session file's exclusive lock; so a sweep for dead writers
reads a handful of names instead of every session file. A mark whose session file has no
streaming reply (a kill between the two steps) is removed by the sweep. Like the index, the
marks are derived from the session files: the trailer of a file says whether a reply streams.
"""

import os
from contextlib import suppress
from pathlib import Path

from cora.store.json_files.locking import fsync_directory


class StreamingMarks:
    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def prepare(self) -> None:
        self._directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def mark(self, user_id: str, session_id: str) -> None:
        path = self._path(user_id, session_id)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
        os.close(fd)
        fsync_directory(self._directory)

    def unmark(self, user_id: str, session_id: str) -> None:
        with suppress(FileNotFoundError):
            os.unlink(self._path(user_id, session_id))

    def marked(self) -> list[tuple[str, str]]:
        """(user_id, session_id) of every mark."""
        found = []
        with os.scandir(self._directory) as entries:
            for entry in entries:
                user_id, _, session_id = entry.name.partition("_")
                if user_id and session_id:
                    found.append((user_id, session_id))
        return found

    def _path(self, user_id: str, session_id: str) -> Path:
        return self._directory / f"{user_id}_{session_id}"
