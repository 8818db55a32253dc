"""Storage: one interface per kind of data, several back ends, chosen by `create_stores`."""

from cora.store.accounts import Account, AccountStore, LoginThrottle
from cora.store.base import ListPosition, SessionStore, SummaryPage
from cora.store.factory import Stores, create_stores

__all__ = [
    "Account",
    "AccountStore",
    "ListPosition",
    "LoginThrottle",
    "SessionStore",
    "Stores",
    "SummaryPage",
    "create_stores",
]
