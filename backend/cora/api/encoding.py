"""The JSON answer of the hot routes: records encoded by `cora.encoding`, not through models."""

from fastapi import Response

from cora.encoding import dumps, message_content, session_content, summary_content

__all__ = ["JsonBody", "message_content", "session_content", "summary_content"]


class JsonBody(Response):
    """A JSON answer whose content orjson encodes (times as `format_timestamp` writes them)."""

    media_type = "application/json"

    def render(self, content: object) -> bytes:
        return dumps(content)
