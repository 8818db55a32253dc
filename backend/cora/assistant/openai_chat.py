"""Cora on any OpenAI-compatible chat-completions server (OpenAI, vLLM, Ollama, llama.cpp)."""

import logging
from collections.abc import AsyncGenerator, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx2
from openai import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncOpenAI,
    OpenAIError,
)
from openai.types.chat import ChatCompletionMessageParam

from cora.assistant.base import Assistant, AssistantError, ChatTurn, ReplyPiece
from cora.assistant.history import trim_history
from cora.assistant.prompts import SYSTEM_PROMPT

log = logging.getLogger(__name__)

# Local servers (vLLM, Ollama, llama.cpp) need no key, but the client insists on one.
_NO_KEY = "no-key"
_FAILURES = (OpenAIError, httpx2.HTTPError, httpx2.StreamError, ValueError)


class OpenAIChatAssistant(Assistant):
    """Streams the model's reply, then one piece with `{"source": "openai", "model": model}`."""

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        history_char_budget: int = 24000,
        system_prompt: str = SYSTEM_PROMPT,
        timeout: float = 60.0,
        max_retries: int = 1,
    ) -> None:
        self._model = model
        self.timeout = timeout
        self._budget = history_char_budget
        self._system_prompt = system_prompt
        self._client = AsyncOpenAI(
            base_url=base_url,
            api_key=api_key or _NO_KEY,
            timeout=timeout,
            max_retries=max_retries,
        )

    def messages(self, history: Sequence[ChatTurn]) -> list[ChatCompletionMessageParam]:
        """Cora's prompt, the session's system messages, then the trimmed conversation.

        System messages stored in the session (instructions from the operator or the app) come
        right after Cora's own prompt, in order, and are never trimmed away with old turns.
        """
        system = [turn for turn in history if turn.sender == "system" and turn.text.strip()]
        turns = trim_history([turn for turn in history if turn.sender != "system"], self._budget)
        prompt: ChatCompletionMessageParam = {"role": "system", "content": self._system_prompt}
        return [prompt, *map(_message, system), *map(_message, turns)]

    async def reply(self, *, history: Sequence[ChatTurn]) -> AsyncGenerator[ReplyPiece, None]:
        messages = self.messages(history)
        finished = produced = opened = False
        try:
            stream = await self._client.chat.completions.create(
                model=self._model, messages=messages, stream=True
            )
            opened = True
            async with stream:
                async for chunk in stream:
                    for choice in chunk.choices:
                        finished = finished or choice.finish_reason is not None
                        if choice.delta.content:
                            produced = True
                            yield ReplyPiece(text=choice.delta.content)
        except _FAILURES as error:
            log.warning("chat completion failed: %r", error)
            raise AssistantError(
                _describe(error, opened), retry_after=_retry_after(error)
            ) from error
        if not finished:
            raise AssistantError("The reply from the language model was cut off. Please try again.")
        if not produced:
            raise AssistantError("The language model returned an empty reply. Please try again.")
        yield ReplyPiece(metadata={"source": "openai", "model": self._model})

    async def aclose(self) -> None:
        await self._client.close()


def _message(turn: ChatTurn) -> ChatCompletionMessageParam:
    if turn.sender == "user":
        return {"role": "user", "content": turn.text}
    if turn.sender == "assistant":
        return {"role": "assistant", "content": turn.text}
    return {"role": "system", "content": turn.text}


def _describe(error: Exception, opened: bool) -> str:
    if isinstance(error, APITimeoutError | httpx2.TimeoutException):
        return "The language model took too long to answer. Please try again."
    if isinstance(error, APIConnectionError | httpx2.HTTPError | httpx2.StreamError):
        if opened:  # it had started answering, then the connection dropped
            return "The language model stopped answering. Please try again."
        return "The language model server cannot be reached right now. Please try again later."
    if isinstance(error, APIStatusError):
        if error.status_code == 429:
            return "The language model server is busy. Please try again in a moment."
        return (
            f"The language model server answered with an error (HTTP {error.status_code}). "
            "Please try again later."
        )
    if isinstance(error, ValueError):
        return "The language model server sent a reply that could not be read."
    return "The language model server reported an error while answering. Please try again."


def _retry_after(error: Exception) -> float | None:
    """The seconds a rate-limited or unavailable model server (429, 503) asked to wait, if it
    did: its `Retry-After`, in seconds or as an HTTP date."""
    if not isinstance(error, APIStatusError) or error.status_code not in (429, 503):
        return None
    value = error.response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
