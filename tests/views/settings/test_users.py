"""app/views/settings/users.py: the Users tab in real widgets, on the demo store."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from app.config import WorkstationSettings
from app.core.auth import Actor, Role
from app.services.access import login, users
from app.views.app import build_context
from app.views.settings.screen import SettingsScreen
from app.views.settings.users import UsersPage


def _tabs(screen: SettingsScreen) -> list[str]:
    tabs = screen.findChild(QTabWidget, "settings_tabs")
    return [tabs.tabText(i) for i in range(tabs.count())]


def test_the_tabs_show_only_to_those_allowed(qtbot, ctx, store, settle):
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    settle()
    assert {"Users", "Shop"} <= set(_tabs(screen))
    database, admin = store
    for role, shown in ((Role.MANAGER, {"Shop"}), (Role.CASHIER, set())):
        other = build_context(
            database,
            Actor(admin.user_id, "x", "X", role, "till-1"),
            WorkstationSettings(workstation_name="till-1"),
        )
        page = SettingsScreen(other)
        qtbot.addWidget(page)
        settle()
        assert {"Users", "Shop"} & set(_tabs(page)) == shown
        other.bridge.close()


def _page(qtbot, ctx, settle, qtmodeltester) -> UsersPage:
    page = UsersPage(ctx)
    qtbot.addWidget(page)
    page.show()
    settle()
    qtmodeltester.check(page.model)
    return page


def test_add_disable_role_reset_and_force(qtbot, ctx, settle, qtmodeltester):
    page = _page(qtbot, ctx, settle, qtmodeltester)
    assert [r.username for r in page.model.rows()] == ["admin"]
    qtbot.keyClicks(page.username, "cara")
    qtbot.keyClicks(page.display_name, "Cara Cashier")
    page.role.setCurrentIndex(page.role.findData(Role.CASHIER.value))
    qtbot.keyClicks(page.password, "short")
    qtbot.mouseClick(page.buttons["add"], Qt.MouseButton.LeftButton)
    settle()
    assert "at least 10" in page.message.text()
    page.password.clear()
    qtbot.keyClicks(page.password, "cash-drawer-9")
    qtbot.mouseClick(page.buttons["add"], Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "cara added as Cashier."
    assert [r.username for r in page.model.rows()] == ["admin", "cara"]
    assert login.sign_in(ctx.database, "cara", "cash-drawer-9").role is Role.CASHIER

    page.select("cara")
    qtbot.mouseClick(page.buttons["toggle"], Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "cara is now disabled."
    assert not next(r for r in page.model.rows() if r.username == "cara").active

    page.select("cara")
    page.role.setCurrentIndex(page.role.findData(Role.CLERK.value))
    qtbot.mouseClick(page.buttons["set_role"], Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "cara is now Order clerk."

    page.select("cara")
    qtbot.keyClicks(page.password, "fresh-start-22")
    page.must_change.setChecked(True)
    qtbot.mouseClick(page.buttons["reset"], Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "The password of cara is reset."
    assert page.password.text() == ""

    page.select("admin")
    qtbot.mouseClick(page.buttons["toggle"], Qt.MouseButton.LeftButton)
    settle()
    assert "yourself" in page.message.text()
    page.select("admin")
    qtbot.mouseClick(page.buttons["force"], Qt.MouseButton.LeftButton)
    settle()
    with ctx.database.read() as s:
        rows = {r.username: r for r in users.list_users(s, ctx.actor)}
    assert rows["admin"].must_change_password and rows["cara"].must_change_password
    assert (rows["cara"].role, rows["cara"].active) == (Role.CLERK, False)


def test_nothing_selected_is_said(qtbot, ctx, settle, qtmodeltester):
    page = _page(qtbot, ctx, settle, qtmodeltester)
    page.table.clearSelection()
    qtbot.mouseClick(page.buttons["toggle"], Qt.MouseButton.LeftButton)
    assert page.message.text() == "Select a user in the list first."


def test_a_users_language(qtbot, ctx, settle, qtmodeltester):
    page = _page(qtbot, ctx, settle, qtmodeltester)
    page.select("admin")
    page.language.setCurrentIndex(page.language.findData("de"))
    assert page.language.currentText() == "Deutsch"
    qtbot.mouseClick(page.buttons["set_language"], Qt.MouseButton.LeftButton)
    settle()
    assert page.message.text() == "admin sees Kestrel in Deutsch from the next sign-in."
    assert next(r for r in page.model.rows() if r.username == "admin").language == "de"
    with ctx.database.read() as s:
        assert [r.language for r in users.list_users(s, ctx.actor)] == ["de"]
