"""Chat turns (contract 3.5): store the question and the reply being written in one write, have
the assistant answer, regenerate, stop.

One reply at a time per session: the store refuses a second one (`ReplyInProgress`), so a
conversation can never interleave. The reply itself is written by `reply_writer`.
"""

import asyncio
from dataclasses import dataclass

from cora import metrics
from cora.assistant.base import Assistant, ChatTurn
from cora.domain import MessageRecord
from cora.errors import NothingToRegenerate
from cora.events import EventBus, payloads
from cora.ids import new_uuid
from cora.replies import THIS_PROCESS, StopSignals
from cora.schemas import MessageCreate
from cora.services.reply_writer import Generation, Generations, ReplyTiming, ReplyWriter
from cora.services.sessions import SessionService
from cora.store.base import SessionStore
from cora.timeutil import utc_now

POLL_SECONDS = 0.1
ANSWERED = ("complete", "stopped")


@dataclass(frozen=True, slots=True)
class Turn:
    """A chat turn: the user's message, and the reply being written or the one already there."""

    user_message: MessageRecord
    generation: Generation | None
    earlier_reply: MessageRecord | None = None


class ChatService:
    def __init__(
        self,
        sessions: SessionService,
        store: SessionStore,
        assistant: Assistant,
        generations: Generations,
        events: EventBus,
        stops: StopSignals,
        *,
        context_messages: int,
        timing: ReplyTiming,
    ) -> None:
        self._sessions = sessions
        self._store = store
        self._generations = generations
        self._events = events
        self._stops = stops
        self._context_messages = context_messages
        self._timing = timing
        self._writer = ReplyWriter(store, stops, events, assistant, timing)

    async def send(
        self, *, user_id: str, session_id: str, text: str, message_id: str | None
    ) -> Turn:
        """Store the user's message and start the reply; a retry (same message id) gets the
        reply already written to it, waiting while it streams."""
        question = self._sessions.new_message(
            MessageCreate(sender="user", text=text, id=message_id)
        )
        await self._sessions.check_quota(user_id, question)
        reply = _new_reply()
        start = await self._store.start_reply(
            user_id=user_id,
            session_id=session_id,
            reply=reply,
            writer=THIS_PROCESS,
            question=question,
        )
        assert start.question is not None
        if not start.started:
            return await self._retried(user_id, session_id, start.question.message)
        await self._events.publish(payloads.message_changed(user_id, session_id, question))
        return await self._begin(user_id, session_id, question, reply)

    async def regenerate(self, *, user_id: str, session_id: str) -> Turn:
        """A new reply to the session's last user message, after the messages there."""
        question = await self._last_user_message(user_id, session_id)
        return await self._answer_again(user_id, session_id, question)

    async def stop(self, *, user_id: str, session_id: str) -> int:
        """End the session's streaming reply wherever it is written; 1 if there was one."""
        reply = await self._store.streaming_reply(user_id=user_id, session_id=session_id)
        if reply is None:
            return 0
        await self._stops.request(message_id=reply.id)
        self._generations.stop(session_id)
        if await self._ended_within(user_id, session_id, reply.id, self._timing.stop_wait_seconds):
            return 1
        ended = await self._store.end_reply(
            user_id=user_id,
            session_id=session_id,
            message_id=reply.id,
            status="stopped",
            metadata={"stopped": True},
        )
        if ended is not None:
            metrics.record_reply("stopped", ended.metadata)
            await self._stops.clear(message_id=reply.id)
            await self._events.publish(payloads.message_changed(user_id, session_id, ended))
            summary = await self._store.get_summary(user_id=user_id, session_id=session_id)
            await self._events.publish(payloads.session_changed(summary))
        return 1

    async def _begin(
        self, user_id: str, session_id: str, question: MessageRecord, reply: MessageRecord
    ) -> Turn:
        await self._events.publish(payloads.message_changed(user_id, session_id, reply))
        summary = await self._store.get_summary(user_id=user_id, session_id=session_id)
        await self._events.publish(payloads.session_changed(summary))
        history = await self._history(user_id, session_id, question)
        generation = Generation(user_id, session_id, reply, answering=question.id)
        generation.task = asyncio.create_task(self._writer.write(generation, history))
        self._generations.add(generation)
        generation.task.add_done_callback(lambda _: self._generations.discard(generation))
        return Turn(question, generation)

    async def _answer_again(self, user_id: str, session_id: str, question: MessageRecord) -> Turn:
        reply = _new_reply()
        await self._store.start_reply(
            user_id=user_id, session_id=session_id, reply=reply, writer=THIS_PROCESS
        )
        return await self._begin(user_id, session_id, question, reply)

    async def _retried(self, user_id: str, session_id: str, question: MessageRecord) -> Turn:
        earlier = await self._latest_reply_to(user_id, session_id, question.id)
        if earlier is not None and earlier.status == "streaming":
            await self._wait_for_end(user_id, session_id, earlier.id)
            earlier = await self._latest_reply_to(user_id, session_id, question.id)
        if earlier is not None and earlier.status in ANSWERED:
            return Turn(question, None, earlier)
        return await self._answer_again(user_id, session_id, question)

    async def _history(
        self, user_id: str, session_id: str, question: MessageRecord
    ) -> list[ChatTurn]:
        """The conversation up to and including `question`, latest messages last."""
        page = await self._store.list_messages(
            user_id=user_id,
            session_id=session_id,
            limit=max(self._context_messages - 1, 1),
            before=question.id,
        )
        messages = [*page.messages, question]
        return [ChatTurn(sender=m.sender, text=m.text) for m in messages if m.text]

    async def _latest_reply_to(
        self, user_id: str, session_id: str, question_id: str
    ) -> MessageRecord | None:
        page = await self._store.list_messages(
            user_id=user_id, session_id=session_id, limit=self._context_messages
        )
        ids = [m.id for m in page.messages]
        if question_id not in ids:
            return None
        latest = None
        for message in page.messages[ids.index(question_id) + 1 :]:
            if message.sender == "user":
                break
            if message.sender == "assistant":
                latest = message
        return latest

    async def _last_user_message(self, user_id: str, session_id: str) -> MessageRecord:
        before = None
        while True:
            page = await self._store.list_messages(
                user_id=user_id, session_id=session_id, limit=200, before=before
            )
            for message in reversed(page.messages):
                if message.sender == "user":
                    return message
            if not page.has_more or not page.messages:
                raise NothingToRegenerate(session_id)
            before = page.messages[0].id

    async def _wait_for_end(self, user_id: str, session_id: str, reply_id: str) -> None:
        while not await self._ended_within(user_id, session_id, reply_id, 60.0):
            pass

    async def _ended_within(
        self, user_id: str, session_id: str, reply_id: str, seconds: float
    ) -> bool:
        """Whether reply `reply_id` has stopped streaming, waiting up to `seconds` for it."""
        local = self._generations.writing(session_id, reply_id)
        if local is not None and local.task is not None:
            done, _ = await asyncio.wait({local.task}, timeout=seconds)
            return bool(done)
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            streaming = await self._store.streaming_reply(user_id=user_id, session_id=session_id)
            if streaming is None or streaming.id != reply_id:
                return True
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(POLL_SECONDS)


def _new_reply() -> MessageRecord:
    return MessageRecord(new_uuid(), "assistant", "", utc_now(), {}, "streaming")
