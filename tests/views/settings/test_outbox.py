"""Settings -> Outbox: a failed e-mail retried from the screen (by key) reaches a real SMTP
server on loopback and the lists follow it; cancel by Delete; greyed buttons say why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import update

from app.models import OutboxMessage
from app.services.notify import outbox, sender
from app.views.settings.outbox import OutboxPage
from tests.services.notify.conftest import SmtpServer, configure
from tests.views.conftest import show_active


def _failed(ctx, subject: str) -> int:
    with ctx.database.write() as s:
        # the demo store's own e-mails aside: this test watches its own
        s.execute(update(OutboxMessage).values(state="cancelled"))
        row = outbox.write(s, to="ines@example.com", subject=subject, text="Hello Ines")
        s.flush()
        row.state, row.attempts = "failed", 1
        row.last_error = "550 5.1.1 <ines@example.com>: Mailbox unavailable"
        return row.id


def _show(page: OutboxPage, view: str, settle) -> list[int]:
    page.which.setCurrentIndex(page.which.findData(view))
    settle()
    return [page.model.row(i).id for i in range(page.model.rowCount())]


def test_retry_from_the_screen_and_see_it_delivered(ctx, qtbot, settle, qtmodeltester):
    server = SmtpServer().start()
    try:
        configure(ctx.database, ctx.actor, server.port)
        message_id = _failed(ctx, "Your order SO-TEST shipped")
        page = OutboxPage(ctx)
        qtbot.addWidget(page)
        show_active(qtbot, page)
        assert _show(page, "failed", settle) == [message_id]
        qtmodeltester.check(page.model)
        error = page.model.index(0, 6).data()
        assert "550 5.1.1" in error and "Mailbox unavailable" in error
        assert not page.retry_button.isEnabled()
        assert "Select an e-mail" in page.retry_button.toolTip()
        page.table.setFocus()
        page.table.selectRow(0)
        assert page.retry_button.isEnabled()
        qtbot.keyClick(page.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        settle()
        qtbot.waitUntil(lambda: page.model.rowCount() == 0)  # left the failed list
        assert _show(page, "queued", settle) == [message_id]
        result = sender.drain(ctx.database, "till-1")  # the elected sender's round
        assert result.sent == 1
        qtbot.waitUntil(lambda: page.model.rowCount() == 0)  # followed the sender
        assert _show(page, "sent", settle) == [message_id]
        assert page.model.index(0, 2).data() == "Sent"
    finally:
        server.stop()
    assert [r.message["Subject"] for r in server.recorder.received] == [
        "Your order SO-TEST shipped"
    ]


def test_cancel_by_delete_and_greyed_for_a_cancelled_one(ctx, qtbot, settle):
    message_id = _failed(ctx, "Refund made")
    page = OutboxPage(ctx)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    assert _show(page, "failed", settle) == [message_id]
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert message_id in _show(page, "cancelled", settle)
    row = next(i for i in range(page.model.rowCount()) if page.model.row(i).id == message_id)
    page.table.selectRow(row)
    assert not page.cancel_button.isEnabled()
    assert "cancelled" in page.cancel_button.toolTip()
    assert page.message.text() == f"E-mail {message_id} cancelled."


def test_only_managers_get_the_mail_tabs(store, qapp):
    from app.config import WorkstationSettings
    from app.core import auth
    from app.views.app import build_context
    from app.views.settings.screen import SettingsScreen

    database, _admin = store
    cashier = auth.Actor(None, "cash", "Cass", auth.Role.CASHIER, "till-1")
    context = build_context(database, cashier, WorkstationSettings(workstation_name="till-1"))
    try:
        screen = SettingsScreen(context)
        titles = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
        assert "Outbox" not in titles
        screen.deleteLater()
    finally:
        context.bridge.close()
