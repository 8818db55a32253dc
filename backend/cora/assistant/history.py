"""Fitting a session's history into a model's context."""

from collections.abc import Sequence

from cora.assistant.base import AssistantError, ChatTurn


def trim_history(history: Sequence[ChatTurn], char_budget: int) -> list[ChatTurn]:
    """The newest turns whose texts fit in `char_budget` characters, oldest first.

    The newest user message is always kept, even alone over budget, and everything after it is
    dropped. Turns are dropped from the oldest end only, and the kept window starts with a user
    turn, since many chat templates reject a conversation that opens with the assistant.
    """
    turns = [turn for turn in history if turn.text.strip()]
    newest_user = _last_user_index(turns)
    kept = [turns[newest_user]]
    used = len(kept[0].text)
    for turn in reversed(turns[:newest_user]):
        used += len(turn.text)
        if used > char_budget:
            break
        kept.append(turn)
    kept.reverse()
    while kept[0].sender != "user":
        kept.pop(0)
    return kept


def _last_user_index(turns: Sequence[ChatTurn]) -> int:
    for index in range(len(turns) - 1, -1, -1):
        if turns[index].sender == "user":
            return index
    raise AssistantError("There is no message to reply to.")
