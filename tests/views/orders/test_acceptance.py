"""The acceptance queue in real widgets, driven by key events: F6 opens it, Up/Down move,
Space marks, Ctrl+A marks all, Enter accepts (one refused, the others accepted), R
rejects with a reason, E fixes an address; a new order elsewhere shows up by itself."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.models import SalesOrder
from app.services.sales import acceptance, order_entry
from app.services.sales.customers import AddressInput
from app.services.sales.order_entry import LineInput, OrderInput
from app.views.main_window import MainWindow
from app.views.orders.acceptance import AcceptanceView
from app.views.orders.acceptance_model import MARK
from app.views.orders.screen import OrdersScreen
from tests import factories
from tests.views.conftest import show_active
from tests.views.keyboard import type_slowly

HELD_MS = 120  # the scanner filter holds a printable key back this long at most


def _key(qtbot, widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, key, modifiers)
    qtbot.wait(HELD_MS)


def _queue(qtbot, ctx, settle) -> tuple[OrdersScreen, AcceptanceView]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    screen = window.show_screen("Orders")
    assert isinstance(screen, OrdersScreen)
    settle()
    _key(qtbot, screen, Qt.Key.Key_F6)
    settle()
    assert screen.tabs.currentWidget() is screen.acceptance
    return screen, screen.acceptance


NAMES = iter(f"Tester{n} Queue" for n in range(1000))  # one customer each: no twins


def _order(ctx, quantity=1, ship_to=None) -> tuple[int, str]:
    customer = factories.customer(ctx.database, ctx.actor, next(NAMES))
    product = factories.product(ctx.database, ctx.actor, stock=3, name="Queue item")
    address = ship_to or AddressInput("2 Dock Road", "Cork", "T12 AB34", "IE")
    with ctx.database.write() as s:
        ref = order_entry.create_order(
            s,
            ctx.actor,
            OrderInput(
                "web", (LineInput(product, quantity),), customer_id=customer, ship_to=address
            ),
        )
    return ref.id, ref.number


def _numbers(view) -> list[str]:
    return [view.model.row(i).number for i in range(view.model.rowCount())]


def _go_to(qtbot, view, number: str) -> None:
    """Down from the top until the cursor is on `number`."""
    table = view.table
    _key(qtbot, table, Qt.Key.Key_Home)
    for _ in range(view.model.rowCount()):
        if view.current_row().number == number:
            return
        _key(qtbot, table, Qt.Key.Key_Down)
    raise AssertionError(f"{number} is not in the queue")


def _status(ctx, order_id) -> str:
    with ctx.database.read() as s:
        return s.get(SalesOrder, order_id).status


def test_the_queue_lists_new_orders_and_follows_changes(qtbot, qtmodeltester, ctx, settle):
    _screen, view = _queue(qtbot, ctx, settle)
    with ctx.database.read() as s:
        expected = [r.number for r in acceptance.queue_page(s, ctx.actor, 0, 500)]
        waiting = acceptance.queue_count(s, ctx.actor)
    assert _numbers(view) == expected[: view.model.rowCount()] and expected
    assert view.count_label.text() == f"Acceptance queue: {waiting:,} new orders are waiting"
    qtmodeltester.check(view.model)
    short_id, short = _order(ctx, quantity=50)  # 3 in stock: flagged
    settle()
    qtbot.waitUntil(lambda: short in _numbers(view))
    settle()
    row = view.model.row(view.model.position_of(short_id))
    assert [f.code for f in row.flags] == ["stock_short"]
    attention = view.model.data(view.model.index(view.model.position_of(short_id), 6))
    assert "50 ordered, 3 free" in attention
    qtmodeltester.check(view.model)


def test_mark_with_space_and_ctrl_a_then_accept_with_enter(qtbot, qtmodeltester, ctx, settle):
    short_id, short = _order(ctx, quantity=50)
    good_id, good = _order(ctx, quantity=1)
    _screen, view = _queue(qtbot, ctx, settle)
    table = view.table
    assert table.hasFocus()
    _key(qtbot, table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.model.marked()) == view.model.rowCount() > 0
    _key(qtbot, table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # again: none
    assert view.model.marked() == []

    _go_to(qtbot, view, short)
    _key(qtbot, table, Qt.Key.Key_Space)
    _go_to(qtbot, view, good)
    _key(qtbot, table, Qt.Key.Key_Space)
    _key(qtbot, table, Qt.Key.Key_Up)
    _key(qtbot, table, Qt.Key.Key_Space)  # marked, then unmarked again
    _key(qtbot, table, Qt.Key.Key_Space)
    assert [r.number for r in view.model.marked()] == [short, good]
    mark = view.model.data(view.model.index(view.model.position_of(good_id), 0))
    assert mark == MARK
    qtmodeltester.check(view.model)

    _key(qtbot, table, Qt.Key.Key_Return)
    settle()
    qtbot.waitUntil(lambda: good not in _numbers(view))
    settle()
    assert _status(ctx, good_id) == "accepted" and _status(ctx, short_id) == "new"
    said = view.message.text()
    assert f"Accepted {good}." in said
    assert f"Not accepted — {short}: Order {short} cannot be accepted" in said
    assert short in _numbers(view)
    assert view.model.marked() == [view.model.row(view.model.position_of(short_id))]

    _go_to(qtbot, view, short)
    _key(qtbot, table, Qt.Key.Key_Space)  # unmarked: A takes the one under the cursor
    assert view.model.marked() == []
    view.message.clear()
    _key(qtbot, table, Qt.Key.Key_A)
    settle()
    qtbot.waitUntil(lambda: view.message.text() != "")
    assert view.message.text().startswith(f"Not accepted — {short}: ")
    assert _status(ctx, short_id) == "new"
    qtmodeltester.check(view.model)


def test_r_rejects_with_a_reason_and_e_fixes_the_address(qtbot, ctx, settle):
    reject_id, to_reject = _order(ctx)
    fix_id, to_fix = _order(ctx, ship_to=AddressInput("2 Dock Road", "Cork", "", "IE"))
    _screen, view = _queue(qtbot, ctx, settle)
    table = view.table

    _go_to(qtbot, view, to_reject)
    _key(qtbot, table, Qt.Key.Key_R)
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == f"Reject {to_reject}"
    type_slowly(qtbot, dialog.reason, "Duplicate of a phone order")
    _key(qtbot, dialog.reason, Qt.Key.Key_Return)
    settle()
    qtbot.waitUntil(lambda: to_reject not in _numbers(view))
    assert _status(ctx, reject_id) == "cancelled"
    assert view.message.text() == f"{to_reject} rejected: Duplicate of a phone order"
    view.window().activateWindow()  # the offscreen platform does not do it by itself
    qtbot.waitUntil(table.hasFocus)  # the keys go on working on the list

    _go_to(qtbot, view, to_fix)
    flags = view.current_row().flags
    assert [f.code for f in flags] == ["address_incomplete"]
    _key(qtbot, table, Qt.Key.Key_E)
    settle()
    fix = view.dialog
    assert fix is not None and fix.windowTitle() == f"Fix {to_fix}"
    assert _screen.detail.title.text().startswith(to_fix)
    postcode = fix.edits["postcode"]
    assert postcode.text() == ""
    postcode.setFocus()
    type_slowly(qtbot, postcode, "T12 AB34")
    _key(qtbot, postcode, Qt.Key.Key_Return)
    settle()
    qtbot.waitUntil(lambda: view.message.text() == f"{to_fix} changed.")
    settle()
    row = view.model.row(view.model.position_of(fix_id))
    assert row.flags == () and row.ship_to.postcode == "T12 AB34"
