"""Goods-in for returns in real widgets: a return made from the shipped order's detail,
its label scanned at the bench, items scanned in (one not on it refused), one restocked
and one scrapped, the refund shown and confirmed; and its keys greyed with their reasons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from app.core import auth, settings
from app.models import PrintJob
from app.services.fulfilment import returns
from app.services.fulfilment.returns import ReturnRow
from app.views.fulfilment.return_dialog import ReturnDialog
from tests.views import keyboard
from tests.views.conftest import answer_modal, show_active
from tests.views.fulfilment.conftest import focus, greyed_because, ship_by_services


def test_return_from_the_order_then_received_inspected_refunded(qtbot, bench, ctx, settle):
    window, screen = bench.window, bench.screen
    ship_by_services(ctx, bench.wave.id, bench.order_id)
    orders_screen = window.show_screen("Orders")
    orders_screen.open_order(bench.order_id)
    settle()
    detail = orders_screen.detail
    qtbot.waitUntil(lambda: "Gui Express: GX00000001 (shipped)" in detail.shipments.text())
    qtbot.mouseClick(detail.delivered_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: detail.status.text() == "Delivered")
    assert not detail.delivered_button.isVisible() and detail.return_button.isVisible()

    def two_mugs_back(dialog):
        spin = next(iter(dialog.spins.values()))
        assert spin.maximum() == 2
        spin.setValue(2)
        dialog.reason_edit.setText("Chipped")
        dialog.accept()

    # issue 12: without the shop's address the label's TO block would be the name alone
    answer_modal(ReturnDialog, two_mugs_back)
    qtbot.mouseClick(detail.return_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: "shop's address is empty" in detail.banner.text())
    with ctx.database.write() as s:
        settings.set_company(s, ctx.actor, "Gui Shop", "1 Quay Street\nGalway", "EUR", "en_IE")
    answer_modal(ReturnDialog, two_mugs_back)
    qtbot.mouseClick(detail.return_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(lambda: "Return RMA-000001 created" in detail.info.text())

    window.show_screen("Fulfilment")
    show_active(qtbot, window)  # the offscreen platform does not hand activation back
    target = focus(qtbot, screen.table)
    keyboard.scan(qtbot, target, "RMA-000001")
    settle()
    page = screen.returns_page
    assert screen.pages.currentWidget() is page
    target = focus(qtbot, page.table)
    keyboard.scan(qtbot, target, bench.apron)  # not on this return
    settle()
    assert "is not on return RMA-000001" in page.message.text()
    for _ in range(2):
        keyboard.scan(qtbot, target, bench.mug)
        settle()
    assert "2 of 2 received" in page.message.text()
    qtbot.keyClick(page.table, Qt.Key.Key_F12)
    settle()
    assert "Inspect every unit" in page.message.text()
    qtbot.keyClick(page.table, Qt.Key.Key_F6)
    qtbot.keyClick(page.table, Qt.Key.Key_F7)
    settle()
    assert "all decided" in page.prompt.text()
    asked: list[int] = []
    page.confirm_refund = lambda amount: asked.append(amount) or len(asked) > 1
    qtbot.keyClick(page.table, Qt.Key.Key_F12)  # the amount is shown; the answer is no
    settle()
    assert "Not refunded" in page.message.text() and asked[0] > 0
    qtbot.keyClick(page.table, Qt.Key.Key_F12)
    settle()
    assert f"Refunded {ctx.money(asked[0])}" in page.message.text()
    with ctx.database.read() as s:
        rma = returns.get(s, returns.find(s, "RMA-000001"))
        assert rma.status == "refunded" and rma.lines[0].restocked == 1
        assert s.scalar(select(PrintJob.document).where(PrintJob.document == "return-label"))


def test_returns_keys_are_greyed_until_a_return_is_scanned(shop, settle):
    page = shop.show_screen("Fulfilment").returns_page
    settle()
    for name in ("restock", "scrap", "refund"):
        assert greyed_because(page.findChild(QPushButton, f"rma_{name}"), "Scan the return")


def test_a_picker_sees_why_f12_refund_is_not_theirs(shop):
    window = shop
    page = window.show_screen("Fulfilment").returns_page
    saved = window.ctx.actor
    window.ctx.actor = auth.Actor(None, "pia", "Pia", auth.Role.PICKER, "till-1")
    try:
        page.rma = ReturnRow(1, "RMA-000009", 1, "SO-000001", "received", "", 0, ())
        page._allow()
        assert greyed_because(page.findChild(QPushButton, "rma_refund"), "clerk's or a manager's")
    finally:
        window.ctx.actor = saved
        page.rma = None
        page._allow()
