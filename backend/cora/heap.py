"""Long-lived objects kept out of the garbage collector's full passes.

A full collection traverses every tracked object: with the store, the app and the FAQ
assistant's indexes loaded, that took 40-85 ms on a 2-core machine, during which the event loop
answers nothing (p99 of every route in the hundreds of milliseconds under load). Objects alive
once start-up (or the assistant's warm-up) has ended live as long as the process, so they are
moved to the permanent generation; reference counting still frees them if they are dropped.
"""

import gc
import logging

logger = logging.getLogger(__name__)


def freeze_long_lived(what: str) -> None:
    """Move every object tracked now out of the collector's reach (`gc.freeze`). No collection
    first: it would cost start-up a full pass (~40 ms) to spare a few hundred objects."""
    gc.freeze()
    logger.debug("%s: %d objects frozen", what, gc.get_freeze_count())
