"""Random (version 4) UUIDs from a per-process pool of the OS's random bytes.

`uuid.uuid4()` asks the kernel for 16 bytes each time; under load every such call lets another
thread take the interpreter, and the event loop waits to get it back. One read of 4 KiB serves
256 ids; the pool is emptied in a forked child so that no two processes hand out the same bytes.
"""

import os
import threading

_POOL_BYTES = 4096
_pool = bytearray()
_pool_lock = threading.Lock()


def _forget_pool() -> None:
    global _pool_lock
    _pool.clear()
    _pool_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_pool)


def new_uuid() -> str:
    """A new random UUID (version 4) as text."""
    with _pool_lock:
        if len(_pool) < 16:
            _pool[:] = os.urandom(_POOL_BYTES)
        chunk = _pool[-16:]
        del _pool[-16:]
    chunk[6] = chunk[6] & 0x0F | 0x40  # version 4
    chunk[8] = chunk[8] & 0x3F | 0x80  # RFC 4122 variant
    hexed = chunk.hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"
