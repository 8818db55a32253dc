"""The events the services publish, built from store records in the API's shapes (3.8)."""

import orjson

from cora.domain import MessageRecord, SessionSummaryRecord
from cora.encoding import dumps, message_content, summary_content
from cora.events.base import LiveEvent


def session_changed(summary: SessionSummaryRecord) -> LiveEvent:
    data = dumps(summary_content(summary))
    return LiveEvent("session", summary.user_id, summary.session_id, data)


def session_deleted(user_id: str, session_id: str) -> LiveEvent:
    return LiveEvent("deleted", user_id, session_id, orjson.dumps({"session_id": session_id}))


def message_changed(user_id: str, session_id: str, message: MessageRecord) -> LiveEvent:
    data = dumps(message_content(message))
    return LiveEvent("message", user_id, session_id, data)


def delta(user_id: str, session_id: str, message_id: str, text: str) -> LiveEvent:
    data = orjson.dumps({"message_id": message_id, "text": text})
    return LiveEvent("delta", user_id, session_id, data)
