"""The offline FAQ assistant: BM25 over a packaged insurance knowledge base."""

from cora.assistant.faq.assistant import FaqAssistant
from cora.assistant.faq.matcher import Thresholds

__all__ = ["FaqAssistant", "Thresholds"]
