"""Which replies `cora review` lists from one session, and what it says about each."""

import dataclasses
from datetime import timedelta

from cora.domain import Feedback
from cora.services.review import HISTORY_TURNS, review_items
from cora.timeutil import utc_now
from tests.factories import new_message


def declined(text: str = "I'm not sure I understood", *, offset_seconds: float = 0):
    message = new_message(text, "assistant", offset_seconds=offset_seconds)
    metadata = {"source": "faq", "faq_id": None, "fallback": True}
    return dataclasses.replace(message, metadata=metadata)


def test_a_reply_before_the_window_is_left_out_even_in_a_recent_session() -> None:
    since = utc_now() - timedelta(days=1)
    messages = [
        new_message("old question", offset_seconds=-3 * 86400),
        declined(offset_seconds=-3 * 86400),
        new_message("new question"),
        declined(),
    ]

    assert [item["question"] for item in review_items(messages, since=since)] == ["new question"]


def test_system_messages_and_a_reply_to_no_user_message_are_skipped() -> None:
    since = utc_now() - timedelta(days=1)
    rated = dataclasses.replace(
        new_message("An answer", "assistant"), feedback=Feedback(rating="down")
    )
    messages = [
        rated,  # nothing asked before it (an imported session)
        new_message("Be brief", "system"),
        new_message("my question"),
        declined(),
    ]

    items = review_items(messages, since=since)

    assert [(item["question"], item["history"]) for item in items] == [
        ("my question", [{"assistant": "An answer"}])
    ]


def test_the_history_keeps_the_last_turns_before_the_question() -> None:
    since = utc_now() - timedelta(days=1)
    earlier = [new_message(f"turn {i}", "user" if i % 2 == 0 else "assistant") for i in range(9)]
    messages = [*earlier, new_message("and then?"), declined()]

    (item,) = review_items(messages, since=since)

    assert len(item["history"]) == HISTORY_TURNS
    assert item["history"][0] == {"assistant": "turn 5"}
    assert item["history"][-1] == {"user": "turn 8"}
    assert item["why"] == "declined" and item["expect"] == []


def test_a_liked_decline_is_still_a_decline_and_a_liked_answer_is_not_listed() -> None:
    since = utc_now() - timedelta(days=1)
    liked = dataclasses.replace(
        new_message("An answer", "assistant"), feedback=Feedback(rating="up")
    )
    messages = [new_message("q1"), liked, new_message("q2"), declined()]

    assert [item["question"] for item in review_items(messages, since=since)] == ["q2"]
