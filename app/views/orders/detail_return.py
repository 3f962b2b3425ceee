"""Starting a return from an order's page: the lines that can come back, the dialog that
asks how many and why, then the return and its label in one transaction."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.core.i18n import _
from app.db import ServiceSession as Session
from app.services.sales.order_detail import OrderDetail
from app.views.context import AppContext
from app.views.ops import op, query


class OrderDetailWidget(Protocol):
    """What of the order's page a return needs (the page itself, without importing it)."""

    detail: OrderDetail | None
    ctx: AppContext
    return_button: QPushButton
    banner: QLabel
    info: QLabel

    def reload(self) -> None: ...


def start_return(page: OrderDetailWidget) -> None:
    from app.services.fulfilment import returns

    if page.detail is None:
        return
    order_id = page.detail.id
    (
        query(_widget(page), page.ctx, lambda s: returns.returnable_lines(s, order_id))
        .busy(page.return_button)
        .on_success(lambda lines: _ask_return(page, lines))
        .message(page.banner.setText)
        .run()
    )


def _ask_return(page: OrderDetailWidget, lines: list[object]) -> None:
    from app.services.fulfilment import returns
    from app.services.printing import documents
    from app.views.fulfilment.return_dialog import ReturnDialog

    detail = page.detail
    if detail is None:
        return
    dialog = ReturnDialog(detail.number, lines, _widget(page))
    if dialog.exec() != ReturnDialog.DialogCode.Accepted:
        return
    actor, station = page.ctx.actor, page.ctx.workstation.workstation_name
    quantities, reason = dialog.quantities(), dialog.reason()

    def create(session: Session) -> str:
        """The return and its label in one transaction (retried whole, so repeatable)."""
        rma = returns.create(session, actor, detail.id, quantities, reason)
        documents.print_return_label(session, actor, station, rma)
        return returns.get(session, rma).number

    def created(number: str) -> None:
        page.ctx.jobs_queued()
        page.banner.clear()
        page.info.setText(
            _("Return {number} created; its label is printing.").format(number=number)
        )
        page.reload()

    (
        op(_widget(page), page.ctx, create)
        .busy(page.return_button)
        .on_success(created)
        .message(page.banner.setText)
        .run()
    )


def _widget(page: OrderDetailWidget) -> QWidget:
    assert isinstance(page, QWidget)
    return page
