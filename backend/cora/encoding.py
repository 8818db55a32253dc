"""Records encoded as the API's JSON straight with orjson, for the hot routes and live events.

The routes still declare their `response_model` (the OpenAPI document is unchanged); these
functions give the same JSON as the models without building them. A record type that lacks one
of its model's fields (a field added to the model only) is encoded through the model instead.
"""

import dataclasses
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel

from cora.domain import MessageRecord, SessionRecord, SessionSummaryRecord
from cora.schemas import MessagePublic, SessionPublic, SessionSummary
from cora.timeutil import format_timestamp

JsonDict = dict[str, Any]


def _default(value: object) -> object:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(content: object) -> bytes:
    return orjson.dumps(content, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def _fields_encoder(
    model: type[BaseModel], record: type, through_model: Callable[[Any], BaseModel]
) -> Callable[[Any], JsonDict]:
    names = tuple(model.model_fields)
    if set(names) <= {f.name for f in dataclasses.fields(record)}:
        return lambda value: {name: getattr(value, name) for name in names}
    return lambda value: through_model(value).model_dump(mode="json")


_message = _fields_encoder(MessagePublic, MessageRecord, MessagePublic.from_record)
_summary = _fields_encoder(SessionSummary, SessionSummaryRecord, SessionSummary.from_record)
_SESSION_EXTRA = set(SessionPublic.model_fields) - set(SessionSummary.model_fields)


def message_content(message: MessageRecord) -> JsonDict:
    """What `MessagePublic.from_record(message)` gives as JSON."""
    return _message(message)


def summary_content(summary: SessionSummaryRecord) -> JsonDict:
    """What `SessionSummary.from_record(summary)` gives as JSON."""
    return _summary(summary)


def session_content(session: SessionRecord) -> JsonDict:
    """What `SessionPublic.from_session(session)` gives as JSON."""
    if {"messages"} != _SESSION_EXTRA:
        return SessionPublic.from_session(session).model_dump(mode="json")
    return {**_summary(session.summary), "messages": [_message(m) for m in session.messages]}
