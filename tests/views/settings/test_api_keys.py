"""Settings -> API keys: a key made on the tab works through the service with the secret
shown once; revoked from the tab (Delete, asked first) it no longer does; a bad name is
refused in words; a cashier has no such tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.core.errors import PermissionDenied
from app.services.channels import api_keys
from app.views.settings.api_keys import ApiKeysPage
from tests.views.conftest import answer_modal, show_active


def _page(ctx, qtbot, settle) -> ApiKeysPage:
    page = ApiKeysPage(ctx)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    settle()
    return page


def test_create_use_and_revoke_from_the_tab(ctx, qtbot, settle, qtmodeltester):
    page = _page(ctx, qtbot, settle)
    assert not page.copy_button.isEnabled()
    page.name.setText("webshop")
    page.scopes["orders:read"].setChecked(True)
    page.scopes["stock:read"].setChecked(True)
    page.create_button.click()
    settle()
    key = page.secret.text()
    assert key.startswith("kst_") and "not be shown again" in page.secret_note.text()
    assert page.secret.isReadOnly() and page.copy_button.isEnabled()
    assert page.message.text() == "API key webshop made (orders:read, stock:read)."
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    qtmodeltester.check(page.model)
    assert page.model.index(0, 2).data() == "orders:read, stock:read"
    assert page.model.index(0, 5).data() == "Active"
    with ctx.database.write() as s:
        assert api_keys.authenticate(s, key, "stock:read").name == "webshop"

    page.table.setFocus()
    page.table.selectRow(0)
    answer_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle()
    assert page.message.text() == "API key webshop revoked: it no longer works."
    qtbot.waitUntil(lambda: page.model.index(0, 5).data().startswith("Revoked"))
    with ctx.database.write() as s, pytest.raises(PermissionDenied, match="revoked"):
        api_keys.authenticate(s, key, "stock:read")


def test_a_bad_name_is_refused_in_words(ctx, qtbot, settle):
    page = _page(ctx, qtbot, settle)
    page.name.setText("web shop!")
    page.scopes["orders:write"].setChecked(True)
    page.create_button.click()
    settle()
    assert "cannot name a key" in page.message.text()
    assert page.secret.text() == "" and page.model.rowCount() == 0
    assert page.name.text() == "web shop!"  # nothing typed is lost


def test_a_cashier_does_not_see_the_tab(store, qapp):
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
        assert "API keys" not in titles
        screen.deleteLater()
    finally:
        context.bridge.close()
