"""Scan-to-pick of a lot-tracked product in real widgets: the prompt names the lot to
take (first to expire) and each scan says which lot it took."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.models import Barcode, Location, Product, StockMove
from app.services.stock import lots
from app.services.stock.integrity import check
from app.services.stock.inventory import MoveRef
from tests.views import keyboard
from tests.views.fulfilment.conftest import focus


def test_the_prompt_names_the_lot_to_take(qtbot, bench, ctx, settle):
    with ctx.database.write() as s:
        pid = s.scalar(select(Barcode.product_id).where(Barcode.code == bench.mug))
        product = s.get(Product, pid)
        product.tracking = "lot"
        bin_a = s.scalar(select(Location.id).where(Location.code == "GUI-A-01"))
        today = lots.today()
        for code, days in (("GUI-L2", 50), ("GUI-L1", 5)):
            lots.receive_lot(
                s, ctx.actor, product, bin_a, 2, code, today + timedelta(days=days), MoveRef()
            )
    screen = bench.screen
    target = focus(qtbot, screen.queue_list)
    keyboard.scan(qtbot, target, bench.wave.number)
    settle()
    page = screen.picking_page
    target = focus(qtbot, page.table)
    keyboard.scan(qtbot, target, "GUI-A-01")
    settle()
    assert "from lot GUI-L1" in page.prompt.text()
    keyboard.scan(qtbot, target, bench.mug)
    settle()
    assert "(lot GUI-L1)" in page.message.text()
    keyboard.scan(qtbot, target, bench.mug)
    settle()
    assert "(lot GUI-L1)" in page.message.text()
    assert "GUI-B-01" in page.prompt.text()  # the next line: the apron tracks no lots
    with ctx.database.read() as s:
        tagged = s.scalars(
            select(StockMove.lot_id).where(
                StockMove.product_id == pid, StockMove.lot_id.is_not(None)
            )
        ).all()
        assert len(tagged) == 2 + 2  # two receipts, the move to packing and its reservation
        assert check(s) == []
