"""A TCP proxy on loopback in front of a real server, which can lose answers on purpose.

Each connection carries one request (the proxy asks the server for `Connection: close`). A rule
can make the proxy forward a matching request, wait until the server has answered it whole,
and then close the client's connection without relaying the answer (`drop_answers`), or answer
a request itself without forwarding it (`answer`)."""

import contextlib
import socket
import threading
from dataclasses import dataclass


@dataclass
class Rule:
    method: str
    path_part: str
    times: int
    canned: bytes | None = None  # None: forward, then drop the answer


class LossyProxy:
    def __init__(self, target_url: str) -> None:
        host, port = target_url.removeprefix("http://").split(":")
        self._target = (host, int(port))
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self.requests: list[str] = []
        self.dropped = 0
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def drop_answers(self, method: str, path_part: str, times: int = 1) -> None:
        with self._lock:
            self._rules.append(Rule(method, path_part, times))

    def answer(self, method: str, path_part: str, status: str, headers: dict[str, str], body: bytes,
               times: int = 1) -> None:  # fmt: skip
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        canned = (
            f"HTTP/1.1 {status}\r\n{head}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        with self._lock:
            self._rules.append(Rule(method, path_part, times, canned))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()
        self._accepting.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=10)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _rule_for(self, method: str, path: str) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.times > 0 and rule.method == method and rule.path_part in path:
                    rule.times -= 1
                    return rule
        return None

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            request = _read_request(conn)
            if request is None:
                return
            head, body = request
            method, path = head.split(b" ", 2)[:2]
            self.requests.append(f"{method.decode()} {path.decode()}")
            rule = self._rule_for(method.decode(), path.decode())
            if rule is not None and rule.canned is not None:
                conn.sendall(rule.canned)
                return
            answer = self._forward(_close_after(head) + body)
            if rule is not None:
                self.dropped += 1  # the server has answered; the client never hears it
                return
            conn.sendall(answer)

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self._target, timeout=30) as upstream:
            upstream.sendall(request)
            chunks = []
            while chunk := upstream.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _read_request(conn: socket.socket) -> tuple[bytes, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head, body


def _close_after(head: bytes) -> bytes:
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n"
