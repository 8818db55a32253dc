"""A request whose client has gone stops being handled.

uvicorn does not cancel a handler when its client disconnects; for most requests that does not
matter, as they end in milliseconds. A search can read session files for seconds (3.4) and holds
one of its user's two search turns meanwhile, so `run_until_client_leaves` watches the connection
while the app handles a search and cancels the handling when the client goes.
"""

from urllib.parse import parse_qsl

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CLIENT_CLOSED_REQUEST = 499  # the status recorded for it (nginx's), never sent


def is_search(scope: Scope) -> bool:
    """A GET whose query asks for text (`q`, 3.4)."""
    query: bytes = scope["query_string"]
    if scope["method"] != "GET" or b"q=" not in query:
        return False
    return any(name == "q" and value for name, value in parse_qsl(query.decode("latin-1")))


async def run_until_client_leaves(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> bool:
    """Run `app` on a request whose body arrives in one piece (a GET's); cancel it if the client
    disconnects before the response is complete. Returns True if it was cancelled so."""
    request = await receive()
    whole = request["type"] == "http.request" and not request.get("more_body", False)
    client_left = anyio.Event()
    response_complete = False
    replayed = False

    async def app_receive() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return request
        if not whole:
            return await receive()
        await client_left.wait()
        return {"type": "http.disconnect"}

    if not whole:  # a body still coming (or already gone): the app reads it, nobody watches
        await app(scope, app_receive, send)
        return False

    async def app_send(message: Message) -> None:
        nonlocal response_complete
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            response_complete = True  # before sending: the server may say "disconnect" at once
        await send(message)

    async with anyio.create_task_group() as handling:

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            if not response_complete:  # the server also says "disconnect" once it has answered
                client_left.set()
                handling.cancel_scope.cancel()

        handling.start_soon(watch)
        await app(scope, app_receive, app_send)
        handling.cancel_scope.cancel()  # the watcher
    return client_left.is_set()
