from cora.config import Settings
from cora.store.base import SessionStore


def create_store(settings: Settings) -> SessionStore:
    """The back end the settings name, not yet opened."""
    if settings.storage == "json":
        from cora.store.json_files import JsonFileStore

        return JsonFileStore(settings.data_dir)
    raise ValueError(f"storage {settings.storage!r} is not available in this build")
