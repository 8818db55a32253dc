"""The event bus of a JSON data directory: an append-only log that every process follows.

`<data-dir>/events/` holds numbered segment files. Each event is one line,
`kind<TAB>user_id<TAB>session_id<TAB>data<LF>`; the lines a process publishes in one turn of its
event loop are appended by a single `write` under the segment's `flock` (held for microseconds,
so that no line is added once the segment is full). A segment
is full once it reaches `segment_bytes`; whoever finds it full creates the next one and deletes
those beyond the newest `keep_segments`. Each process has one reader task that polls the size
of the segment it is in and hands every complete new line to its subscribers. An event's id is
`<segment>.<offset just after its line>`, which is where a resuming reader starts.
"""

import asyncio
import contextlib
import fcntl
import logging
import os
from pathlib import Path

from cora.errors import StorageUnavailable
from cora.events.base import EVENT_KINDS, LiveEvent
from cora.events.fanout import SUBSCRIBER_QUEUE, FollowingBus, Position

logger = logging.getLogger(__name__)

SEGMENT_BYTES = 4 * 1024 * 1024
KEEP_SEGMENTS = 8
POLL_SECONDS = 0.05
READ_CHUNK = 4 * 1024 * 1024  # more than the longest line (a message of 100,000 characters)
SUFFIX = ".log"


def segment_name(number: int) -> str:
    return f"{number:012d}{SUFFIX}"


def encode_line(event: LiveEvent) -> bytes:
    data = event.data
    if b"\n" in data:  # JSON may be pretty-printed; one line is needed
        data = data.replace(b"\r\n", b" ").replace(b"\n", b" ")
    fields = (event.kind, event.user_id, event.session_id)
    return "\t".join(fields).encode() + b"\t" + data + b"\n"


def decode_line(line: bytes, event_id: str) -> LiveEvent | None:
    parts = line.split(b"\t", 3)
    if len(parts) != 4:
        return None
    kind, user_id, session_id = (part.decode("ascii", "replace") for part in parts[:3])
    if kind not in EVENT_KINDS:
        return None
    return LiveEvent(kind, user_id, session_id, parts[3], event_id)  # type: ignore[arg-type]


class FileEventBus(FollowingBus):
    def __init__(
        self,
        directory: Path,
        *,
        segment_bytes: int = SEGMENT_BYTES,
        keep_segments: int = KEEP_SEGMENTS,
        poll_seconds: float = POLL_SECONDS,
        queue_size: int = SUBSCRIBER_QUEUE,
    ) -> None:
        super().__init__(queue_size=queue_size)
        self._directory = directory
        self._segment_bytes = segment_bytes
        self._keep_segments = max(2, keep_segments)
        self._poll_seconds = poll_seconds
        self._write_number = 0
        self._write_fd = -1
        self._read_number = 0
        self._read_fd = -1
        self._read_offset = 0
        self._reader: asyncio.Task[None] | None = None
        self._unwritten: list[bytes] = []

    # --- writing -------------------------------------------------------------------------

    async def open(self) -> None:
        self._directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        numbers = self._segment_numbers()
        newest = numbers[-1] if numbers else 1
        self._open_for_writing(newest)
        self._read_number = newest
        self._read_fd = os.open(self._path(newest), os.O_RDONLY | os.O_CLOEXEC)
        self._read_offset = self._end_of_last_line(self._read_fd)
        self._reader = asyncio.create_task(self._follow(), name="cora-events-reader")

    async def close(self) -> None:
        self._write_unwritten()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        self._fanout.end_all()
        for fd in (self._write_fd, self._read_fd):
            if fd >= 0:
                os.close(fd)
        self._write_fd = self._read_fd = -1

    async def publish(self, event: LiveEvent) -> None:
        """Queue the event's line; the lines queued in one turn of the event loop are written
        together, in order, with one lock and one `write` (each call lets other threads take
        the interpreter, which the loop then waits to get back)."""
        self._unwritten.append(encode_line(event))
        if len(self._unwritten) == 1:
            asyncio.get_running_loop().call_soon(self._write_unwritten)

    def _write_unwritten(self) -> None:
        if not self._unwritten:
            return
        lines, self._unwritten = self._unwritten, []
        try:
            self._append(lines)
        except OSError as error:
            logger.warning("live events not published (%s): %s", self._directory, error)

    async def forget_user(self, user_id: str) -> None:
        self._write_unwritten()
        try:
            await asyncio.to_thread(self._blank_user_lines, user_id.encode())
        except OSError as error:
            raise StorageUnavailable(f"cannot erase live events: {error}") from error

    def _blank_user_lines(self, user_id: bytes) -> None:
        """Overwrite the user's lines with spaces, in place and under the writers' lock: every
        other event keeps its offset, so ids stay valid and readers skip the blank lines."""
        for number in self._segment_numbers():
            try:
                fd = os.open(self._path(number), os.O_RDWR | os.O_CLOEXEC)
            except FileNotFoundError:
                continue  # pruned meanwhile
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if self._blank_lines_of(fd, user_id):
                    os.fsync(fd)
            finally:
                os.close(fd)  # releases the lock

    @staticmethod
    def _blank_lines_of(fd: int, user_id: bytes) -> bool:
        data = os.pread(fd, os.fstat(fd).st_size, 0)
        offset = 0
        blanked = False
        for line in data.splitlines(keepends=True):
            fields = line.split(b"\t", 3)
            if len(fields) == 4 and fields[1] == user_id:
                os.pwrite(fd, b" " * (len(line) - 1), offset)
                blanked = True
            offset += len(line)
        return blanked

    def _append(self, lines: list[bytes]) -> None:
        """Write `lines` at the end of the log: under each segment's lock, the lines that find
        it not yet full, in one `write`; the rest in the next segment."""
        while lines:
            if self._write_fd < 0:
                self._next_segment()
            fd = self._write_fd
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                size, fitting = os.fstat(fd).st_size, 0
                while fitting < len(lines) and size < self._segment_bytes:
                    size += len(lines[fitting])
                    fitting += 1
                if fitting:
                    os.write(fd, b"".join(lines[:fitting]))
                    lines = lines[fitting:]
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            if lines:
                self._next_segment()

    def _next_segment(self) -> None:
        """Move on to the newest segment; create the next one if this process is already there
        (and delete the oldest). Another process may have moved on long ago."""
        if self._write_fd >= 0:
            os.close(self._write_fd)
            self._write_fd = -1
        numbers = self._segment_numbers()
        newest = numbers[-1] if numbers else 0
        if newest > self._write_number:
            self._open_for_writing(newest)
            return
        number = self._write_number + 1
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        try:
            fd = os.open(self._path(number), flags, 0o600)
        except FileExistsError:
            self._open_for_writing(number)
            return
        self._write_fd, self._write_number = fd, number
        self._prune(number)

    def _open_for_writing(self, number: int) -> None:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
        self._write_fd = os.open(self._path(number), flags, 0o600)
        self._write_number = number

    def _prune(self, newest: int) -> None:
        for number in self._segment_numbers():
            if number <= newest - self._keep_segments:
                with contextlib.suppress(FileNotFoundError):
                    self._path(number).unlink()

    # --- reading -------------------------------------------------------------------------

    def _read_position(self) -> tuple[Position, str]:
        return (self._read_number, self._read_offset), self._id(
            self._read_number, self._read_offset
        )

    def _end_of_log(self) -> Position | None:
        """The newest segment and its size: every line published so far ends at or before it."""
        self._write_unwritten()
        numbers = self._segment_numbers()
        if not numbers:
            return None
        try:
            return (numbers[-1], os.stat(self._path(numbers[-1])).st_size)
        except FileNotFoundError:  # pruned meanwhile: an older segment, nothing to skip there
            return None

    async def _past_end(self, after: Position) -> bool:
        end = self._end_of_log()
        return end is not None and after > end

    def _parse_id(self, event_id: str) -> Position | None:
        number, dot, offset = event_id.partition(".")
        if not (dot and number.isdigit() and offset.isdigit()):
            return None
        return (int(number), int(offset))

    async def _follow(self) -> None:
        while True:
            try:
                progressed = await self._read_available()
            except OSError as error:
                logger.warning("reading live events failed, will retry: %s", error)
                progressed = False
            if not progressed:
                await asyncio.sleep(self._poll_seconds)

    async def _read_available(self) -> bool:
        """Hand new complete lines to the subscribers; whether anything was read."""
        size = os.fstat(self._read_fd).st_size
        if size > self._read_offset:
            length = min(size - self._read_offset, READ_CHUNK)
            chunk = os.pread(self._read_fd, length, self._read_offset)
            complete = chunk.rfind(b"\n") + 1
            if not self._fanout.listening():  # nobody to hand them to: step over the lines
                self._read_offset += complete
                return complete > 0
            for count, line in enumerate(chunk[:complete].splitlines(keepends=True), 1):
                self._read_offset += len(line)
                event = decode_line(line[:-1], self._id(self._read_number, self._read_offset))
                if event is not None:
                    self._fanout.dispatch(event, (self._read_number, self._read_offset))
                if count % self._dispatch_burst == 0:
                    await asyncio.sleep(0)  # let subscribers drain their queues
            return complete > 0
        if size >= self._segment_bytes:
            return self._move_to_next_segment()
        return False

    def _move_to_next_segment(self) -> bool:
        following = [n for n in self._segment_numbers() if n > self._read_number]
        if not following:
            return False
        try:
            fd = os.open(self._path(following[0]), os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return False
        os.close(self._read_fd)
        skipped = following[0] != self._read_number + 1
        self._read_fd, self._read_number, self._read_offset = fd, following[0], 0
        if skipped:  # the segments in between were deleted before this process read them
            self._fanout.reset_all(self._id(self._read_number, 0))
        return True

    async def _events_between(
        self, after: Position, until: Position, *, user_id: str, session_id: str | None
    ) -> list[LiveEvent] | None:
        return await asyncio.to_thread(self._read_between, after, until)

    def _read_between(self, after: Position, until: Position) -> list[LiveEvent] | None:
        if len(after) != 2:
            return None
        events: list[LiveEvent] = []
        for number in range(after[0], until[0] + 1):
            start = after[1] if number == after[0] else 0
            end = until[1] if number == until[0] else None
            lines = self._segment_lines(number, start, end)
            if lines is None:
                return None
            for line_end, line in lines:
                event = decode_line(line, self._id(number, line_end))
                if event is not None:
                    events.append(event)
        return events

    def _segment_lines(
        self, number: int, start: int, end: int | None
    ) -> list[tuple[int, bytes]] | None:
        """The complete lines of a segment between two offsets (each with the offset just after
        it), or None when the segment is gone or `start` is not where a line starts."""
        try:
            with self._path(number).open("rb") as segment:
                if start > 0:
                    segment.seek(start - 1)
                    if segment.read(1) != b"\n":
                        return None
                data = segment.read() if end is None else segment.read(max(0, end - start))
        except FileNotFoundError:
            return None
        lines = []
        offset = start
        for line in data[: data.rfind(b"\n") + 1].splitlines(keepends=True):
            offset += len(line)
            lines.append((offset, line[:-1]))
        return lines

    # --- files ---------------------------------------------------------------------------

    def _path(self, number: int) -> Path:
        return self._directory / segment_name(number)

    def _id(self, number: int, offset: int) -> str:
        return f"{number}.{offset}"

    def _segment_numbers(self) -> list[int]:
        numbers = []
        for entry in os.scandir(self._directory):
            stem = entry.name.removesuffix(SUFFIX)
            if entry.name.endswith(SUFFIX) and stem.isdigit():
                numbers.append(int(stem))
        return sorted(numbers)

    @staticmethod
    def _end_of_last_line(fd: int) -> int:
        size = os.fstat(fd).st_size
        tail_start = max(0, size - READ_CHUNK)
        tail = os.pread(fd, size - tail_start, tail_start)
        return tail_start + tail.rfind(b"\n") + 1
