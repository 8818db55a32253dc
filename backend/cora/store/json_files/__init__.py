from cora.store.json_files.store import JsonFileStore, ReindexReport

__all__ = ["JsonFileStore", "ReindexReport"]
