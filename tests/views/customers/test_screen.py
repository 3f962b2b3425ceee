"""The Customers screen: a scanned order number finds its customer ("where is my order"),
typing searches, results page, a new customer's bad e-mail is refused in words naming the
field, and two duplicates are merged with the survivor chosen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from sqlalchemy import select

from app.config import WorkstationSettings
from app.core.auth import Actor, Role
from app.models import SalesOrder
from app.services.sales import customers
from app.services.sales.customer_detail import get_customer
from app.services.sales.customers import CustomerInput
from app.services.stock.integrity import check
from app.views.app import build_context
from app.views.customers.screen import CustomersScreen
from app.views.main_window import MainWindow
from app.views.scanner import ScannerFilter
from tests.views import keyboard
from tests.views.conftest import show_active


@pytest.fixture
def window(qtbot, qapp, ctx):
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    show_active(qtbot, main)
    scanner = ScannerFilter(parent=main)
    scanner.scanned.connect(main.route_scan)
    scanner.install(qapp)
    yield main
    qapp.removeEventFilter(scanner)


def test_a_scanned_order_number_finds_its_customer(qtbot, window, ctx, settle):
    with ctx.database.read() as s:
        number, customer_id = s.execute(
            select(SalesOrder.number, SalesOrder.customer_id).where(SalesOrder.id == 42)
        ).one()
    screen = window.show_screen("Customers")
    assert isinstance(screen, CustomersScreen)
    settle()
    search = screen.customers
    search.search.setFocus()
    keyboard.scan(qtbot, search.search, number)
    settle()
    assert [h.id for h in search.model.rows()] == [customer_id]
    assert f"order {number}" in search.message.text()
    qtbot.waitUntil(lambda: search.pane.detail is not None and search.pane.detail.id == customer_id)
    settle()
    numbers = [r.number for r in search.pane.history.rows()]
    assert number in numbers
    assert search.pane.title.text() == search.model.rows()[0].name
    table = search.pane.history_table
    table.setFocus()
    table.setCurrentIndex(search.pane.history.index(numbers.index(number), 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter on the row opens the order
    settle()
    assert window.stack.currentWidget() is window.screens["Orders"]


def test_typing_searches_one_page(qtbot, ctx, settle):
    screen = CustomersScreen(ctx)
    qtbot.addWidget(screen)
    settle()
    search = screen.customers
    assert search.model.rowCount() == 25  # the demo store's customers, newest first
    assert not search.previous.isEnabled() and not search.next.isEnabled()
    first = search.model.rows()[3]
    family = first.name.split()[-1]
    search.search.setFocus()
    qtbot.keyClicks(search.search, family.lower())
    qtbot.keyClick(search.search, Qt.Key.Key_Return)
    settle()
    assert first.id in [h.id for h in search.model.rows()]
    assert all(family in h.name for h in search.model.rows())
    qtbot.keyClicks(search.search, "zzqqx")
    qtbot.keyClick(search.search, Qt.Key.Key_Return)
    settle()
    assert search.model.rowCount() == 0 and "Nobody matches" in search.message.text()


def test_a_new_customer_with_a_bad_email_is_told_which_field(qtbot, ctx, settle):
    screen = CustomersScreen(ctx)
    qtbot.addWidget(screen)
    settle()
    dialog = screen.customers.new_customer()
    qtbot.keyClicks(dialog.name, "Maeve Daly")
    qtbot.keyClicks(dialog.email, "maeve@")
    dialog.accept()
    settle()
    assert "e-mail" in dialog.error.text() and dialog.isVisible()
    dialog.email.clear()
    dialog.name.clear()
    dialog.accept()
    settle()
    assert "Name" in dialog.error.text()
    qtbot.keyClicks(dialog.name, "Maeve Daly")
    qtbot.keyClicks(dialog.email, "maeve@example.ie")
    dialog.accept()
    settle()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: screen.customers.pane.title.text() == "Maeve Daly")


def test_merge_two_duplicates_choosing_the_survivor(qtbot, ctx, settle):
    with ctx.database.write() as s:
        keep = customers.create_customer(s, ctx.actor, CustomerInput("Twin Record", "a@x.ie"))
        dup = customers.create_customer(s, ctx.actor, CustomerInput("Twin Recordd", "b@x.ie"))
    screen = CustomersScreen(ctx)
    qtbot.addWidget(screen)
    settle()
    search = screen.customers
    search.search_for("twin")
    settle()
    assert {h.id for h in search.model.rows()} == {keep, dup}
    assert not search.merge.isEnabled()  # one selected: nothing to merge yet
    selection = search.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(2):
        selection.select(search.model.index(row, 0), flags)
    assert search.merge.isEnabled()
    dialog = search.merge_selected()
    dialog.survivor.setCurrentIndex(dialog.survivor.findData(keep))
    assert "Twin Recordd" in dialog.warning.text()
    dialog.accept()
    settle()
    assert not dialog.isVisible()
    assert [h.id for h in search.model.rows()] == [keep]
    with ctx.database.read() as s:
        assert get_customer(s, ctx.actor, dup).merged_into_id == keep
        assert check(s) == []


def test_a_clerk_cannot_merge_and_the_button_says_why(qtbot, store, qapp, settle):
    database, admin = store
    clerk = Actor(admin.user_id, "clerk", "Cleo Clerk", Role.CLERK, "till-1")
    context = build_context(database, clerk, WorkstationSettings(workstation_name="till-1"))
    screen = CustomersScreen(context)
    qtbot.addWidget(screen)
    settle()
    assert not screen.customers.merge.isEnabled()
    assert "managers" in screen.customers.merge.toolTip()
    assert screen.customers.new.isEnabled()
    assert not screen.suppliers.buttons["new"].isEnabled()
    context.bridge.close()


def test_an_order_taken_elsewhere_shows_in_the_open_customer(qtbot, ctx, settle):
    from app.services.sales import order_entry
    from app.services.sales.order_entry import LineInput, OrderInput
    from tests import factories

    with ctx.database.write() as s:
        party = customers.create_customer(s, ctx.actor, CustomerInput("Order Watcher"))
    product = factories.product(ctx.database, ctx.actor, stock=5)
    screen = CustomersScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.customers.search_for("order watcher")
    qtbot.waitUntil(lambda: screen.customers.pane.detail is not None)
    settle()
    assert screen.customers.pane.history.rowCount() == 0
    with ctx.database.write() as s:  # another workstation takes a phone order
        order = order_entry.create_order(
            s, ctx.actor, OrderInput("phone", (LineInput(product, 1),), customer_id=party)
        )
    # the history and the detail (with its open orders) are two loads; either may land first
    qtbot.waitUntil(lambda: screen.customers.pane.history.rowCount() == 1)
    qtbot.waitUntil(lambda: screen.customers.pane.open_orders.rowCount() == 1)
    assert screen.customers.pane.history.rows()[0].number == order.number


def test_new_order_from_a_customers_page(qtbot, window, ctx, settle):
    """The customer on screen is chosen in the order form; the saved order is theirs and
    shows on the Orders screen."""
    from PySide6.QtWidgets import QApplication

    from app.services.sales import order_detail
    from app.views.orders.entry import NewOrderDialog
    from tests.views.orders.test_entry import _stocked

    with ctx.database.read() as s:
        customer_id = s.scalar(select(SalesOrder.customer_id).where(SalesOrder.id == 42))
        name = get_customer(s, ctx.actor, customer_id).name
    screen = window.show_screen("Customers")
    settle()
    pane = screen.customers.pane
    pane.show_customer(customer_id)
    settle()
    assert pane.new_order.isEnabled()
    qtbot.mouseClick(pane.new_order, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NewOrderDialog))
    form = QApplication.activeModalWidget()
    settle()  # the carriers
    assert (form.customer_choice.currentData(), form.customer_choice.currentText()) == (
        customer_id,
        name,
    )
    assert form.product_input.hasFocus()
    ((sku, code),) = _stocked(ctx.database, 1)
    keyboard.scan(qtbot, form.product_input, code)
    settle()
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle()
    assert form.ref is not None, form.message.text()
    assert window.stack.currentWidget() is window.screens["Orders"]
    with ctx.database.read() as s:
        detail = order_detail.get_order(s, form.ref.id)
    assert (detail.customer_id, detail.channel) == (customer_id, "phone")
    assert [ln.sku for ln in detail.lines] == [sku]
