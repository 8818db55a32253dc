"""`cora fsck [--salvage]` (contract 6): damaged files listed (exit 1), torn ends left to the
server, nothing rewritten without `--salvage`; salvage keeps the original bytes."""

import asyncio
import subprocess
import sys
from pathlib import Path

from cora.store.json_files import JsonFileStore
from tests.factories import new_message, new_session


async def three_sessions(data_dir: Path) -> list[Path]:
    store = JsonFileStore(data_dir)
    await store.open()
    paths = []
    for _ in range(3):
        record = new_session()
        await store.create_session(session=record)
        for text in ("first", "second", "third"):
            await store.append_message(
                user_id="alice", session_id=record.session_id, message=new_message(text)
            )
        paths.append(data_dir / "sessions" / f"alice_{record.session_id}.json")
    await store.close()
    return paths


def fsck(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cora", "fsck", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
    )


def test_fsck_lists_and_salvages_damaged_files(tmp_path) -> None:
    data_dir = tmp_path / "data"
    fine, torn, damaged = asyncio.run(three_sessions(data_dir))
    whole = torn.read_bytes()
    # An append cut short: it overwrites the trailer from its start and stops half-way.
    cut = whole[: whole.rindex(b"\n],") + 1] + b',{"id":"half a line'
    torn.write_bytes(cut + whole[len(cut) :])  # the rest of the old trailer stays
    lines = damaged.read_bytes().split(b"\n")
    lines[2] = lines[2][:10] + b"\x00garbage" + lines[2][20:]
    damaged.write_bytes(b"\n".join(lines))
    before = {path: path.read_bytes() for path in (fine, torn, damaged)}

    listed = fsck(data_dir)
    assert listed.returncode == 1, listed.stderr
    assert f"damaged: {damaged}" in listed.stdout
    assert f"torn end (repaired at its next use): {torn}" in listed.stdout
    assert str(fine) not in listed.stdout
    assert {path: path.read_bytes() for path in before} == before

    salvaged = fsck(data_dir, "--salvage")
    assert salvaged.returncode == 1
    assert f"salvaged 2 messages: {damaged}" in salvaged.stdout
    kept = list(damaged.parent.glob(f"{damaged.name}.damaged-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == before[damaged]
    assert fine.read_bytes() == before[fine]
    assert torn.read_bytes() == before[torn]

    again = fsck(data_dir)
    assert again.returncode == 0, again.stdout
    store = JsonFileStore(data_dir)
    session_id = damaged.stem.split("_", 1)[1]

    async def read_back() -> list[str]:
        await store.open()
        try:
            record = await store.get_session(user_id="alice", session_id=session_id)
        finally:
            await store.close()
        return [message.text for message in record.messages]

    assert asyncio.run(read_back()) == ["first", "third"]


def test_fsck_calls_a_truncated_file_damaged_not_torn(tmp_path) -> None:
    data_dir = tmp_path / "data"
    fine, truncated, _ = asyncio.run(three_sessions(data_dir))
    whole = truncated.read_bytes()
    # Cut just before the last message line: what is left looks like a torn append, but the
    # index knows the file was longer and held one more acknowledged message.
    truncated.write_bytes(whole[: whole.rindex(b"\n,") + 1] + b',{"id":"')

    listed = fsck(data_dir)
    assert listed.returncode == 1, listed.stderr
    assert f"damaged: {truncated}" in listed.stdout
    assert "torn end" not in listed.stdout
    assert str(fine) not in listed.stdout
