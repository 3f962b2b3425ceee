"""The Orders list in real widgets: filter it, open an order, confirm it; and the list follows
changes row by row (a change to an order on the page re-reads that row alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import event

from app.services.sales import order_actions, order_detail, order_entry, orders
from app.services.sales.order_list import OrderQuery, list_orders
from app.views.main_window import MainWindow
from app.views.orders.screen import OrdersScreen
from tests import factories

ROW_COLUMNS = "SELECT sales_orders.id, sales_orders.number, sales_orders.created_at"


class ListReads:
    """The Orders list's queries as the database sees them (page, rows by id, count):
    what the screen really asked for, counted at the engine, from any thread."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.seen: list[tuple[str, int]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        flat = " ".join(statement.split())
        if flat.startswith("SELECT count(*)") and "FROM sales_orders" in flat:
            self.seen.append(("count", 0))
        elif flat.startswith(ROW_COLUMNS):
            kind = "page" if " LIMIT " in flat else "rows"
            self.seen.append((kind, len(parameters or ())))

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def _screen(qtbot, ctx, settle) -> OrdersScreen:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen("Orders")
    assert isinstance(screen, OrdersScreen)
    settle()
    return screen


def _new_order_with_stock(database):
    with database.read() as s:
        rows = list_orders(s, OrderQuery(status="new"), 0, 50)
    for row in rows:
        with database.read() as s:
            problems, stock = order_actions.verification_problems(
                s, s.get(orders.SalesOrder, row.id)
            )
        if not problems and not stock:
            return row
    raise AssertionError("the demo store has no new order that can be confirmed")


def test_filter_open_confirm_and_see_timeline(qtbot, ctx, settle):
    screen = _screen(qtbot, ctx, settle)
    assert screen.model.rowCount() == 200  # first page only
    assert screen.model.row(0).number == "SO-000250"
    qtbot.waitUntil(lambda: screen.count_label.text() == "250 orders")

    target = _new_order_with_stock(ctx.database)
    screen.status_filter.setFocus()
    screen.status_filter.setCurrentIndex(screen.status_filter.findData("new"))
    settle()
    assert {screen.model.row(i).status for i in range(screen.model.rowCount())} == {"new"}
    qtbot.keyClicks(screen.text_filter, target.number)
    qtbot.keyClick(screen.text_filter, Qt.Key.Key_Return)
    settle()
    assert screen.model.rowCount() == 1
    qtbot.waitUntil(lambda: screen.count_label.text() == "1 order")

    screen.table.setFocus()
    screen.table.selectRow(0)
    settle()
    detail = screen.detail
    assert detail.title.text().startswith(target.number)
    assert detail.buttons["confirm"].isVisible()
    qtbot.mouseClick(detail.buttons["confirm"], Qt.MouseButton.LeftButton)
    settle()
    assert detail.banner.text() == ""
    assert detail.status.text() == "Confirmed"
    last = detail.events_model.row(detail.events_model.rowCount() - 1)
    assert last.message == "Confirmed; stock reserved"
    assert last.user_name == "Ada Admin" and last.workstation == "till-1"
    assert not detail.buttons["confirm"].isEnabled()  # in place, greyed with the reason
    assert "cannot be confirmed" in detail.buttons["confirm"].toolTip()
    # the list refreshed from the change notice: the order left the "new" filter
    assert screen.model.rowCount() == 0
    qtbot.waitUntil(lambda: screen.count_label.text() == "0 orders")  # and the count too


def _holdable_on_page(screen, database, position: int):
    """An order shown at or after `position` that may be put on hold, and its version."""
    for i in range(position, screen.model.rowCount()):
        row = screen.model.row(i)
        with database.read() as s:
            detail = order_detail.get_order(s, row.id, screen.ctx.actor)
        if "hold" in detail.actions:
            return i, detail
    raise AssertionError("no order on the page can be held")


def test_a_change_to_one_order_on_the_page_re_reads_that_row_only(
    qtbot, qtmodeltester, ctx, settle
):
    screen = _screen(qtbot, ctx, settle)
    position, detail = _holdable_on_page(screen, ctx.database, 0)
    others = [screen.model.row(i) for i in range(screen.model.rowCount()) if i != position]
    resets = []
    screen.model.modelReset.connect(lambda: resets.append(1))
    reads = ListReads(ctx.database.engine)
    try:
        with ctx.database.write() as s:  # as another screen of this workstation would
            order_actions.hold(s, ctx.actor, detail.id, "customer asked", detail.version)
        settle()
    finally:
        reads.close()
    assert reads.seen == [("rows", 1)]  # one query, for the one id: no page, no count
    assert screen.model.row(position).status == "on_hold"
    shown = screen.model.data(screen.model.index(position, 3))
    assert shown == "On hold"
    assert [screen.model.row(i) for i in range(screen.model.rowCount()) if i != position] == (
        others
    )
    assert resets == []
    qtmodeltester.check(screen.model)


def test_a_change_to_an_order_off_the_page_reads_nothing(qtbot, ctx, settle):
    screen = _screen(qtbot, ctx, settle)
    shown = {screen.model.row(i).id for i in range(screen.model.rowCount())}
    with ctx.database.read() as s:
        (oldest,) = list_orders(s, OrderQuery(descending=False), 0, 1)
    assert oldest.id not in shown  # 250 orders, the newest 200 on the first page
    resets = []
    screen.model.modelReset.connect(lambda: resets.append(1))
    reads = ListReads(ctx.database.engine)
    try:
        with ctx.database.write() as s:
            order_actions.add_note(s, ctx.actor, oldest.id, "called about the invoice")
        settle()
    finally:
        reads.close()
    assert reads.seen == []
    assert resets == []
    assert screen.model.rowCount() == 200


def test_a_new_order_reloads_the_page_and_the_count(qtbot, ctx, settle):
    screen = _screen(qtbot, ctx, settle)
    qtbot.waitUntil(lambda: screen.count_label.text() == "250 orders")
    product = factories.product(ctx.database, ctx.actor, name="Row refresh test")
    reads = ListReads(ctx.database.engine)
    try:
        with ctx.database.write() as s:
            ref = order_entry.create_order(
                s, ctx.actor, order_entry.OrderInput("phone", (order_entry.LineInput(product, 1),))
            )
        settle()
    finally:
        reads.close()
    assert ("page", 2) in reads.seen and ("count", 0) in reads.seen
    assert screen.model.row(0).number == ref.number
    assert screen.count_label.text() == "251 orders"


def test_another_workstation_confirms_and_this_list_shows_it_within_a_second(qtbot, ctx, settle):
    """A second Kestrel process confirms an order; this window's list and open detail
    follow by themselves (SQLite: data_version, read on the listener's thread)."""
    import subprocess
    import sys
    import time

    from app import live

    with ctx.database.read() as s:
        (row,) = list_orders(s, OrderQuery(status="accepted"), 0, 1)
    screen = _screen(qtbot, ctx, settle)
    screen.open_order(row.id)
    settle()
    assert screen.detail.status.text() == "Accepted"
    listener = live.ChangeListener(ctx.database.engine.url, ctx.bridge.connection.emit).start()
    try:
        qtbot.waitUntil(lambda: listener.connected is True)
        qtbot.wait(400)
        url = ctx.database.engine.url.render_as_string(hide_password=False)
        done = subprocess.run(
            [sys.executable, "-m", "tests.remote_worker", "confirm", url, str(row.id)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        committed = time.monotonic()
        qtbot.waitUntil(lambda: screen.detail.status.text() == "Confirmed", timeout=1000)
        assert time.monotonic() - committed < 1.0
        settle()
        statuses = [screen.model.row(i).status for i in range(screen.model.rowCount())]
        assert statuses[[screen.model.row(i).id for i in range(len(statuses))].index(row.id)] == (
            "confirmed"
        )
    finally:
        listener.stop()
