"""One order in real widgets: a domain error in words, a reason asked for a cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog

from app.services.sales import order_actions
from app.services.sales.order_list import OrderQuery, list_orders
from app.views.main_window import MainWindow


def test_domain_error_is_shown_in_words(qtbot, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.screens["Orders"]
    with ctx.database.read() as s:
        web_new = list_orders(s, OrderQuery(status="new"), 0, 100)
    screen.open_order(web_new[0].id)
    settle()
    detail = screen.detail
    # another workstation changes the order behind this screen's back
    with ctx.database.write() as s:
        order_actions.add_note(s, ctx.actor, web_new[0].id, "customer called")
    settle()  # this screen reloads the order it shows; make it stale again by hand
    detail.detail = type(detail.detail)(**{**detail.detail.__dict__, "version": 0})
    qtbot.mouseClick(detail.buttons["accept"], Qt.MouseButton.LeftButton)
    settle()
    assert "was changed" in detail.banner.text()
    assert "Reload it" in detail.banner.text()


def test_cancel_asks_for_a_reason(qtbot, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.screens["Orders"]
    with ctx.database.read() as s:
        order = list_orders(s, OrderQuery(status="confirmed"), 0, 1)[0]
    screen.open_order(order.id)
    settle()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("duplicate order")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(50, answer)
    qtbot.mouseClick(screen.detail.buttons["cancel"], Qt.MouseButton.LeftButton)
    settle()
    assert screen.detail.status.text() == "Cancelled"
    rows = screen.detail.events_model.rows()
    assert "Cancelled: duplicate order" in rows[-2].message
    assert rows[-1].message.startswith("E-mail queued to ")  # the customer is told


def test_the_action_buttons_stay_in_place_after_accept(qtbot, ctx, settle):
    """A quick second click where Accept was lands on a greyed Accept (saying why), not on
    the next button that slid into its place."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen("Orders")
    with ctx.database.read() as s:
        order = list_orders(s, OrderQuery(status="new"), 0, 1)[0]
    screen.open_order(order.id)
    settle()
    detail = screen.detail
    accept = detail.buttons["accept"]
    where = accept.mapTo(window, accept.rect().center())
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    settle()
    assert detail.status.text() == "Accepted"
    under = window.childAt(where)
    assert under is accept and not accept.isEnabled()
    assert "cannot be accepted" in accept.toolTip()
    qtbot.mouseClick(under, Qt.MouseButton.LeftButton)  # the quick second click
    settle()
    assert detail.status.text() == "Accepted"  # nothing put on hold
    assert detail.buttons["hold"].isEnabled() and detail.buttons["confirm"].isEnabled()


def test_an_email_is_sent_again_from_the_timeline(qtbot, ctx, settle):
    from sqlalchemy import func, select

    from app.models import OutboxMessage

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.screens["Orders"]
    with ctx.database.read() as s:
        order = list_orders(s, OrderQuery(status="new"), 0, 1)[0]
    with ctx.database.write() as s:
        order_actions.accept(s, ctx.actor, order.id)  # queues the "accepted" e-mail

    def count() -> int:
        with ctx.database.read() as s:
            query = select(func.count()).where(OutboxMessage.order_id == order.id)
            return int(s.scalar(query.select_from(OutboxMessage)))

    before = count()
    screen.open_order(order.id)
    settle()
    detail = screen.detail
    assert not detail.resend_button.isEnabled()
    rows = detail.events_model.rows()
    mailed = max(i for i, row in enumerate(rows) if row.email_message_id)
    detail.events_view.selectRow(mailed)
    assert detail.resend_button.isEnabled()
    qtbot.mouseClick(detail.resend_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: count() == before + 1)
    assert "queued again" in detail.info.text()
    assert detail.events_model.rows()[-1].message.startswith("E-mail queued again")
