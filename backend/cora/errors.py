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


class QuotaExceeded(CoraError):
    """The user's per-user storage quota would be exceeded; the message says which."""


class StorageUnavailable(CoraError):
    def __init__(self, reason: str = "Storage is unavailable; try again shortly") -> None:
        super().__init__(reason)


class AssistantFailed(CoraError):
    """The assistant could not answer; the user's message stays stored.

    `retry_after`: seconds the model server asked to wait (rate limited), sent as `Retry-After`.
    """

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class UsernameTaken(CoraError):
    def __init__(self) -> None:
        super().__init__("That username is taken")


class InvalidCredentials(CoraError):
    def __init__(self, reason: str = "Incorrect username or password") -> None:
        super().__init__(reason)


class NotAuthenticated(CoraError):
    def __init__(self, reason: str = "Not authenticated") -> None:
        super().__init__(reason)


class WrongPassword(CoraError):
    def __init__(self) -> None:
        super().__init__("The password is not correct")


class NotYourSession(CoraError):
    def __init__(self) -> None:
        super().__init__("These sessions belong to another user")


class TooManyAttempts(CoraError):
    def __init__(
        self,
        retry_after_seconds: int,
        reason: str = "Too many failed log-ins for this username; try again later",
    ) -> None:
        super().__init__(reason)
        self.retry_after_seconds = retry_after_seconds


class MessageNotFound(CoraError):
    """A message id in a path that names no message of the session (404)."""

    def __init__(self, message_id: str) -> None:
        super().__init__(f"Message {message_id} not found in this session")


class FeedbackNotAllowed(CoraError):
    def __init__(self, message_id: str) -> None:
        super().__init__(
            f"Message {message_id} is not an assistant message; only those take feedback"
        )


class SearchesBusy(CoraError):
    """The user already runs as many searches as one user may at once (429, Retry-After)."""

    retry_after_seconds = 1

    def __init__(self) -> None:
        super().__init__("Too many searches of this user at once; try again in a moment")
