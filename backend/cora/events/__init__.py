"""Live updates (contract 3.8): what changed, published by the services, followed by SSE clients."""

from cora.events.base import EventBus, EventKind, LiveEvent
from cora.events.local import InProcessEventBus

__all__ = ["EventBus", "EventKind", "InProcessEventBus", "LiveEvent"]
