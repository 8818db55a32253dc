"""Accounts and access: password hashing, tokens, and who is asking."""
