"""`cora serve` limits: a deadline for each request's head, and a cap on connections."""

import socket
import time
from urllib.parse import urlsplit

import httpx

DEADLINE = 15.0


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=DEADLINE)
    sock.settimeout(0.2)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """Sends one more byte of the head; whether the server has closed the connection."""
    try:
        sock.sendall(b"X")  # a reset that came in since the last read fails this send
        return sock.recv(4096) == b""
    except TimeoutError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True


def test_a_request_head_that_trickles_in_is_cut_off(server_factory) -> None:
    server = server_factory(env={"CORA_HEADER_TIMEOUT_SECONDS": "1"})
    with connect(server.url) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: cora\r\n")
        start = time.monotonic()
        closed = False
        while not closed and time.monotonic() - start < DEADLINE:
            closed = closed_by_server(sock)
        assert closed, "the server kept a trickling connection open"
    with httpx.Client(base_url=server.url) as http:
        for _ in range(3):
            assert http.get("/healthz").status_code == 200


def test_connections_past_the_cap_are_refused_with_503(server_factory) -> None:
    server = server_factory(env={"CORA_MAX_CONNECTIONS": "4", "CORA_HEADER_TIMEOUT_SECONDS": "30"})
    idle = [connect(server.url) for _ in range(4)]
    try:
        answer = None
        start = time.monotonic()
        while time.monotonic() - start < DEADLINE:
            answer = httpx.get(f"{server.url}/healthz")
            if answer.status_code == 503:
                break
            time.sleep(0.1)
        assert answer is not None
        assert answer.status_code == 503
    finally:
        for sock in idle:
            sock.close()
    start = time.monotonic()
    while httpx.get(f"{server.url}/healthz").status_code != 200:
        assert time.monotonic() - start < DEADLINE
        time.sleep(0.1)
