"""The naive reference the benchmarks compare against: what a first JSON-file store looks like.

Listing globs `<user_id>_*.json` and reads every file; appending reads the whole session,
appends, and rewrites the whole file.
"""

import json
from pathlib import Path
from typing import Any


class NaiveJsonStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def list_sessions(self, user_id: str, limit: int) -> list[dict[str, Any]]:
        sessions = []
        for path in self.directory.glob(f"{user_id}_*.json"):
            with path.open() as file:
                session = json.load(file)
            session.pop("messages")
            sessions.append(session)
        sessions.sort(key=lambda s: (s["updated_at"], s["session_id"]), reverse=True)
        return sessions[:limit]

    def append_message(self, user_id: str, session_id: str, message: dict[str, Any]) -> None:
        path = self.directory / f"{user_id}_{session_id}.json"
        with path.open() as file:
            session = json.load(file)
        session["messages"].append(message)
        session["updated_at"] = message["timestamp"]
        with path.open("w") as file:
            json.dump(session, file)
