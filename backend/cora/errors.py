"""Domain errors. `cora.api.errors` maps each to an HTTP status; nothing here knows HTTP."""


class CoraError(Exception):
    """Base of every error Cora reports to a client; `str(err)` is safe to show."""


class SessionNotFound(CoraError):
    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} not found")


class MessageIdConflict(CoraError):
    def __init__(self, message_id: str) -> None:
        super().__init__(f"Message {message_id} is already stored with a different sender or text")


class ReplyInProgress(CoraError):
    def __init__(self, session_id: str) -> None:
        super().__init__(
            f"A reply is being written in session {session_id}; wait for it to end or stop it"
        )


class ReplyNotStreaming(CoraError):
    def __init__(self, message_id: str) -> None:
        super().__init__(f"Message {message_id} is not a reply being written")


class NothingToRegenerate(CoraError):
    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} has no user message to answer")


class UnknownMessage(CoraError):
    def __init__(self, message_id: str) -> None:
        super().__init__(f"Message {message_id} is not in this session")


class StaleSession(CoraError):
    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} has changed since the given ETag")


class InvalidCursor(CoraError):
    def __init__(self) -> None:
        super().__init__("The cursor is not one this server issued")


class PayloadTooLarge(CoraError):
    pass


class InvalidImport(CoraError):
    """An import document that is neither format, or is inconsistent; the message says where."""


class SessionCorrupt(CoraError):
    def __init__(self, session_id: str) -> None:
        super().__init__(f"Session {session_id} is stored in a form that cannot be read")


class StorageFull(CoraError):
    def __init__(self) -> None:
        super().__init__("Storage is full; nothing was written")


class StorageUnavailable(CoraError):
    def __init__(self, reason: str = "Storage is unavailable; try again shortly") -> None:
        super().__init__(reason)


class AssistantFailed(CoraError):
    """The assistant could not answer; the user's message stays stored."""


class UsernameTaken(CoraError):
    def __init__(self) -> None:
        super().__init__("That username is taken")


class InvalidCredentials(CoraError):
    def __init__(self, reason: str = "Incorrect username or password") -> None:
        super().__init__(reason)


class NotAuthenticated(CoraError):
    def __init__(self, reason: str = "Not authenticated") -> None:
        super().__init__(reason)


class NotYourSession(CoraError):
    def __init__(self) -> None:
        super().__init__("These sessions belong to another user")


class TooManyAttempts(CoraError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("Too many failed log-ins for this username; try again later")
        self.retry_after_seconds = retry_after_seconds
