"""Domain errors: each carries a message a clerk understands, shown as is in the UI.

Anything that is not a KestrelError is a bug: logged with its traceback, shown in the
crash dialog (STYLE habit 5).
"""

from __future__ import annotations


class KestrelError(Exception):
    """A known failure with a message meant for the person at the keyboard."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(KestrelError):
    """Input that cannot be accepted as given (field names the offending input)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotFound(KestrelError):
    pass


class OutOfStock(KestrelError):
    pass


class InvalidTransition(KestrelError):
    pass


class PermissionDenied(KestrelError):
    pass


class AuthenticationFailed(KestrelError):
    pass


class TooManyAttempts(AuthenticationFailed):
    """Sign-in refused unchecked: too many wrong passwords for the name or workstation."""


class ConflictError(KestrelError):
    """Another workstation changed the record first; reload and try again."""


class DatabaseUnavailable(KestrelError):
    pass


class CommitUncertain(DatabaseUnavailable):
    """The connection broke while COMMIT was on its way: the server may have kept the
    write. Never say "nothing was saved" then; a write with an idempotency key is asked
    about (or retried under the same key) instead of repeated."""


class SchemaError(KestrelError):
    """The database's schema is one this Kestrel must not touch (newer, or foreign)."""


class PrinterError(KestrelError):
    pass
