"""What both clients keep: the server's address, the bearer token, the retry policy."""

from __future__ import annotations

import httpx

from cora import __version__
from cora.client.retry import RetryPolicy
from cora.schemas import TokenResponse

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
CHAT_TIMEOUT = httpx.Timeout(300.0, connect=5.0)
"""For chats: a reply may take long to begin, and a chat given up on and tried again while the
first reply is still being written would have the assistant write a second one."""
USER_AGENT = f"cora-client/{__version__}"


class ClientBase:
    def __init__(
        self, token: str | None, retry: RetryPolicy | None, chat_timeout: float | httpx.Timeout
    ) -> None:
        self.token = token
        """The bearer token sent with every request (None in auth mode `none`)."""
        self.user_id: str | None = None
        """The logged-in user's id, after `login`."""
        self.retry = retry or RetryPolicy()
        self.chat_timeout = httpx.Timeout(chat_timeout)

    def _logged_in(self, answer: TokenResponse) -> TokenResponse:
        self.token = answer.access_token
        self.user_id = answer.user_id
        return answer
