"""A keyed write as an operation: the sale and the refund carry an idempotency key, so when
the answer to their COMMIT is lost the screen asks the server by running the same write
again under the same key (an answer, never a second sale). The shape of
core/idempotency.run_once, on the operation helper instead of the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from app.core.errors import CommitUncertain, DatabaseUnavailable, KestrelError
from app.core.i18n import _
from app.db import ServiceSession as Session
from app.services.sales.checkout import KeyInFlight
from app.views.context import AppContext
from app.views.ops import op

T = TypeVar("T")


def run_keyed(  # noqa: PLR0913
    parent: QWidget,
    ctx: AppContext,
    work: Callable[[Session], T],
    *,
    busy: tuple[QWidget, ...],
    on_success: Callable[[T], None],
    on_failure: Callable[[KestrelError], None],
    on_done: Callable[[], None] | None = None,
) -> None:
    """`work` (which claims its key) as an `op`; after a lost COMMIT answer or a key racing
    another writer it runs once more. `on_failure` then gets CommitUncertain when the
    server could not be asked (the write may have landed), else the domain error."""

    retrying = False

    def finished() -> None:  # after success, failure or a bug: not while asking again
        if on_done is not None and not retrying:
            on_done()

    def ask_again(exc: KestrelError) -> None:
        nonlocal retrying
        if not isinstance(exc, CommitUncertain | KeyInFlight):
            on_failure(exc)
            return
        retrying = True
        lost = isinstance(exc, CommitUncertain)

        def second_failed(second: KestrelError) -> None:
            on_failure(_uncertain(second) if lost else second)

        def second_finished() -> None:
            if on_done is not None:
                on_done()

        again = op(parent, ctx, work).busy(*busy).on_success(on_success)
        again.on_failure(second_failed).finally_(second_finished).run()

    first = op(parent, ctx, work).busy(*busy).on_success(on_success).on_failure(ask_again)
    first.finally_(finished).run()


def _uncertain(exc: KestrelError) -> KestrelError:
    """The second try after a lost answer could not reach the server: it may have landed."""
    if isinstance(exc, DatabaseUnavailable) and not isinstance(exc, CommitUncertain):
        return CommitUncertain(
            _(
                "The server stopped answering as this was being saved, so it may have been "
                "saved; Kestrel could not ask it yet. ({reason})"
            ).format(reason=exc.message)
        )
    return exc
