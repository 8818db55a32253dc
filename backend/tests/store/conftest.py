"""Fixtures of the store tests."""

from pathlib import Path

import pytest

from cora.store.json_files import JsonFileStore


@pytest.fixture
async def json_store(tmp_path: Path):
    """A JSON store on `tmp_path`, open for the test."""
    store = JsonFileStore(tmp_path)
    await store.open()
    yield store
    await store.close()
