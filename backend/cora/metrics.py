"""Prometheus metrics: HTTP requests, store operations, the database pool, and the assistant.

With several worker processes, `cora serve` points PROMETHEUS_MULTIPROC_DIR at a fresh
directory so that `/metrics`, answered by any worker, reports all of them.
"""

import functools
import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from cora.domain import FeedbackChange, reply_kind

REQUESTS = Counter(
    "cora_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "cora_http_request_duration_seconds", "Time to answer HTTP requests", ["method", "route"]
)
STORE_SECONDS = Histogram(
    "cora_store_operation_duration_seconds",
    "Time spent in storage operations",
    ["backend", "operation"],
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5),
)
APPEND_BATCH = Histogram(
    "cora_store_append_batch_size",
    "Appends sent in one statement (PostgreSQL's group append)",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128),
)
READ_BATCH = Histogram(
    "cora_store_read_batch_size",
    "Reads of one kind sent in one statement (PostgreSQL's group reads): list, messages, session",
    ["read"],
    buckets=(1, 2, 4, 8, 16, 32, 64),
)
APPENDS_ALONE = Counter(
    "cora_store_appends_alone_total",
    "Appends a PostgreSQL batch left to be run alone: their session was held elsewhere (busy)"
    " or the batch failed as a whole (failed)",
    ["reason"],
)
POOL_CONNECTIONS = Gauge(
    "cora_db_pool_connections",
    "Database pool connections, by state",
    ["state"],
    multiprocess_mode="livesum",
)

ASSISTANT_REPLIES = Counter(
    "cora_assistant_replies_total",
    "Assistant replies stored, by how they ended (complete, stopped, failed, interrupted) and"
    " what they were (answered, declined, safety, small_talk, model, other)",
    ["status", "kind"],
)
REPLY_RATINGS = Counter(
    "cora_reply_ratings_total",
    "Ratings users gave assistant replies (3.10): a rating changed counts again, a comment added"
    " to the same rating does not",
    ["rating"],
)


def record_reply(status: str, metadata: Mapping[str, Any]) -> None:
    """Count a stored reply in `ASSISTANT_REPLIES`, its kind read from its metadata."""
    ASSISTANT_REPLIES.labels(status, reply_kind(metadata)).inc()


def record_rating(change: FeedbackChange) -> None:
    """Count a rating in `REPLY_RATINGS` when it is new: not when it is cleared or unchanged."""
    rating = change.message.feedback.rating if change.message.feedback else None
    before = change.previous.rating if change.previous else None
    if rating is not None and rating != before:
        REPLY_RATINGS.labels(rating).inc()


def measure_store(backend: str, operation: str) -> AbstractContextManager[object]:
    """Time the block into `STORE_SECONDS` (its labelled child looked up once per operation)."""
    return _store_seconds(backend, operation).time()


@functools.cache
def _store_seconds(backend: str, operation: str) -> Histogram:
    return STORE_SECONDS.labels(backend, operation)


def record_pool(stats: dict[str, int]) -> None:
    """Set the pool gauge from psycopg_pool's `get_stats()` (empty on the JSON store)."""
    if not stats:
        return
    size, idle = stats.get("pool_size", 0), stats.get("pool_available", 0)
    POOL_CONNECTIONS.labels("idle").set(idle)
    POOL_CONNECTIONS.labels("busy").set(size - idle)
    POOL_CONNECTIONS.labels("waiting").set(stats.get("requests_waiting", 0))


def render() -> tuple[bytes, str]:
    """The exposition text of this process, or of all workers in multiprocess mode."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
