"""A separate process that writes one streaming reply through the JSON store, for crash tests.

    python -m tests.system.reply_writer DATA_DIR USER SESSION_ID REPLY_ID

Grows the reply by one word per update (from the text stored), printing each text length once
its update has returned.
"""

import asyncio
import sys
from pathlib import Path

from cora.domain import MessageRecord
from cora.replies import THIS_PROCESS
from cora.store.json_files import JsonFileStore
from cora.timeutil import utc_now


def words(count: int) -> str:
    return "".join(f'w{n} \u00e9"\n ' for n in range(count))


async def grow(data_dir: Path, user_id: str, session_id: str, reply_id: str) -> None:
    store = JsonFileStore(data_dir)
    await store.open()
    timestamp = utc_now()
    stored = await store.streaming_reply(user_id=user_id, session_id=session_id)
    assert stored is not None and stored.id == reply_id
    for count in range(stored.text.count("\n ") + 1, 100_000):
        reply = MessageRecord(reply_id, "assistant", words(count), timestamp, {}, "streaming")
        await store.update_reply(
            user_id=user_id, session_id=session_id, reply=reply, writer=THIS_PROCESS
        )
        print(len(reply.text), flush=True)


if __name__ == "__main__":
    data, user, session, reply_id = sys.argv[1:5]
    asyncio.run(grow(Path(data), user, session, reply_id))
