"""Whether the listing index can be trusted at start, without reading every session file.

The last process to close the store cleanly marks the index `clean`. The first process to open
it (alone, by an exclusive lock on `index.sqlite3.open`) trusts a clean index and reconciles any
other in the background. Each process registers itself while it has the store open, so a process
that crashed leaves a row behind and the index is not called clean after it.
"""

import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cora.store.json_files.index import SessionIndex

CLEAN, LIVE, RECONCILING = "clean", "live", "reconciling"


class StartupGuard:
    def __init__(self, index: SessionIndex, lock_path: Path) -> None:
        self._index = index
        self._lock_path = lock_path
        self._token = uuid.uuid4().hex
        self._fd: int | None = None

    def open(self) -> bool:
        """Register this process; True when the caller must reconcile the index."""
        self._fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        must_reconcile = False
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Others have it open, and the first of them decided; or `cora reindex` holds it
            # while it puts a new index in place: once it is done, connections made before
            # point at the old file, and the new one is marked clean, with nobody to decide.
            fcntl.flock(self._fd, fcntl.LOCK_SH)
            self._index.close()
            state, processes = self._index.state()
            if state == CLEAN:
                must_reconcile = processes > 0
                self._index.set_state(RECONCILING if must_reconcile else LIVE)
        else:
            state, processes = self._index.state()
            must_reconcile = state != CLEAN or processes > 0
            self._index.set_state(RECONCILING if must_reconcile else LIVE, forget_processes=True)
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        self._index.register_process(self._token, present=True)
        return must_reconcile

    @contextmanager
    def alone(self) -> Iterator[bool]:
        """Whether no process has the store open; while True, none can open it (they wait)."""
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                alone = True
            except BlockingIOError:
                alone = False
            yield alone
        finally:
            os.close(fd)

    def reconciled(self) -> None:
        self._index.set_state(LIVE)

    def close(self) -> None:
        """Unregister; the last process out marks a live index clean."""
        if self._fd is None:
            return
        try:
            self._index.register_process(self._token, present=False)
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            state, processes = self._index.state()
            if state == LIVE and processes == 0:
                self._index.checkpoint()
                self._index.set_state(CLEAN)
                self._index.checkpoint()
        finally:
            os.close(self._fd)
            self._fd = None
