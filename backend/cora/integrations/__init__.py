"""Cora in other frameworks' terms. Each module needs its framework (an extra of `cora`)."""
