"""Expiry (contract 3.7): sessions idle for `session_ttl_days` are deleted."""

import asyncio
import logging
from datetime import timedelta

from cora.errors import CoraError
from cora.events import EventBus, payloads
from cora.store.base import SessionStore
from cora.timeutil import utc_now

logger = logging.getLogger(__name__)

CLEANUP_INTERVAL_SECONDS = 3600.0


async def expire_idle_sessions(
    store: SessionStore, events: EventBus, *, ttl_days: int, dry_run: bool = False
) -> int:
    """Delete the idle sessions and announce each as `deleted` (3.8); how many."""
    cutoff = utc_now() - timedelta(days=ttl_days)
    deleted = await store.delete_sessions_updated_before(cutoff=cutoff, dry_run=dry_run)
    count = len(deleted)
    if dry_run:
        return count
    for user_id, session_id in deleted:
        await events.publish(payloads.session_deleted(user_id, session_id))
    if count:
        logger.info("deleted %d sessions idle for more than %d days", count, ttl_days)
    return count


async def clean_up_periodically(
    store: SessionStore,
    events: EventBus,
    *,
    ttl_days: int,
    interval: float = CLEANUP_INTERVAL_SECONDS,
) -> None:
    """Runs until cancelled; every worker may run one, as each deletion is checked under lock."""
    while True:
        try:
            await expire_idle_sessions(store, events, ttl_days=ttl_days)
        except CoraError as error:
            logger.warning("session clean-up failed, will retry: %s", error)
        await asyncio.sleep(interval)
