"""services/notify/alerts.py: staff alerts once per occurrence, not once per run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.core.errors import ValidationError
from app.models import Printer, PrintJob, SalesOrder, utcnow
from app.services.notify import alerts
from tests.services.notify.conftest import new_order, outbox_rows


def test_an_overdue_order_is_said_once(database, admin, floor):
    order_id = new_order(database, admin, floor)
    with database.write() as s:
        assert alerts.queue_alerts(s) == 0  # no address set: no alerts
        alerts.set_alerts(s, admin, "staff@shop.example", 15)
        due = utcnow() - timedelta(hours=2)
        s.execute(update(SalesOrder).where(SalesOrder.id == order_id).values(due_at=due))
    with database.write() as s:
        assert alerts.queue_alerts(s) == 1
    with database.write() as s:
        assert alerts.queue_alerts(s) == 0  # the same occurrence: not again
    (alert,) = [r for r in outbox_rows(database) if r.event.startswith("alert:")]
    assert alert.to_address == "staff@shop.example" and "past its due date" in alert.subject
    with database.write() as s:  # due again later, and missed again: a new occurrence
        later = utcnow() - timedelta(minutes=5)
        s.execute(update(SalesOrder).where(SalesOrder.id == order_id).values(due_at=later))
    with database.write() as s:
        assert alerts.queue_alerts(s) == 1


def test_a_printer_failing_longer_than_n_minutes(database, admin):
    with database.write() as s:
        alerts.set_alerts(s, admin, "staff@shop.example", 10)
        printer = Printer(workstation="ws", name="Counter", uri="tcp://10.0.0.9", role="receipt")
        s.add(printer)
        s.flush()
        s.add(
            PrintJob(
                printer_id=printer.id,
                workstation="ws",
                document="receipt",
                payload=b"x",
                state="queued",
                attempts=3,
                last_error="connection refused",
                created_at=utcnow() - timedelta(minutes=5),
            )
        )
    with database.write() as s:
        assert alerts.queue_alerts(s) == 0  # five minutes: not yet
        assert alerts.queue_alerts(s, now=utcnow() + timedelta(minutes=6)) == 1
        assert alerts.queue_alerts(s, now=utcnow() + timedelta(minutes=30)) == 0


def test_bad_alert_settings_are_refused(database, admin):
    with database.write() as s:
        with pytest.raises(ValidationError, match="not an e-mail address"):
            alerts.set_alerts(s, admin, "staff at shop")
        with pytest.raises(ValidationError, match="1 to 1,440"):
            alerts.set_alerts(s, admin, "staff@shop.example", 0)


def test_low_stock_after_the_reorder_run_is_said_once_a_day(database, admin, mail_shop):
    from datetime import date

    from app.services.notify import sender
    from app.services.purchasing.reorder import run_reorder
    from tests.services.purchasing import reorder_case

    reorder_case.build(database, admin)
    with database.write() as s:
        alerts.set_alerts(s, admin, "staff@shop.example", 15)
    day = date(2026, 12, 2)
    with database.write() as s:
        run_reorder(s, admin, dry_run=True, today=day)  # a dry run says nothing
    assert outbox_rows(database) == []
    for _ in range(3):  # the run again, the same day: one alert
        with database.write() as s:
            run_reorder(s, admin, today=day)
    [row] = outbox_rows(database)
    assert row.to_address == "staff@shop.example"
    assert row.subject == "Low stock: 1 product(s) below minimum were not reordered"
    assert "N-1 in MAIN: no supplier" in row.body
    assert "on PO-000001" in row.body
    with database.write() as s:
        run_reorder(s, admin, today=day + timedelta(days=1))  # N-1 still has no supplier
    assert len(outbox_rows(database)) == 2
    assert sender.drain(database, "ws-1").sent == 2
    assert [r.message["To"] for r in mail_shop.recorder.received] == ["staff@shop.example"] * 2
