"""The sweep that ends replies whose writer is gone (contract 3.9).

Each server process sweeps once at start and then periodically: a reply whose lease has not
been renewed for `stale_after`, or whose writer is a process of this host that no longer runs,
becomes `interrupted` with the text it had, and its session takes new messages again.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from cora import metrics
from cora.domain import MessageRecord
from cora.errors import CoraError
from cora.events import EventBus, payloads
from cora.replies.stops import StopSignals
from cora.replies.writer import writer_gone
from cora.store.base import SessionStore

logger = logging.getLogger(__name__)

STOPS_KEPT_SECONDS = 3600.0


async def sweep(
    store: SessionStore,
    stops: StopSignals,
    events: EventBus,
    *,
    stale_after: timedelta,
    gone: Callable[[str], bool] = writer_gone,
) -> list[MessageRecord]:
    """End every reply whose writer is gone; the replies ended."""
    ended: list[MessageRecord] = []
    for streaming in await store.streaming_replies():
        lease = streaming.lease
        if streaming.age < stale_after and not gone(lease.writer):
            continue
        reply = await store.end_reply(
            user_id=streaming.user_id,
            session_id=streaming.session_id,
            message_id=lease.message_id,
            status="interrupted",
            metadata={},
            renewed_at=lease.renewed_at,
        )
        if reply is None:
            continue
        metrics.record_reply("interrupted", reply.metadata)
        logger.warning(
            "reply %s of session %s interrupted: its writer %s stopped %.0f s ago",
            reply.id,
            streaming.session_id,
            lease.writer or "(unknown)",
            streaming.age.total_seconds(),
        )
        await stops.clear(message_id=reply.id)
        await events.publish(
            payloads.message_changed(streaming.user_id, streaming.session_id, reply)
        )
        summary = await store.get_summary(
            user_id=streaming.user_id, session_id=streaming.session_id
        )
        await events.publish(payloads.session_changed(summary))
        ended.append(reply)
    await stops.clear_older_than(seconds=STOPS_KEPT_SECONDS)
    return ended


async def sweep_periodically(
    store: SessionStore,
    stops: StopSignals,
    events: EventBus,
    *,
    interval: float,
    stale_after: timedelta,
) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await sweep(store, stops, events, stale_after=stale_after)
        except CoraError as error:
            logger.warning("the sweep for interrupted replies failed: %s", error)
