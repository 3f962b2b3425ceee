"""The Orders tab (views/purchasing/orders_tab.py) end to end: a draft made in a
service is chosen, sent with its PDF queued, received by scans sent as a scanner sends
them (each key its own press and release), with the feedback checked after every scan
and the order going sent -> partly received -> received, then put away to the suggested
bins; the ledger checks clean. A cashier sees every button greyed with the reason."""

from __future__ import annotations

from shiboken6 import isValid
from sqlalchemy import func, select

from app.core.auth import Role
from app.models import PrintJob, PurchaseOrder
from app.services.stock.integrity import check
from app.views import sound
from app.views.main_window import MainWindow
from tests.conftest import role_actor
from tests.views import keyboard


def _status(ctx, number):
    with ctx.database.read() as s:
        return s.scalar(select(PurchaseOrder.status).where(PurchaseOrder.number == number))


def _choose(tab, settle, number):
    tab.reload()
    settle()
    row = next(
        i for i in range(tab.list_model.rowCount()) if tab.list_model.row(i).number == number
    )
    tab.table.selectRow(row)
    settle()
    assert tab.order is not None and tab.order.number == number


def _scan(qtbot, tab, settle, code):
    keyboard.scan(qtbot, tab.lines_table, code)
    settle()
    return tab.receive_panel.feedback.text()


def test_send_receive_by_scan_and_put_away(qtbot, qtmodeltester, purchasing, ctx, settle, draft):
    window, screen = purchasing
    tab = screen.orders
    _choose(tab, settle, draft.number)
    assert [r.sku for r in tab.lines.rows()] == list(draft.skus)
    assert not tab.buttons["receive"].isEnabled()
    assert "only a sent order is received" in tab.buttons["receive"].toolTip()
    with ctx.database.read() as s:
        jobs = s.scalar(select(func.count(PrintJob.id)))
    tab.buttons["send"].click()
    settle()
    assert tab.message.text() == f"Sent {draft.number}: its PDF is in the print queue."
    assert _status(ctx, draft.number) == "sent"
    with ctx.database.read() as s:
        assert s.scalar(select(func.count(PrintJob.id))) == jobs + 1
    assert not tab.buttons["send"].isEnabled() and tab.buttons["receive"].isEnabled()
    tab.buttons["receive"].click()
    assert tab.receive_panel.isVisibleTo(tab) and tab.buttons["receive"].text() == "Stop receiving"
    tab.lines_table.setFocus()
    code_a, code_b = draft.codes
    sku_a, sku_b = draft.skus
    said = _scan(qtbot, tab, settle, code_a)
    assert said.startswith(f"{sku_a} ") and said.endswith("1 of 2 received")
    assert _status(ctx, draft.number) == "partly_received"
    assert "partly received" in tab.receive_panel.detail.text()
    assert [r.received for r in tab.lines.rows()] == [1, 0]
    errors = len(sound.played)
    said = _scan(qtbot, tab, settle, "4006381333931")  # a valid EAN no product has
    assert "Unknown code" in said and len(sound.played) == errors + 1
    assert "Nothing was booked" in tab.receive_panel.detail.text()
    assert _scan(qtbot, tab, settle, code_a).endswith("2 of 2 received")
    errors = len(sound.played)
    said = _scan(qtbot, tab, settle, code_a)  # the supplier sent one more: taken, warned
    assert said.endswith("3 of 2 received — 1 more than ordered")
    assert tab.receive_panel.feedback.property("kind") == "error"
    assert len(sound.played) == errors + 1
    assert _scan(qtbot, tab, settle, code_b).endswith("1 of 1 received")
    assert _status(ctx, draft.number) == "received"
    assert [(r.ordered, r.received) for r in tab.lines.rows()] == [(2, 3), (1, 1)]
    said = _scan(qtbot, tab, settle, code_b)  # a received order takes nothing more
    assert "fully received" in said and tab.receive_panel.feedback.property("kind") == "error"
    assert tab.title.text().endswith("fully received")
    qtmodeltester.check(tab.lines)
    qtmodeltester.check(tab.list_model)
    tab.buttons["receive"].click()
    assert not tab.receive_panel.isVisibleTo(tab)
    tab.buttons["putaway"].click()
    settle()
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    plan = dialog.plan()
    assert {(sku, n) for sku, n, _bin in plan} >= {(sku_a, 3), (sku_b, 1)}
    assert all(target for _sku, _n, target in plan)  # the suggested bins, pre-filled
    dialog.accept()
    settle()
    assert tab.message.text().startswith("Put away: ")
    with ctx.database.read() as s:
        assert check(s) == []
    assert window.stack.currentWidget() is screen


def test_new_order_dialog_says_the_services_refusal(purchasing, ctx, settle, draft, tmp_path):
    _window, screen = purchasing
    tab = screen.orders
    tab.buttons["new"].click()
    dialog = tab.dialog
    dialog.supplier.setText("GUI")
    dialog.warehouse.setText(draft.warehouse)
    dialog.lines.setPlainText("NO-SUCH-SKU 3")
    dialog.accept()
    settle()
    assert dialog.isVisible() and "NO-SUCH-SKU" in dialog.message.text()
    dialog.lines.setPlainText(f"{draft.skus[0]} two")
    dialog.accept()
    settle()
    assert "not a whole number" in dialog.message.text()
    dialog.lines.setPlainText(f"{draft.skus[0]} 4 2.50\n\n{draft.skus[1]}:1")
    dialog.accept()
    settle()
    assert not isValid(dialog) or not dialog.isVisible()
    assert tab.message.text().startswith("Made draft PO-")
    assert tab.order is not None and tab.order.status == "draft"
    assert [(r.sku, r.ordered) for r in tab.order.lines] == [(draft.skus[0], 4), (draft.skus[1], 1)]
    assert tab.order.lines[0].unit_cost == 250
    target = tmp_path / "order.pdf"
    tab.write_pdf(target)
    settle()
    assert target.read_bytes().startswith(b"%PDF") and tab.message.text() == "Saved order.pdf."


def test_cancel_asks_why(purchasing, ctx, settle, draft):
    _window, screen = purchasing
    tab = screen.orders
    _choose(tab, settle, draft.number)
    assert not tab.buttons["close"].isEnabled()
    assert "only a partly received order" in tab.buttons["close"].toolTip()
    tab.buttons["cancel"].click()
    dialog = tab.dialog
    dialog.accept()
    assert "Say why" in dialog.message.text() and dialog.isVisible()
    dialog.reason.setText("ordered twice")
    dialog.accept()
    settle()
    assert tab.message.text() == f"Cancelled {draft.number}."
    assert _status(ctx, draft.number) == "cancelled"
    settle()
    assert not tab.buttons["cancel"].isEnabled() and "cancelled" in tab.buttons["cancel"].toolTip()
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("draft"))
    settle()
    assert draft.number not in [r.number for r in tab.list_model.rows()]
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("cancelled"))
    settle()
    shown = tab.list_model.rows()
    assert draft.number in [r.number for r in shown] and {r.status for r in shown} == {"cancelled"}


def test_a_cashier_sees_every_button_greyed_with_the_reason(qtbot, ctx, settle, draft):
    ctx.actor = role_actor(Role.CASHIER)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    tab = window.show_screen("Purchasing").orders
    settle()
    assert "needs the 'purchasing.manage' or 'stock.receive' permission" in tab.message.text()
    for key, button in tab.buttons.items():
        assert not button.isEnabled(), key
        assert (
            "purchasing.manage"
            if key in ("new", "send", "email", "pdf", "cancel", "close")
            else "stock.receive"
        ) in button.toolTip()
    assert tab.list_model.rowCount() == 0


def test_close_short_after_a_partial_receipt(qtbot, purchasing, ctx, settle, draft):
    _window, screen = purchasing
    tab = screen.orders
    _choose(tab, settle, draft.number)
    tab.buttons["send"].click()
    settle()
    tab.buttons["receive"].click()
    tab.lines_table.setFocus()
    assert _scan(qtbot, tab, settle, draft.codes[1]).endswith("1 of 1 received")
    assert tab.buttons["close"].isEnabled() and not tab.buttons["cancel"].isEnabled()
    assert "close it short" in tab.buttons["cancel"].toolTip()
    tab.buttons["close"].click()
    settle()
    assert tab.message.text() == f"Closed {draft.number} short: 2 units will not come."
    assert _status(ctx, draft.number) == "received"
    said = _scan(qtbot, tab, settle, draft.codes[0])  # still in receive mode: refused
    assert "fully received" in said and _status(ctx, draft.number) == "received"
