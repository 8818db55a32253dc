"""A separate writer process for the concurrency and crash tests: appends through the store.

    python -m tests.system.writer DATA_DIR USER SESSION_ID COUNT PREFIX

Prints each message id once its append has returned (been acknowledged), one per line.
"""

import asyncio
import sys
import uuid
from pathlib import Path

from cora.domain import MessageRecord
from cora.store.json_files import JsonFileStore
from cora.timeutil import utc_now


async def append_many(data_dir: Path, user_id: str, session_id: str, count: int, prefix: str):
    store = JsonFileStore(data_dir)
    await store.open()
    for number in range(count):
        message = MessageRecord(
            id=str(uuid.uuid4()),
            sender="user",
            text=f"{prefix}-{number} " + "lorem ipsum " * (number % 40),
            timestamp=utc_now(),
        )
        await store.append_message(user_id=user_id, session_id=session_id, message=message)
        print(message.id, flush=True)
    await store.close()


if __name__ == "__main__":
    data, user, session, total, label = sys.argv[1:6]
    asyncio.run(append_many(Path(data), user, session, int(total), label))
