"""Start-up leaves the process's long-lived objects out of the collector's full passes."""

import gc
from pathlib import Path

from cora.app import create_app
from cora.config import Settings


async def test_start_up_freezes_what_it_loaded(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", auth="none"))
    gc.unfreeze()
    try:
        async with app.router.lifespan_context(app):
            frozen = gc.get_freeze_count()
            assert frozen > 10_000  # the app, its store and the FAQ assistant's indexes
            assert len(gc.get_objects(generation=2)) < frozen
    finally:
        gc.unfreeze()
