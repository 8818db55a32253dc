"""Trimming a history to a character budget."""

import pytest

from cora.assistant.base import AssistantError, ChatTurn
from cora.assistant.history import trim_history


def turns(*specs: str) -> list[ChatTurn]:
    senders = {"u": "user", "a": "assistant", "s": "system"}
    return [ChatTurn(senders[spec[0]], spec[2:]) for spec in specs]  # type: ignore[arg-type]


def test_everything_fits() -> None:
    history = turns("u:hello", "a:hi", "u:how are you")
    assert trim_history(history, 100) == history


def test_drops_oldest_first() -> None:
    history = turns("u:aaaa", "a:bbbb", "u:cccc", "a:dddd", "u:eeee")
    assert trim_history(history, 12) == turns("u:cccc", "a:dddd", "u:eeee")


def test_window_starts_with_a_user_turn() -> None:
    history = turns("u:aaaa", "a:bbbb", "u:cccc")
    assert trim_history(history, 8) == turns("u:cccc")


def test_keeps_newest_user_message_over_budget() -> None:
    history = turns("u:old", "u:" + "x" * 50)
    assert trim_history(history, 10) == turns("u:" + "x" * 50)


def test_drops_turns_after_the_newest_user_message() -> None:
    history = turns("u:question", "a:")
    assert trim_history(history, 100) == turns("u:question")


def test_skips_empty_turns() -> None:
    history = turns("u:first", "a: ", "u:second")
    assert trim_history(history, 100) == turns("u:first", "u:second")


def test_no_user_message_is_an_error() -> None:
    with pytest.raises(AssistantError):
        trim_history(turns("a:hello"), 100)
