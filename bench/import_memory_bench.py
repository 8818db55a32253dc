"""Peak memory of importing one large cora-sessions archive into the JSON store.

    .venv/bin/python bench/import_memory_bench.py [--mib 16]     (issue 13's figure: --mib 256)

Target (issue 13): the import's peak resident memory below 2x the body + 100 MB, the body
counted as held once in memory, as the route holds it.
"""

import argparse
import asyncio
import resource
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import orjson

from cora.services.sessions import Limits
from cora.services.transfer import TransferService
from cora.store.json_files import JsonFileStore

MIB = 1024 * 1024


def archive(target_bytes: int) -> bytes:
    """Sessions of 50 messages of ~400 characters each until the document reaches the size."""
    text = "How does my deductible work when the other driver is at fault? " * 6
    sessions, size = [], 0
    while size < target_bytes:
        messages = [
            {
                "id": str(uuid.uuid4()),
                "sender": "user" if n % 2 == 0 else "assistant",
                "text": text,
                "timestamp": "2026-01-01T10:00:00Z",
                "metadata": {},
            }
            for n in range(50)
        ]
        session = {
            "session_id": str(uuid.uuid4()),
            "user_id": "source",
            "title": "Claim",
            "created_at": "2026-01-01T10:00:00Z",
            "updated_at": "2026-01-01T10:00:00Z",
            "message_count": len(messages),
            "tags": [],
            "metadata": {},
            "messages": messages,
        }
        encoded = orjson.dumps(session)
        size += len(encoded) + 1
        sessions.append(orjson.Fragment(encoded))
    return orjson.dumps({"format": "cora-sessions", "version": 1, "sessions": sessions})


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(workdir: Path, body: bytes) -> int:
    store = JsonFileStore(workdir)
    await store.open()
    service = TransferService(store, Limits(max_message_chars=100_000, max_metadata_bytes=16384))
    result = await service.import_document(user_id="importer", data=body)
    await store.close()
    return len(result.imported)


def child(path: Path) -> None:
    """Import the archive at `path` and print: body bytes, sessions, peak RSS MiB, RSS before."""
    body = path.read_bytes()
    before = rss_mib()  # the interpreter, the modules and the body held once
    workdir = Path(tempfile.mkdtemp(prefix="cora-bench-import-"))
    try:
        imported = asyncio.run(run(workdir, body))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(len(body), imported, rss_mib(), before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=int, default=16)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    with tempfile.NamedTemporaryFile(suffix=".json") as document:
        document.write(archive(args.mib * MIB))
        document.flush()
        output = subprocess.run(
            [sys.executable, __file__, "--child", document.name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    size, imported, peak, before = (
        int(output[0]),
        int(output[1]),
        float(output[2]),
        float(output[3]),
    )
    body_mib = size / MIB
    limit = 2 * body_mib + 100
    print(f"import of {body_mib:.1f} MiB ({imported} sessions) into the JSON store:")
    print(f"  peak RSS {peak:.0f} MiB; {peak - before:.0f} MiB above the RSS with the body read")
    print(
        f"  peak/(2x body + 100 MiB) = {peak / limit:.2f} (target <= 1) "
        f"{'PASS' if peak <= limit else 'MISS'}"
    )


if __name__ == "__main__":
    main()
