"""Assistants replying in chat sessions: the offline FAQ assistant, or OpenAI-compatible models."""

from cora.assistant.base import Assistant, AssistantError, ChatTurn, ReplyPiece, Sender
from cora.assistant.factory import create_assistant

__all__ = [
    "Assistant",
    "AssistantError",
    "ChatTurn",
    "ReplyPiece",
    "Sender",
    "create_assistant",
]
