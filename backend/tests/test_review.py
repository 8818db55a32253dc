"""Which questions `cora review` lists from one session, and what it says about each."""

import dataclasses
from datetime import timedelta

from cora.domain import Feedback
from cora.services.review import HISTORY_TURNS, review_items
from cora.timeutil import format_timestamp, utc_now
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
    assert item["why"] == ["declined"] and item["expect"] == []


def test_a_decline_is_listed_liked_or_not_and_a_liked_answer_is_not() -> None:
    since = utc_now() - timedelta(days=1)
    liked_answer = dataclasses.replace(
        new_message("An answer", "assistant"), feedback=Feedback(rating="up")
    )
    liked_decline = dataclasses.replace(declined(), feedback=Feedback(rating="up"))
    disliked_decline = dataclasses.replace(declined(), feedback=Feedback(rating="down"))
    messages = [
        new_message("q1"),
        liked_answer,
        new_message("q2"),
        liked_decline,
        new_message("q3"),
        disliked_decline,
    ]

    items = review_items(messages, since=since)

    assert [(item["question"], item["why"]) for item in items] == [
        ("q2", ["declined"]),
        ("q3", ["declined", "rated down"]),
    ]


def test_nothing_before_a_crisis_line_is_listed_and_a_crisis_line_is_never_reviewed() -> None:
    since = utc_now() - timedelta(days=1)
    crisis_line = dataclasses.replace(
        new_message("Please call 988", "assistant"),
        metadata={"safety": "self_harm"},
        feedback=Feedback(rating="down"),
    )
    messages = [
        new_message("what a day"),
        new_message("something the user disclosed"),
        crisis_line,
        new_message("ok. how do I pay my bill"),
        declined(),
    ]

    (item,) = review_items(messages, since=since)

    assert item["question"] == "ok. how do I pay my bill"
    assert item["history"] == []


def test_the_history_is_what_the_assistant_saw_with_faq_answers_by_entry_id() -> None:
    since = utc_now() - timedelta(days=1)
    answer = dataclasses.replace(
        new_message("A deductible is...", "assistant"),
        metadata={"source": "faq", "faq_id": "deductible-what"},
    )
    failed = dataclasses.replace(new_message("", "assistant"), status="failed", metadata={})
    streaming = dataclasses.replace(declined(), status="streaming")
    messages = [
        new_message("what is a deductible"),
        answer,
        new_message("and for my car?"),
        failed,  # no text: the assistant never saw it
        new_message("and for my car?"),
        declined(),
        new_message("hello?"),
        streaming,  # not finished: not listed
    ]

    (item,) = review_items(messages, since=since)

    assert item["history"] == [
        {"user": "what is a deductible"},
        {"cora": "deductible-what"},
        {"user": "and for my car?"},
    ]


def test_a_question_answered_twice_is_listed_once_with_what_each_reply_was() -> None:
    since = utc_now() - timedelta(days=1)
    rated_answer = dataclasses.replace(
        new_message("An answer", "assistant"),
        metadata={"source": "faq", "faq_id": "claims-file"},
        feedback=Feedback(rating="down", comment="not what I asked"),
    )
    old_decline = declined(offset_seconds=-3 * 86400)
    messages = [
        new_message("book me a flight", offset_seconds=-3 * 86400),
        old_decline,  # before the window: neither counted nor its time shown
        declined(),  # regenerated
        rated_answer,  # regenerated again
        new_message("thanks"),
    ]

    (item,) = review_items(messages, since=since)

    assert item["question"] == "book me a flight"
    assert item["why"] == ["declined", "rated down"]
    assert item["replies"] == 2
    assert item["answered_with"] == "claims-file"  # the latest reply's
    assert item["comments"] == ["not what I asked"]
    assert item["at"] == format_timestamp(rated_answer.timestamp)


def test_the_suggestion_a_user_picked_after_a_decline_is_named_by_its_entry() -> None:
    since = utc_now() - timedelta(days=1)
    offer = dataclasses.replace(
        declined(),
        metadata={
            "faq_id": None,
            "fallback": True,
            "suggestions": ["What is SR-22?", "What is gap?"],
        },
    )
    gap_answer = dataclasses.replace(
        new_message("Gap insurance pays...", "assistant"), metadata={"faq_id": "auto-gap"}
    )
    odd = dataclasses.replace(declined(), metadata={"fallback": True, "suggestions": "What is"})
    messages = [
        new_message("the loan is more than the car"),
        offer,
        new_message("What is gap?"),  # the button's text
        gap_answer,
        new_message("and a boat"),
        declined(),
        new_message("What is SR-22?"),  # typed after a decline that did not offer it
        new_message("SR-22 is...", "assistant"),
        new_message("x"),
        odd,  # imported metadata of another shape: no pick, no error
        new_message("What"),
        gap_answer,
    ]

    items = review_items(messages, since=since)

    assert [(item["question"], item["picked"]) for item in items] == [
        ("the loan is more than the car", "auto-gap"),
        ("and a boat", None),
        ("x", None),
    ]
