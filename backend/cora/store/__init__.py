"""Session storage: one interface (`SessionStore`), several back ends, chosen by `create_store`."""

from cora.store.base import ListPosition, SessionStore, SummaryPage
from cora.store.factory import create_store

__all__ = ["ListPosition", "SessionStore", "SummaryPage", "create_store"]
