"""A test reader of a live event stream: reads in a thread, keeps what arrived for polling."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

WAIT = 10.0


@dataclass(frozen=True)
class Received:
    id: str
    event: str
    data: Any
    at: float  # time.monotonic() when it arrived


class Listener:
    """`GET url` as an event stream; `events`, `comments`, `status` fill in as they arrive."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.url = url
        self.headers = {"Accept": "text/event-stream", **(headers or {})}
        self.events: list[Received] = []
        self.comments = 0
        self.status: int | None = None
        self.ended = False
        self.local_port = 0
        self._connected = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._connected.wait(WAIT), f"no answer from {url}"

    def _read(self) -> None:
        timeout = httpx.Timeout(WAIT, read=None)
        try:
            with httpx.stream("GET", self.url, headers=self.headers, timeout=timeout) as response:
                self.status = response.status_code
                stream = response.extensions.get("network_stream")
                if stream is not None:
                    self.local_port = stream.get_extra_info("client_addr")[1]
                fields: dict[str, str] = {}
                lines = response.iter_lines()
                for line in lines:
                    if line.startswith(":"):
                        self.comments += 1
                        self._connected.set()
                    elif line:
                        name, _, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
                    elif fields:
                        data = orjson.loads(fields.get("data", "null"))
                        received = Received(
                            fields.get("id", ""), fields.get("event", ""), data, time.monotonic()
                        )
                        self.events.append(received)
                        fields = {}
        except httpx.HTTPError:
            pass
        finally:
            self.ended = True
            self._connected.set()

    def wait_for(
        self, condition: Callable[[list[Received]], bool], timeout: float = WAIT
    ) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition(list(self.events)):
                return list(self.events)
            time.sleep(0.01)
        raise AssertionError(f"not received in {timeout} s; got {self.events}")

    def wait_for_count(self, count: int, timeout: float = WAIT) -> list[Received]:
        return self.wait_for(lambda events: len(events) >= count, timeout)

    def kinds(self) -> list[str]:
        return [event.event for event in self.events]
