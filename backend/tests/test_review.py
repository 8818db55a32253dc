"""Which questions `cora review` lists from one session, and what it says about each."""

import dataclasses
from datetime import timedelta

from cora.domain import Feedback, MessageRecord, Rating
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


def test_a_rating_counts_from_when_it_was_given() -> None:
    """An old reply rated down in the window is listed; an old reply rated down before the
    window is not; a rating stored without its time counts from the reply's."""
    since = utc_now() - timedelta(days=1)
    old, recent = -3 * 86400, 0

    def rated(reply_offset: float, rated_offset: float | None) -> MessageRecord:
        reply = new_message("An answer", "assistant", offset_seconds=reply_offset)
        at = None if rated_offset is None else reply.timestamp + timedelta(seconds=rated_offset)
        return dataclasses.replace(reply, feedback=Feedback(rating="down"), feedback_at=at)

    messages = [
        new_message("old reply rated today", offset_seconds=old),
        rated(old, -old),
        new_message("old reply rated then", offset_seconds=old),
        rated(old, 60),
        new_message("old reply, no rating time", offset_seconds=old),
        rated(old, None),
        new_message("new reply, no rating time"),
        rated(recent, None),
    ]

    items = review_items(messages, since=since)

    assert [(item["question"], item["why"]) for item in items] == [
        ("old reply rated today", ["rated down"]),
        ("new reply, no rating time", ["rated down"]),
    ]


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


def test_nothing_before_the_last_crisis_line_is_listed_and_a_crisis_line_never_is() -> None:
    since = utc_now() - timedelta(days=1)
    crisis_line = dataclasses.replace(
        new_message("Please call 988", "assistant"),
        metadata={"safety": "self_harm"},
        feedback=Feedback(rating="down"),
    )
    messages = [
        new_message("what a day"),
        new_message("something the crisis check missed"),
        declined(),  # before the crisis line: not listed, though it declined
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


def test_a_question_answered_three_times_is_listed_once_with_its_latest_reply() -> None:
    since = utc_now() - timedelta(days=1)
    old_decline = declined(offset_seconds=-3 * 86400)
    offer = dataclasses.replace(
        declined(), metadata={"fallback": True, "suggestions": ["What is gap?"]}
    )
    rated_down = dataclasses.replace(offer, id="rated", feedback=Feedback("down", "no flights?"))
    answer = dataclasses.replace(
        new_message("Gap insurance pays...", "assistant"), metadata={"faq_id": "auto-gap"}
    )
    messages = [
        new_message("book me a flight", offset_seconds=-3 * 86400),
        old_decline,  # before the window: counted as a reply, not as a reason
        rated_down,  # regenerated
        answer,  # regenerated again: not listed itself, but it is what Cora said last
        new_message("thanks"),
    ]

    (item,) = review_items(messages, since=since)

    assert item["question"] == "book me a flight"
    assert item["why"] == ["declined", "rated down"]
    assert item["replies"] == 3
    assert (item["answered_with"], item["suggested"]) == ("auto-gap", [])
    assert item["comments"] == ["no flights?"]
    assert item["at"] == format_timestamp(answer.timestamp)


def test_the_suggestion_a_user_picked_after_a_decline_is_named_by_its_entry() -> None:
    since = utc_now() - timedelta(days=1)

    def offer(*suggestions: str) -> MessageRecord:
        metadata = {"faq_id": None, "fallback": True, "suggestions": list(suggestions)}
        return dataclasses.replace(declined(), metadata=metadata)

    def answer(faq_id: str, rating: Rating | None = None) -> MessageRecord:
        message = new_message(f"About {faq_id}...", "assistant")
        feedback = Feedback(rating) if rating else None
        return dataclasses.replace(message, metadata={"faq_id": faq_id}, feedback=feedback)

    messages = [
        new_message("the loan is more than the car"),
        offer("What is SR-22?", "What is gap?"),
        new_message("What is gap?"),  # the button's text
        answer("auto-gap"),
        new_message("and a boat"),
        offer("What is gap?"),
        new_message("What is SR-22?"),  # typed: not one of the suggestions
        answer("auto-sr22"),
        new_message("my van"),
        offer("What is gap?"),
        new_message("What is gap?"),
        answer("auto-gap", "down"),  # the pick did not help: no pick
        new_message("x"),
        dataclasses.replace(declined(), metadata={"fallback": True, "suggestions": "What is"}),
        new_message("What"),  # imported metadata of another shape: no pick, no error
        answer("auto-gap"),
    ]

    items = review_items(messages, since=since)

    assert [(item["question"], item["picked"]) for item in items] == [
        ("the loan is more than the car", "auto-gap"),
        ("and a boat", None),
        ("my van", None),
        ("What is gap?", None),  # its answer was rated down
        ("x", None),
    ]
    assert items[-1]["suggested"] == []


def test_an_empty_user_message_is_no_question_and_odd_metadata_is_not_copied() -> None:
    since = utc_now() - timedelta(days=1)
    odd = dataclasses.replace(
        declined(), metadata={"fallback": True, "faq_id": {"x": 1}, "suggestions": [1, 2]}
    )
    messages = [
        new_message("what is a deductible"),
        new_message("A deductible is...", "assistant"),
        new_message(""),  # an image-only message of an imported ChatGPT session, say
        declined(),  # answers no question that is listed
        new_message("and this?"),
        odd,
    ]

    (item,) = review_items(messages, since=since)

    assert item["question"] == "and this?"
    assert (item["answered_with"], item["suggested"]) == (None, [])
