"""Screenshots for the README, taken from the real application offscreen on a fresh demo
store: the counter with three scanned items, an order with its timeline, and the
fulfilment queues. `make screenshots` writes them to docs/."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs"


def main() -> int:
    home = tempfile.mkdtemp(prefix="kestrel-shots-")
    os.environ["KESTREL_HOME"] = home
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from app import db
    from app.admin.demo import build_demo
    from app.config import WorkstationSettings
    from app.core import auth
    from app.models import Barcode, Location, SalesOrder, StockLevel
    from app.views.app import build_context, ensure_app
    from app.views.feel import apply_theme
    from app.views.main_window import MainWindow

    database = db.Database.open(f"sqlite:///{home}/shop.sqlite")
    db.migrate(database.engine)
    with database.write() as s:
        created = auth.create_user(s, None, "admin", "shots-pass", auth.Role.ADMIN, "Nora Owner")
        actor = auth.Actor(created.user_id, "admin", "Nora Owner", auth.Role.ADMIN, "till-1")
        build_demo(s, actor, products=150, customers=40, orders=400)
        codes = list(
            s.scalars(
                select(Barcode.code)
                .join(StockLevel, StockLevel.product_id == Barcode.product_id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.code == "SHOP-COUNTER", StockLevel.on_hand >= 3)
                .order_by(Barcode.product_id)
                .limit(3)
            )
        )
        order_id = s.scalar(
            select(SalesOrder.id)
            .where(SalesOrder.status == "confirmed", SalesOrder.channel == "web")
            .order_by(SalesOrder.id.desc())
            .limit(1)
        )
    app = ensure_app()
    apply_theme(app, "light")
    ctx = build_context(database, actor, WorkstationSettings(workstation_name="till-1"))
    window = MainWindow(ctx)
    window.resize(1440, 880)
    window.show()
    OUT.mkdir(exist_ok=True)

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
        print(f"docs/{name}.png")

    counter = window.show_screen("Counter")
    counter.open_till("150.00")  # type: ignore[attr-defined]
    for code in (codes[0], codes[1], codes[1], codes[2]):
        counter.handle_scan(code)  # type: ignore[attr-defined]
    shot("counter")
    orders = window.show_screen("Orders")
    if order_id is not None:
        orders.open_order(order_id)  # type: ignore[attr-defined]
    shot("order")
    window.show_screen("Fulfilment")
    shot("fulfilment")
    window.close()
    database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
