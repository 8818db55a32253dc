"""LangChain memory kept in Cora: every turn of this chain is stored in a Cora session, where
the web app, the API and a later run of the chain all see it.

    pip install 'cora[langchain]'
    CORA_URL=http://127.0.0.1:8000 CORA_USERNAME=alice CORA_PASSWORD=... \\
        python examples/langchain_memory.py

Without CORA_USERNAME, the server is taken to run with `--auth none` and CORA_USER_ID (default
`alice`) names the user. FakeListChatModel answers from a list, so that this runs anywhere; put
any LangChain chat model in its place (for example `ChatOpenAI` from langchain-openai).
"""

import os
import warnings

from langchain_core.language_models import FakeListChatModel
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables.history import RunnableWithMessageHistory

from cora.client import CoraClient
from cora.integrations.langchain import CoraChatMessageHistory

# LangChain 1.x suggests LangGraph's persistence for new code; this API still works.
warnings.filterwarnings("ignore", message="RunnableWithMessageHistory is deprecated")

model = FakeListChatModel(
    responses=[
        "Hello Sam! How can I help with your policy?",
        "Your name is Sam.",
    ]
)
prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a helpful insurance assistant."),
        MessagesPlaceholder("history"),
        ("human", "{question}"),
    ]
)

with CoraClient(os.environ.get("CORA_URL", "http://127.0.0.1:8000")) as cora:
    if "CORA_USERNAME" in os.environ:
        user_id = cora.login(os.environ["CORA_USERNAME"], os.environ["CORA_PASSWORD"]).user_id
    else:
        user_id = os.environ.get("CORA_USER_ID", "alice")

    chain = RunnableWithMessageHistory(
        prompt | model,
        lambda session_id: CoraChatMessageHistory(session_id, user_id=user_id, client=cora),
        input_messages_key="question",
        history_messages_key="history",
    )

    session_id = cora.create_session(user_id, title="LangChain memory").session_id
    config = {"configurable": {"session_id": session_id}}
    for question in ["Hi, I am Sam.", "What is my name?"]:
        answer = chain.invoke({"question": question}, config=config)
        print(f"you: {question}\nbot: {answer.content}")

    print(f"Session {session_id} in Cora:")
    for message in cora.get_session(user_id, session_id).messages:
        print(f"  {message.sender}: {message.text}")
