"""Cora, the offline FAQ assistant."""

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any, Literal

from cora.assistant.base import Assistant, ChatTurn, ReplyPiece
from cora.assistant.faq.conversation import (
    asks_for_a_person,
    asks_for_a_task,
    asks_for_personal_data,
    newest_question,
    split_questions,
)
from cora.assistant.faq.knowledge import FaqEntry, load_company, load_knowledge
from cora.assistant.faq.language import load_identifier, written_in_spanish
from cora.assistant.faq.matcher import Decision, FaqMatcher, Thresholds
from cora.assistant.faq.ranker import Ranker, load_ranker
from cora.assistant.faq.replies import answer_text, fallback_text, offer_text
from cora.assistant.faq.retrieval import FaqIndex
from cora.assistant.faq.safety import check_safety, safety_reply
from cora.assistant.faq.safety_es import SPANISH
from cora.assistant.faq.semantic import SemanticIndex
from cora.assistant.faq.smalltalk import REPLIES, classify_small_talk
from cora.assistant.streaming import word_pieces
from cora.heap import freeze_long_lived

PERSONAL_DATA_ENTRY = "contact-personal-data"
PERSON_ENTRY = "contact-agent"
SPANISH_ENTRY = "contact-spanish"


class FaqAssistant(Assistant):
    """Answers from the packaged knowledge base; the BM25 index is built at construction.

    The embedding model loads in a background thread on the first reply, which waits for it.
    Streams the reply text word by word, then one piece carrying the metadata:
    `{"source": "faq", "faq_id": <id>}` for an answer (plus `"also": <id>` and, in
    `"suggestions"`, its question, when the message asked a second question, which the reply
    offers), `faq_id: None` with `"fallback": True`
    when nothing matches confidently (plus `"suggestions"`: the questions of the closest entries,
    when some are close enough to offer, as the reply lists them), `faq_id: None` with
    `"small_talk": <kind>` for small talk, and `faq_id: None` with `"safety": <kind>` for a
    crisis or emergency, checked first. A message in Spanish gets its crisis line in Spanish,
    or else the way to reach a person who speaks Spanish (both with `"language": "es"`).
    """

    name = "faq"

    def __init__(
        self,
        entries: Sequence[FaqEntry] | None = None,
        thresholds: Thresholds | None = None,
        semantic: bool = True,
        ranker: Ranker | Literal["packaged"] | None = "packaged",
    ) -> None:
        self._entries = tuple(entries) if entries is not None else load_knowledge()
        self._by_id = {entry.id: entry for entry in self._entries}
        self._company = load_company()
        self._semantic = (
            SemanticIndex([(e.question, *e.alternatives) for e in self._entries])
            if semantic
            else None
        )
        self._index = FaqIndex(self._entries)
        chosen = load_ranker() if ranker == "packaged" else ranker
        self.matcher = FaqMatcher(self._index, thresholds or Thresholds(), self._semantic, chosen)
        self._warm = False

    async def warm_up(self) -> None:
        """Load the embedding model, the spelling corrector, the ranker's trigram index and the
        language identifier (BM25 alone if the embedding model fails)."""
        if self._warm:
            return
        await asyncio.to_thread(self._index.corrector)
        await asyncio.to_thread(load_identifier)
        await asyncio.to_thread(self.matcher.prepare)
        if self._semantic is not None:
            with contextlib.suppress(Exception):
                await self._semantic.ready()
        self._warm = True
        freeze_long_lived("the FAQ assistant's warm-up")

    async def reply(self, *, history: Sequence[ChatTurn]) -> AsyncGenerator[ReplyPiece, None]:
        await self.warm_up()
        text, metadata = self.compose(history)
        for piece in word_pieces(text):
            yield ReplyPiece(text=piece)
            await asyncio.sleep(0)
        yield ReplyPiece(metadata=metadata)

    def compose(self, history: Sequence[ChatTurn]) -> tuple[str, Mapping[str, Any]]:
        """The whole reply text and its metadata."""
        question = newest_question(history)
        if not question.strip():
            return self._decided(Decision(None, 0.0))
        early = self.reply_before_matching(question)
        if early is not None:
            return early
        parts = split_questions(question)
        if len(parts) > 1:
            return self._two_questions(history, parts)
        return self._decided(self.matcher.decide(history))

    def reply_before_matching(self, question: str) -> tuple[str, Mapping[str, Any]] | None:
        """The reply a message gets without the matcher: a crisis line (Spanish first), the way
        to a Spanish speaker, small talk, a person for personal data, or the fallback for a task
        Cora cannot do; None when the matcher decides."""
        crisis_es = SPANISH.kind(question)
        if crisis_es is not None:
            reply = SPANISH.reply(crisis_es, self._company["contact_es"])
            return reply, {"source": "faq", "faq_id": None, "safety": crisis_es, "language": "es"}
        crisis = check_safety(question)
        if crisis is not None:
            reply = safety_reply(crisis, self._company["contact"])
            return reply, {"source": "faq", "faq_id": None, "safety": crisis}
        if SPANISH_ENTRY in self._by_id and written_in_spanish(question):
            text, metadata = self._answer(self._by_id[SPANISH_ENTRY])
            return text, {**metadata, "language": "es"}
        small_talk = classify_small_talk(question)
        if small_talk is not None:
            return REPLIES[small_talk], {"source": "faq", "faq_id": None, "small_talk": small_talk}
        if asks_for_personal_data(question) and PERSONAL_DATA_ENTRY in self._by_id:
            return self._answer(self._by_id[PERSONAL_DATA_ENTRY])
        if asks_for_a_person(question) and PERSON_ENTRY in self._by_id:
            return self._answer(self._by_id[PERSON_ENTRY])
        if asks_for_a_task(question):
            return self._decided(Decision(None, 0.0))
        return None

    def _two_questions(
        self, history: Sequence[ChatTurn], parts: list[str]
    ) -> tuple[str, Mapping[str, Any]]:
        earlier = [*history[:-1]]
        first = self.matcher.decide([*earlier, ChatTurn("user", parts[0])])
        # The second question may refer to the first ("... and will it raise my rates?").
        asked = [*earlier, ChatTurn("user", parts[0]), ChatTurn("user", parts[1])]
        second = self.matcher.decide(asked)
        if first.entry is None or second.entry is None or first.entry == second.entry:
            return self._decided(self.matcher.decide(history))
        text, metadata = self._answer(first.entry)
        offer = {"also": second.entry.id, "suggestions": [second.entry.question]}
        return f"{text}\n\n{offer_text(second.entry)}", {**metadata, **offer}

    def _decided(self, decision: Decision) -> tuple[str, Mapping[str, Any]]:
        if decision.entry is None:
            text = fallback_text(self._entries, self._company["contact"], decision.suggestions)
            metadata: dict[str, Any] = {"source": "faq", "faq_id": None, "fallback": True}
            if decision.suggestions:
                metadata["suggestions"] = [entry.question for entry in decision.suggestions]
            return text, metadata
        return self._answer(decision.entry)

    def _answer(self, entry: FaqEntry) -> tuple[str, Mapping[str, Any]]:
        return answer_text(entry), {"source": "faq", "faq_id": entry.id}
