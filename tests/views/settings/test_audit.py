"""The audit log screen: searched in the background, for managers only."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.views.main_window import MainWindow


def test_audit_log_screen_searches_and_is_for_managers(qtbot, ctx, store, settle):
    from dataclasses import replace

    from app.core import auth
    from app.services.access import login

    database, _actor = store
    login.sign_in(database, "admin", "admin-pass", "till-9")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.show_screen("Audit log")
    settle()
    assert screen.model.rowCount() >= 1
    qtbot.keyClicks(screen.text, "till-9")
    qtbot.waitUntil(
        lambda: [screen.model.row(i).action for i in range(screen.model.rowCount())] == ["login"]
    )
    cashier = MainWindow(replace(ctx, actor=replace(ctx.actor, role=auth.Role.CASHIER)))
    qtbot.addWidget(cashier)
    page = cashier.show_screen("Audit log")
    assert "managers" in page.findChild(QLabel, "not_yet").text()
