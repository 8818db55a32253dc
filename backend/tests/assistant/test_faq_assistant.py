"""Behaviour of the FAQ assistant's replies: streaming, sources, fallback, small talk, history."""

from collections.abc import Sequence

import pytest

from cora.assistant.base import ChatTurn, ReplyPiece
from cora.assistant.faq import FaqAssistant, Thresholds
from cora.assistant.faq.conversation import asks_for_a_task
from cora.assistant.faq.knowledge import load_knowledge


async def ask(faq: FaqAssistant, *history: ChatTurn) -> list[ReplyPiece]:
    return [piece async for piece in faq.reply(history=history)]


def text_of(pieces: Sequence[ReplyPiece]) -> str:
    return "".join(piece.text for piece in pieces)


def user(text: str) -> ChatTurn:
    return ChatTurn("user", text)


async def test_answer_streams_word_pieces_then_one_metadata_piece(faq: FaqAssistant) -> None:
    pieces = await ask(faq, user("How do I file a claim after a car accident?"))

    text_pieces, last = pieces[:-1], pieces[-1]
    assert len(text_pieces) > 20
    assert all(piece.text and not piece.metadata for piece in text_pieces)
    assert all(len(piece.text.split()) == 1 for piece in text_pieces)
    assert last == ReplyPiece(metadata={"source": "faq", "faq_id": "claims-file-auto"})


async def test_answer_names_its_source(faq: FaqAssistant) -> None:
    entry = {e.id: e for e in load_knowledge()}["claims-file-auto"]

    text = text_of(await ask(faq, user("How do I file a claim after a car accident?")))

    assert text.startswith(entry.answer)
    assert text.endswith(f"\n\nSource: {entry.question}")


async def test_fallback_is_honest_and_lists_topics(faq: FaqAssistant) -> None:
    pieces = await ask(faq, user("What's the capital of France?"))

    assert pieces[-1].metadata == {"source": "faq", "faq_id": None, "fallback": True}
    text = text_of(pieces)
    assert "I don't have a reliable answer" in text
    for topic in ("claims", "deductibles", "auto insurance", "health insurance", "documents"):
        assert topic in text
    assert "Source:" not in text


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Hi!", "greeting"),
        ("Who are you?", "greeting"),
        ("thanks a lot", "thanks"),
        ("Great, thank you for your help!", "thanks"),
        ("goodbye", "goodbye"),
        ("Thanks, bye!", "goodbye"),
    ],
)
async def test_small_talk_gets_a_short_reply(faq: FaqAssistant, message: str, kind: str) -> None:
    pieces = await ask(faq, user(message))

    assert pieces[-1].metadata == {"source": "faq", "faq_id": None, "small_talk": kind}
    assert 0 < len(text_of(pieces)) < 200


async def test_greeting_with_a_question_answers_the_question(faq: FaqAssistant) -> None:
    pieces = await ask(faq, user("Hi Cora, how do I reset my password?"))

    assert pieces[-1].metadata["faq_id"] == "account-login"


async def test_follow_up_uses_the_reply_cora_actually_gave(faq: FaqAssistant) -> None:
    first = user("My car got stolen from outside my house")
    reply = text_of(await ask(faq, first))

    pieces = await ask(faq, first, ChatTurn("assistant", reply), user("How long will that take?"))

    assert pieces[-1].metadata["faq_id"] == "claims-timeline"


async def test_off_topic_follow_up_does_not_ride_on_context(faq: FaqAssistant) -> None:
    first = user("How do I file a home insurance claim?")
    reply = text_of(await ask(faq, first))

    pieces = await ask(faq, first, ChatTurn("assistant", reply), user("Write me a poem about it"))

    assert pieces[-1].metadata.get("fallback") is True


async def test_yes_without_reference_does_not_repeat_the_last_answer(faq: FaqAssistant) -> None:
    first = user("How do I file a home insurance claim?")
    reply = text_of(await ask(faq, first))

    pieces = await ask(faq, first, ChatTurn("assistant", reply), user("yes"))

    assert pieces[-1].metadata.get("fallback") is True


async def test_empty_history_gets_the_fallback(faq: FaqAssistant) -> None:
    pieces = [piece async for piece in faq.reply(history=[])]

    assert pieces[-1].metadata.get("fallback") is True


async def test_each_entry_answers_its_own_phrasings(faq: FaqAssistant) -> None:
    misses = []
    for entry in load_knowledge():
        for question in (entry.question, *entry.alternatives):
            pieces = await ask(faq, user(question))
            if pieces[-1].metadata.get("faq_id") != entry.id:
                misses.append((question, entry.id, dict(pieces[-1].metadata)))
    assert misses == []


@pytest.mark.parametrize(
    ("message", "entry_id"),
    [
        ("File a claim", "claims-file"),
        ("How do I file a claim?", "claims-file"),
        ("I want to file a claim", "claims-file"),
        ("how do i make a claim", "claims-file"),
        ("Understand my deductible", "deductible-what"),
        ("What is a deductible?", "deductible-what"),
        ("how do deductibles work", "deductible-what"),
    ],
)
async def test_starter_prompts_and_plain_variants(
    faq: FaqAssistant, message: str, entry_id: str
) -> None:
    pieces = await ask(faq, user(message))

    assert pieces[-1].metadata == {"source": "faq", "faq_id": entry_id}


@pytest.mark.parametrize(
    ("message", "entry_id"),
    [
        ("give me a real person please this bot is useless", "contact-agent"),
        ("i want a real person not a bot", "contact-agent"),
        ("transfer me to a representative", "contact-agent"),
        ("Talk to a person", "contact-agent"),  # the web app's button under a decline
        ("Hablar con una persona", "contact-spanish"),  # the same button in Spanish
        ("Are you a bot or a real person?", "about-cora"),  # a question about Cora, not a request
        ("I need to add a person to my policy", "policy-add-driver"),
    ],
)
async def test_a_request_for_a_person_is_put_through(
    faq: FaqAssistant, message: str, entry_id: str
) -> None:
    pieces = await ask(faq, user(message))

    assert pieces[-1].metadata["faq_id"] == entry_id


@pytest.mark.parametrize(
    "message",
    ["what is my policy number", "how much do I owe", "what's my claim status", "whats my balance"],
)
async def test_personal_data_requests_go_to_a_person(faq: FaqAssistant, message: str) -> None:
    pieces = await ask(faq, user(message))

    assert pieces[-1].metadata["faq_id"] == "contact-personal-data"
    assert "can't see your policy" in text_of(pieces)


async def test_a_second_question_in_the_message_is_offered(faq: FaqAssistant) -> None:
    message = "How do I file a claim after a car accident and will it raise my rates?"
    pieces = await ask(faq, user(message))

    assert pieces[-1].metadata == {
        "source": "faq",
        "faq_id": "claims-file-auto",
        "also": "claims-rate-impact",
        "suggestions": ["Will filing a claim raise my premium?"],
    }
    assert "Will filing a claim raise my premium?" in text_of(pieces)


async def test_a_topic_switch_is_followed(faq: FaqAssistant) -> None:
    first = user("Is flood damage covered?")
    reply = text_of(await ask(faq, first))

    pieces = await ask(faq, first, ChatTurn("assistant", reply), user("how do I add a new car"))

    assert pieces[-1].metadata["faq_id"] == "policy-add-vehicle"


async def test_a_follow_up_naming_the_last_answer_by_a_pronoun_stays_on_it(
    faq: FaqAssistant,
) -> None:
    first = user("I'm moving to another state")
    reply = text_of(await ask(faq, first))
    assert "Source:" in reply

    pieces = await ask(
        faq, first, ChatTurn("assistant", reply), user("do I need a new policy there")
    )

    assert pieces[-1].metadata["faq_id"] == "policy-change-address"


async def test_unsure_offers_the_closest_topics_instead_of_answering() -> None:
    unsure = FaqAssistant(
        thresholds=Thresholds(answer=0.99, bm25_only_answer=0.99, lead=1.0), ranker=None
    )

    pieces = await ask(unsure, user("How do I file a claim?"))

    text = text_of(pieces)
    assert pieces[-1].metadata.get("fallback") is True
    assert "not sure" in text
    assert "Did you mean one of these?\n- How do I file a claim?" in text
    assert [f"- {question}" for question in pieces[-1].metadata["suggestions"]] == [
        line for line in text.splitlines() if line.startswith("- ")
    ]


async def test_a_vague_insurance_question_is_offered_the_closest_topics(faq: FaqAssistant) -> None:
    # Its best entry scores under the general bar for suggestions (0.3), over the one for a
    # message with an insurance word (0.25).
    pieces = await ask(faq, user("something with my claim"))

    assert pieces[-1].metadata["suggestions"][:2] == [
        "How can I check the status of my claim?",
        "How do I file a claim?",
    ]


async def test_the_last_suggestion_is_the_one_character_trigrams_rank_first(
    faq: FaqAssistant,
) -> None:
    # The blended ranking puts changing coverage sixth; the character trigrams put it first.
    pieces = await ask(faq, user("I want to drop collision on my old car."))

    assert pieces[-1].metadata["suggestions"][-1] == "How do I change my coverage or limits?"


async def test_a_decline_without_close_topics_carries_no_suggestions(faq: FaqAssistant) -> None:
    pieces = await ask(faq, user("Write me a limerick about my dog"))

    assert pieces[-1].metadata.get("fallback") is True
    assert "suggestions" not in pieces[-1].metadata


@pytest.mark.parametrize(
    "message",
    [
        "Write me a limerick about my dog",
        "translate thank you into French",
        "how do I jump start a car myself",
        "how to paint the bedroom",
        "how to winterize the sprinklers",
        "which laptop is best for a college student",
        "can you recommend a plumber in Tulsa",
        "who won the game last night",
        "can you do my taxes this year",
        "how do I earn credit card points faster",
        "how can I renew my drivers license",
    ],
)
async def test_requests_for_a_task_are_declined(faq: FaqAssistant, message: str) -> None:
    pieces = await ask(faq, user(message))

    assert asks_for_a_task(message)  # recognised, not merely scored too low
    assert pieces[-1].metadata == {"source": "faq", "faq_id": None, "fallback": True}


@pytest.mark.parametrize(
    "message",
    [
        "which forms do I need from you to do my taxes",
        "how long is my quote good for",
        "who is the best person to ask about my bill",
        "what are the best rates for a teen driver",
    ],
)
def test_a_question_sharing_words_with_a_task_is_not_one(message: str) -> None:
    assert not asks_for_a_task(message)


@pytest.mark.parametrize(
    "message",
    [
        "how do I fix the damage from a crash, do I file a claim?",
        "what's the best way to lower my premium",
        "can you recommend a good umbrella policy",
    ],
)
async def test_a_task_naming_insurance_is_still_answered(faq: FaqAssistant, message: str) -> None:
    pieces = await ask(faq, user(message))

    assert pieces[-1].metadata.get("faq_id") is not None


async def test_a_narrow_lead_the_semantic_signal_disputes_is_not_answered() -> None:
    strict = FaqAssistant(thresholds=Thresholds(agree_margin=1.0), ranker=None)
    lenient = FaqAssistant(thresholds=Thresholds(agree_margin=0.0), ranker=None)
    question = user("my father died, what happens to his car insurance")

    assert (await ask(lenient, question))[-1].metadata.get("faq_id") is not None
    assert (await ask(strict, question))[-1].metadata.get("fallback") is True


async def test_a_modest_score_with_a_wide_lead_is_answered() -> None:
    without_lead = FaqAssistant(thresholds=Thresholds(lead=1.0), ranker=None)
    with_lead = FaqAssistant(ranker=None)
    question = user("whats a copay")

    assert (await ask(without_lead, question))[-1].metadata.get("fallback") is True
    assert (await ask(with_lead, question))[-1].metadata["faq_id"] == "deductible-health"
