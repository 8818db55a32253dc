"""`CoraChatMessageHistory` as LangChain memory, against a real `cora serve`."""

import subprocess
import sys
import threading
import uuid

import pytest
from langchain_core.language_models import FakeListChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables.history import RunnableWithMessageHistory

from cora.client import CoraClient
from cora.integrations.langchain import CoraChatMessageHistory
from tests.client.conftest import Account

# LangChain 1.x marks RunnableWithMessageHistory deprecated (for LangGraph's persistence); it is
# still what many applications use, and what this memory is for.
pytestmark = pytest.mark.filterwarnings("ignore:RunnableWithMessageHistory is deprecated")

PROMPT = ChatPromptTemplate.from_messages(
    [("system", "You are Cora."), MessagesPlaceholder("history"), ("human", "{question}")]
)
ANSWERS = ["A deductible is what you pay first.", "Usually 500 dollars.", "You are welcome."]
QUESTIONS = ["What is a deductible?", "How much is it?", "Thanks!"]


def with_memory(cora: CoraClient, user_id: str) -> RunnableWithMessageHistory:
    chain = PROMPT | FakeListChatModel(responses=ANSWERS)
    return RunnableWithMessageHistory(
        chain,
        lambda session_id: CoraChatMessageHistory(session_id, user_id=user_id, client=cora),
        input_messages_key="question",
        history_messages_key="history",
    )


def test_three_turns_leave_six_messages_in_order(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    chain = with_memory(cora, account.user_id)
    config = {"configurable": {"session_id": sid}}
    answers = [chain.invoke({"question": q}, config=config).content for q in QUESTIONS]
    assert answers == ANSWERS
    stored = cora.get_session(account.user_id, sid).messages
    assert [(m.sender, m.text) for m in stored] == [
        (sender, text)
        for question, answer in zip(QUESTIONS, ANSWERS, strict=True)
        for sender, text in (("user", question), ("assistant", answer))
    ]
    again = CoraChatMessageHistory(sid, user_id=account.user_id, client=cora).messages
    assert [type(m) for m in again] == [HumanMessage, AIMessage] * 3
    assert [m.content for m in again] == [m.text for m in stored]


async def test_the_async_methods_with_an_async_client(account: Account) -> None:
    async with account.async_client() as acora:
        history = await CoraChatMessageHistory.acreate(acora, account.user_id, title="Async")
        chain = RunnableWithMessageHistory(
            PROMPT | FakeListChatModel(responses=ANSWERS),
            lambda _: history,
            input_messages_key="question",
            history_messages_key="history",
        )
        for question in QUESTIONS[:2]:
            await chain.ainvoke(
                {"question": question}, config={"configurable": {"session_id": "x"}}
            )
        texts = [m.content for m in await history.aget_messages()]
        assert texts == [QUESTIONS[0], ANSWERS[0], QUESTIONS[1], ANSWERS[1]]
        await history.aclear()
        assert await history.aget_messages() == []
        session = await acora.get_session(account.user_id, history.session_id)
        assert session.title == "Async" and session.message_count == 0
        with pytest.raises(TypeError):
            _ = history.messages


def test_ids_roles_and_idempotence(cora: CoraClient, account: Account) -> None:
    history = CoraChatMessageHistory.create(cora, account.user_id)
    given = str(uuid.uuid4()).upper()
    batch = [
        SystemMessage("Be brief.", id=given),
        HumanMessage("Hi"),
        AIMessage("Hello!", id="lc_run--not-a-uuid"),
    ]
    history.add_messages(batch)
    history.add_messages([batch[0], batch[2]])  # the same ids again: stored once
    stored = cora.get_session(account.user_id, history.session_id).messages
    assert [m.sender for m in stored] == ["system", "user", "assistant"]
    assert stored[0].id == given.lower()
    assert stored[2].metadata == {"langchain_id": "lc_run--not-a-uuid"}
    read = history.messages
    assert [m.id for m in read] == [given.lower(), stored[1].id, "lc_run--not-a-uuid"]
    assert [type(m) for m in read] == [SystemMessage, HumanMessage, AIMessage]
    with pytest.raises(ValueError, match="ToolMessage"):
        history.add_messages([ToolMessage("42", tool_call_id="call-1")])
    with pytest.raises(ValueError, match="has none"):
        history.add_messages([AIMessage("")])
    history.clear()
    assert history.messages == []


def test_two_histories_writing_at_once_lose_nothing(cora: CoraClient, account: Account) -> None:
    sid = cora.create_session(account.user_id).session_id
    turns = 15

    def converse(name: str) -> None:
        with account.client() as own:
            history = CoraChatMessageHistory(sid, user_id=account.user_id, client=own)
            for turn in range(turns):
                history.add_messages(
                    [HumanMessage(f"{name} asks {turn}"), AIMessage(f"{name} hears {turn}")]
                )

    writers = [threading.Thread(target=converse, args=(name,)) for name in ("ann", "bob")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    texts = [
        m.content
        for m in CoraChatMessageHistory(sid, user_id=account.user_id, client=cora).messages
    ]
    assert len(texts) == 4 * turns
    for name in ("ann", "bob"):
        own = [text for text in texts if text.startswith(name)]
        assert own == [
            text
            for turn in range(turns)
            for text in (f"{name} asks {turn}", f"{name} hears {turn}")
        ]


def test_without_langchain_the_import_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['langchain_core'] = None\n"
        "import cora.client\n"
        "try:\n"
        "    import cora.integrations.langchain\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'cora[langchain]'" in run.stdout


def test_a_streamed_chain_stores_the_question_and_the_whole_reply(
    cora: CoraClient, account: Account
) -> None:
    sid = cora.create_session(account.user_id).session_id
    chain = with_memory(cora, account.user_id)
    config = {"configurable": {"session_id": sid}}
    for question, answer in zip(QUESTIONS[:2], ANSWERS[:2], strict=True):
        chunks = list(chain.stream({"question": question}, config=config))
        assert len(chunks) > 1
        assert "".join(chunk.content for chunk in chunks) == answer
    stored = cora.get_session(account.user_id, sid).messages
    assert [(m.sender, m.text) for m in stored] == [
        ("user", QUESTIONS[0]),
        ("assistant", ANSWERS[0]),
        ("user", QUESTIONS[1]),
        ("assistant", ANSWERS[1]),
    ]


async def test_an_async_streamed_chain_stores_like_an_invoked_one(account: Account) -> None:
    async with account.async_client() as acora:
        history = await CoraChatMessageHistory.acreate(acora, account.user_id)
        chain = RunnableWithMessageHistory(
            PROMPT | FakeListChatModel(responses=ANSWERS),
            lambda _: history,
            input_messages_key="question",
            history_messages_key="history",
        )
        config = {"configurable": {"session_id": "x"}}
        pieces = [
            chunk.content async for chunk in chain.astream({"question": QUESTIONS[0]}, config)
        ]
        assert "".join(pieces) == ANSWERS[0]
        stored = await history.aget_messages()
    assert [(type(m), m.content) for m in stored] == [
        (HumanMessage, QUESTIONS[0]),
        (AIMessage, ANSWERS[0]),
    ]


def test_chunks_and_images_are_kept_as_text_with_a_note(cora: CoraClient, account: Account) -> None:
    history = CoraChatMessageHistory.create(cora, account.user_id)
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    history.add_messages(
        [
            HumanMessage(content=[{"type": "text", "text": "What is on this claim form?"}, image]),
            HumanMessage(content=[image]),
            AIMessageChunk(content="It is a ") + AIMessageChunk(content="windscreen claim."),
        ]
    )
    stored = cora.get_session(account.user_id, history.session_id).messages
    assert [(m.sender, m.text, m.metadata.get("langchain_omitted")) for m in stored] == [
        ("user", "What is on this claim form?", ["image_url"]),
        ("user", "[image_url left out]", ["image_url"]),
        ("assistant", "It is a windscreen claim.", None),
    ]
