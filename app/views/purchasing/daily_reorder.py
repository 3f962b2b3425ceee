"""The reorder run "once at the first sign-in of the day" (issue 16): started where a
sign-in completes, for someone who may buy (purchasing.manage), off the GUI thread; what
it did is said on the main window's status bar. The service decides whether today's run
already happened (services/purchasing/reorder.py: run_if_first_today)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow

from app.core.auth import Permission
from app.core.i18n import _, ngettext
from app.views.ops import op

if TYPE_CHECKING:
    from app.services.purchasing.reorder import ReorderResult
    from app.views.context import AppContext
    from app.views.tasks import Task

SHOWN_MS = 30_000


def summary(result: ReorderResult) -> str:
    """'Reorder: 3 draft purchase orders (12 lines); 2 overstock; 1 without a supplier'."""
    return _("Reorder: {summary}").format(summary=details(result))


def details(result: ReorderResult) -> str:
    """'3 draft purchase orders (12 lines); 2 overstock; 1 without a supplier'."""
    count = len(result.purchase_orders)
    parts = [
        ngettext(
            "{count} draft purchase order ({lines})",
            "{count} draft purchase orders ({lines})",
            count,
        ).format(
            count=count,
            lines=ngettext("{count} line", "{count} lines", result.line_count).format(
                count=result.line_count
            ),
        )
        if count
        else _("nothing to order")
    ]
    if result.overstock:
        parts.append(_("{count} overstock").format(count=len(result.overstock)))
    if result.skipped:
        parts.append(_("{count} without a supplier").format(count=len(result.skipped)))
    return "; ".join(parts)


def reorder_at_sign_in(window: QMainWindow, ctx: AppContext) -> Task | None:
    """Start today's run if the signed-in person may buy; None when they may not."""
    actor = ctx.actor
    if not actor.can(Permission.PURCHASING):
        return None
    from app.services.purchasing import reorder

    def show(result: ReorderResult | None) -> None:
        if result is not None:
            window.statusBar().showMessage(summary(result), SHOWN_MS)

    def refused(words: str) -> None:
        window.statusBar().showMessage(_("Reorder: {summary}").format(summary=words), SHOWN_MS)

    work = op(window, ctx, lambda s: reorder.run_if_first_today(s, actor))
    return work.on_success(show).message(refused).run()
