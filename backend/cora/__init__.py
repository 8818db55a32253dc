"""Cora: a self-hosted chat session service."""

__version__ = "0.1.0"
