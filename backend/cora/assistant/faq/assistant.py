"""Cora, the offline FAQ assistant."""

import asyncio
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any

from cora.assistant.base import Assistant, ChatTurn, ReplyPiece
from cora.assistant.faq.conversation import newest_question
from cora.assistant.faq.knowledge import FaqEntry, load_knowledge
from cora.assistant.faq.matcher import FaqMatcher, Thresholds
from cora.assistant.faq.replies import answer_text, fallback_text
from cora.assistant.faq.retrieval import FaqIndex
from cora.assistant.faq.smalltalk import REPLIES, classify_small_talk
from cora.assistant.streaming import word_pieces


class FaqAssistant(Assistant):
    """Answers from the packaged knowledge base; the index is built once, at construction.

    Streams the reply text word by word, then one piece carrying the metadata:
    `{"source": "faq", "faq_id": <id>}` for an answer, `faq_id: None` with `"fallback": True`
    when nothing matches well, and `faq_id: None` with `"small_talk": <kind>` for small talk.
    """

    name = "faq"

    def __init__(
        self,
        entries: Sequence[FaqEntry] | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self._entries = tuple(entries) if entries is not None else load_knowledge()
        self._matcher = FaqMatcher(FaqIndex(self._entries), thresholds or Thresholds())

    async def reply(self, *, history: Sequence[ChatTurn]) -> AsyncGenerator[ReplyPiece, None]:
        text, metadata = self.compose(history)
        for piece in word_pieces(text):
            yield ReplyPiece(text=piece)
            await asyncio.sleep(0)
        yield ReplyPiece(metadata=metadata)

    def compose(self, history: Sequence[ChatTurn]) -> tuple[str, Mapping[str, Any]]:
        """The whole reply text and its metadata."""
        small_talk = classify_small_talk(newest_question(history))
        if small_talk is not None:
            return REPLIES[small_talk], {"source": "faq", "faq_id": None, "small_talk": small_talk}
        entry = self._matcher.decide(history)
        if entry is None:
            return fallback_text(self._entries), {"source": "faq", "faq_id": None, "fallback": True}
        return answer_text(entry), {"source": "faq", "faq_id": entry.id}
