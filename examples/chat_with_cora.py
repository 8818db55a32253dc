"""Chat with Cora from a script: log in, start a session, ask, stream an answer, read it back.

    CORA_URL=http://127.0.0.1:8000 CORA_USERNAME=alice CORA_PASSWORD=... \\
        python examples/chat_with_cora.py

Without CORA_USERNAME, the server is taken to run with `--auth none` and CORA_USER_ID (default
`alice`) names the user.
"""

import os

from cora.client import CoraClient, CoraClientError

with CoraClient(os.environ.get("CORA_URL", "http://127.0.0.1:8000")) as cora:
    if "CORA_USERNAME" in os.environ:
        user_id = cora.login(os.environ["CORA_USERNAME"], os.environ["CORA_PASSWORD"]).user_id
    else:
        user_id = os.environ.get("CORA_USER_ID", "alice")

    session = cora.create_session(user_id, tags=["example"])
    sid = session.session_id

    # One question, one answer: both are stored in the session.
    turn = cora.chat(user_id, sid, "What is a deductible?")
    print("Cora:", turn.reply.text)

    # The same, streamed: text as Cora writes it, then the stored reply.
    print("Cora: ", end="")
    for piece in cora.chat_stream(user_id, sid, "How do I file a claim?"):
        if isinstance(piece, str):
            print(piece, end="", flush=True)
    print()

    # Messages can also be stored without asking Cora anything.
    cora.append_message(user_id, sid, "user", "Thanks, that is all.")

    for message in cora.get_session(user_id, sid).messages:
        print(f"[{message.sender}] {message.text.splitlines()[0][:70]}")

    try:
        cora.get_session(user_id, "00000000-0000-4000-8000-000000000000")
    except CoraClientError as error:  # NotFound, a subclass, to be precise
        print(f"{type(error).__name__} {error.status}: {error.detail}")
