"""Receiving by scan (receive_scan.py): EAN and case codes, GS1 with lot, expiry, serial
and count, feedback per scan, refusals that leave nothing behind, two workstations on one
PO; both engines."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import db
from app.core.errors import ConflictError, InvalidTransition, KestrelError, ValidationError
from app.models import Barcode, Lot, PrintJob, Product, PurchaseOrderLine, StockMove
from app.services.purchasing import order_status, orders
from app.services.purchasing.orders import LineInput
from app.services.purchasing.receive_scan import scan_receipt
from app.services.stock import catalogue, lots
from app.services.stock.integrity import check
from tests import factories


@pytest.fixture
def po(database, admin, buying):
    with database.write() as s:
        number = orders.create_order(
            s,
            admin,
            "ACME",
            "MAIN",
            [LineInput(buying.plain_sku, 12), LineInput(buying.lotted_sku, 5)],
        )
        order_status.send(s, admin, number)
        catalogue.add_barcode(s, admin, buying.plain, factories.make_ean(9_001), pack_qty=6)
        codes = {
            pid: s.scalar(
                select(Barcode.code).where(Barcode.product_id == pid, Barcode.pack_qty == 1)
            )
            for pid in (buying.plain, buying.lotted)
        }
    return number, codes


def _written(database):
    with database.read() as s:
        return (
            s.scalar(select(func.count(StockMove.id))),
            s.scalar(select(func.count(Lot.id))),
            s.scalar(select(func.sum(PurchaseOrderLine.received))),
        )


def test_unit_case_and_gs1_scans(database, admin, buying, po):
    number, codes = po
    with database.write() as s:
        first = scan_receipt(s, admin, number, codes[buying.plain])
    assert (first.added, first.received, first.ordered, first.over_receipt) == (1, 1, 12, False)
    assert first.status == "partly_received" and first.location == "MAIN-RECEIVING"
    assert "1 of 12 received" in first.message
    with database.write() as s:  # a case of six, twice
        case = scan_receipt(s, admin, number, factories.make_ean(9_001), quantity=2)
    assert (case.added, case.received) == (12, 13) and case.over_receipt
    assert "1 more than ordered" in case.message
    expiry = lots.today() + timedelta(days=200)
    gtin = "0" + codes[buying.lotted]
    gs1 = f"]C101{gtin}17{expiry:%y%m%d}10B-42\x1d303"
    with database.write() as s:
        lotted = scan_receipt(s, admin, number, gs1)
    assert (lotted.added, lotted.lot, lotted.received) == (3, "B-42", 3)
    with database.read() as s:
        assert lots.find_lot(s, buying.lotted, "B-42").expires_on == expiry
    with database.write() as s:  # the clerk's lot field wins over the code's
        typed = scan_receipt(s, admin, number, codes[buying.lotted], lot="B-43", labels=True)
        job = s.scalar(select(PrintJob).where(PrintJob.document == "product-labels"))
        assert job is not None and job.payload.count(b"\x1dV") == 1  # a label for the unit
    assert typed.lot == "B-43" and typed.received == 4


def test_serials_by_gs1_and_twice_refused(database, admin, buying, po):
    number, codes = po
    with database.write() as s:
        s.get(Product, buying.lotted).tracking = "serial"
    gtin = "0" + codes[buying.lotted]
    with database.write() as s:
        one = scan_receipt(s, admin, number, f"01{gtin}21SN-0001")
    assert one.lot == "SN-0001" and one.added == 1
    before = _written(database)
    with pytest.raises(ConflictError, match="received already"), database.write() as s:
        scan_receipt(s, admin, number, f"01{gtin}21SN-0001")
    assert _written(database) == before


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        ("4006381333932", ValidationError, "check digit"),
        ("2999999999991", ValidationError, "Unknown code"),
        ("SO-000001", ValidationError, "sales order"),
        ("]C1010400638133393117251340", ValidationError, "not a real date"),
        ("", ValidationError, "Nothing was scanned"),
    ],
)
def test_bad_scans_refused_in_words(database, admin, po, code, error, words):
    number, _codes = po
    before = _written(database)
    with pytest.raises(error, match=words), database.write() as s:
        scan_receipt(s, admin, number, code)
    assert _written(database) == before


def test_a_product_not_on_the_po_and_a_closed_po(database, admin, buying, po):
    number, codes = po
    stray = factories.product(database, admin)
    with database.read() as s:
        stray_code = s.scalar(select(Barcode.code).where(Barcode.product_id == stray))
    before = _written(database)
    with pytest.raises(ValidationError, match="is not on PO-000001"), database.write() as s:
        scan_receipt(s, admin, number, stray_code)
    expired = lots.today() - timedelta(days=3)
    gs1 = f"01{'0' + codes[buying.lotted]}17{expired:%y%m%d}10OLD"
    with pytest.raises(ValidationError, match="expired"), database.write() as s:
        scan_receipt(s, admin, number, gs1)
    assert _written(database) == before
    with database.write() as s:
        other = orders.create_order(s, admin, "ACME", "MAIN", [LineInput(buying.plain_sku, 1)])
        order_status.cancel(s, admin, other)
    with pytest.raises(InvalidTransition, match="cancelled"), database.write() as s:
        scan_receipt(s, admin, other, codes[buying.plain])


def test_hostile_scans_answer_in_words(database, admin, po):
    number, _codes = po

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(code=st.text(max_size=60), times=st.integers(-5, 20_000))
    def run(code: str, times: int) -> None:
        with database.write() as s:
            nested = s.begin_nested()
            try:
                scan_receipt(s, admin, number, code, quantity=times)
            except KestrelError as exc:
                assert exc.message.strip()
            finally:
                nested.rollback()

    run()


def test_two_workstations_scanning_one_po_get_the_sum(database, admin, buying, po):
    number, codes = po
    url = database.engine.url.render_as_string(hide_password=False)
    stations = [db.Database.open(url) for _ in range(2)]
    errors: list[BaseException] = []

    def work(station: db.Database) -> None:
        try:
            for _ in range(10):
                with station.write() as s:
                    scan_receipt(s, admin, number, codes[buying.plain])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(station,)) for station in stations]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for station in stations:
        station.dispose()
    assert errors == []
    with database.read() as s:
        po_view = orders.show(s, admin, number)
        assert {ln.sku: ln.received for ln in po_view.lines}[buying.plain_sku] == 20
        assert po_view.version == 1 + 1 + 20  # created, sent, one bump per scan
        assert check(s) == []
