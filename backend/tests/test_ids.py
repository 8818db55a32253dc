"""Random ids from the per-process pool of random bytes."""

import os
import uuid

from cora.ids import new_uuid


def test_ids_are_distinct_version_4_uuids() -> None:
    ids = [new_uuid() for _ in range(2000)]  # several refills of the pool
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(text).version == 4 and str(uuid.UUID(text)) == text for text in ids)
    assert {uuid.UUID(text).variant for text in ids} == {uuid.RFC_4122}


def test_a_forked_process_does_not_hand_out_its_parents_ids() -> None:
    new_uuid()  # the pool is filled before the fork
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(writing, new_uuid().encode())
        os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    from_child = os.read(reading, 100).decode()
    os.close(reading)
    assert from_child != new_uuid()
