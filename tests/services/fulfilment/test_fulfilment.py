"""Fulfilment end to end on SQLite and PostgreSQL: a wave of orders picked by scanning
(with a wrong scan and a short pick), packed into packages, shipped with tracking numbers
whose labels reach the printer emulator, and a return restocked, scrapped and refunded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.admin.emulator import PrinterEmulator, read_zpl
from app.core.auth import Role
from app.core.errors import (
    InvalidTransition,
    OutOfStock,
    PermissionDenied,
    ValidationError,
)
from app.models import Barcode, Location, Package, PickLine, SalesOrder
from app.services.fulfilment import assignment, packing, picking, returns, shipping, waves
from app.services.fulfilment.shipping import CarrierInput
from app.services.printing import documents, printers
from app.services.printing import queue as printing
from app.services.printing import worker as print_worker
from app.services.printing.printers import PrinterInput
from app.services.printing.worker import PrintWorker
from app.services.sales import order_actions, order_detail, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.stock import inventory
from app.services.stock.integrity import check
from tests import factories
from tests.conftest import role_actor

WS = "bench-1"
PICKER = role_actor(Role.PICKER, WS)


def _code(s, product_id):
    return s.scalar(select(Barcode.code).where(Barcode.product_id == product_id))


@pytest.fixture
def warehouse(database, admin):
    """Five products spread over two bins of the main warehouse, a carrier, a customer."""
    products = [factories.product(database, admin, price=1000 + 250 * n) for n in range(5)]
    with database.write() as s:
        first = factories.main_bin(s)
        second = factories.bin_beside_main(s, "B-02", 20)
        for n, pid in enumerate(products):
            inventory.receive(s, admin, pid, first if n % 2 == 0 else second, 30)
        carrier = shipping.add_carrier(
            s,
            admin,
            CarrierInput(
                "KS",
                "Kestrel Post",
                "Parcel",
                tracking_pattern=r"KS\d{9}NL",
                tracking_template="KS{n:09d}NL",
                tracking_url="https://track.example/{tracking}",
            ),
        )
    customer = factories.customer(database, admin, "Pia Lindqvist")
    return products, carrier, customer


def _orders(database, admin, products, customer, count):
    ids = []
    for n in range(count):
        lines = [LineInput(products[n % 5], 1 + (n % 3 == 0))]
        if n % 4 == 1:
            lines.append(LineInput(products[(n + 2) % 5], 1))
        with database.write() as s:
            ref = order_entry.create_order(
                s, admin, OrderInput("phone", tuple(lines), customer_id=customer)
            )
            order_actions.confirm(s, admin, ref.id)
        ids.append(ref.id)
    return ids


def _walk(database, wave_id):
    with database.read() as s:
        return picking.lines(s, wave_id)


def test_wave_pick_pack_ship_return(database, admin, warehouse):
    products, carrier, customer = warehouse
    order_ids = _orders(database, admin, products, customer, 20)
    with database.read() as s:
        assert {s.get(SalesOrder, i).warehouse_id for i in order_ids} != {None}
    with database.write() as s:
        wave = waves.create_wave(s, PICKER, order_ids)
        assert (wave.orders, wave.number) == (20, "PL-000001")
    walk = _walk(database, wave.id)
    assert [ln.bin_code for ln in walk] == sorted(
        (ln.bin_code for ln in walk), key=lambda c: c != walk[0].bin_code
    )  # one bin after the other, in walking order
    with database.write() as s:
        printers.add_printer(s, admin, WS, PrinterInput("PDF", "preview:", "document"))
        job = documents.print_pick_list(s, admin, WS, wave.id)
        assert print_worker.job_bytes(s, job).startswith(b"%PDF")

    short_line = next(ln for ln in walk if ln.quantity == 2)
    wrong_product = next(p for p in products if p != walk[0].product_id)
    for ln in walk:
        with database.write() as s:
            code = _code(s, ln.product_id)
            if ln is walk[0]:
                with pytest.raises(ValidationError, match="Wrong item"):
                    picking.pick_item(s, PICKER, ln.id, _code(s, wrong_product), ln.bin_code)
                other_bin = "B-02" if ln.bin_code != "B-02" else factories_bin_code(s)
                with pytest.raises(ValidationError, match="Wrong bin"):
                    picking.pick_item(s, PICKER, ln.id, code, other_bin)
                with pytest.raises(ValidationError, match="no bin"):
                    picking.pick_item(s, PICKER, ln.id, code, "Z-99-NOPE")
            if ln.id == short_line.id:
                picking.pick_item(s, PICKER, ln.id, code, ln.bin_code)
                picking.short_pick(s, PICKER, ln.id, "backorder")
                continue
            for _ in range(ln.quantity):
                result = picking.pick_item(s, PICKER, ln.id, code, ln.bin_code)
            with pytest.raises(ValidationError, match="Too many"):
                picking.pick_item(s, PICKER, ln.id, code, ln.bin_code)
    assert result.finished_list
    with database.read() as s:
        assert check(s) == []
        short = s.get(PickLine, short_line.id)
        assert (short.picked, short.short, short.status) == (1, 1, "short")

    shipped_tracking = []
    for n, order_id in enumerate(order_ids):
        with database.write() as s:
            number = s.get(SalesOrder, order_id).number
            assert packing.open_for_packing(s, number) == order_id
            state = packing.state(s, order_id)
            units = [(ln.product_id, ln.at_bench) for ln in state.lines]
            for k, (product_id, count) in enumerate(units):
                if n == 1 and k == 1:
                    packing.new_package(s, PICKER, order_id)  # a second box for order 2
                for _ in range(count):
                    packing.pack_item(s, PICKER, order_id, _code(s, product_id))
            for package in packing.state(s, order_id).packages:
                packing.set_weight(s, PICKER, package.id, 800 + package.number)
            packing.finish(s, PICKER, order_id)
        with database.write() as s:
            result = shipping.ship(s, PICKER, order_id, carrier, workstation=WS)
            shipped_tracking.append(result.tracking)
    assert shipped_tracking[0] == ("KS000000001NL",) and len(shipped_tracking[1]) == 2
    with database.read() as s:
        statuses = {s.get(SalesOrder, i).status for i in order_ids}
        assert statuses == {"shipped", "partly_shipped"}
        partly = [i for i in order_ids if s.get(SalesOrder, i).status == "partly_shipped"]
        assert partly == [short_line.order_id]
        assert check(s) == []

    # the label printer gets one 4x6 ZPL label per package, tracking number as a barcode
    with PrinterEmulator(port=0) as printer:
        with database.write() as s:
            printers.add_printer(s, admin, WS, PrinterInput("Labels", printer.uri, "label"))
            label_job = documents.print_document(s, admin, WS, order_ids[1], "shipping-label")
        worker = PrintWorker(database, WS, idle_poll=0.02)
        while worker.run_once():
            pass
        with database.read() as s:
            assert printing.list_jobs(s, WS)[0].id == label_job
        zpl = b"".join(printer.jobs).decode()
    for tracking in shipped_tracking[1]:
        # the bars spell their Code 128 subsets (issue 12): read the field back
        assert tracking in read_zpl(zpl.encode()).splitlines()
    assert zpl.count("^XA") == 2 and "^BC" in zpl

    # the backorder: stock is found again, the rest is reserved, picked, packed, shipped
    with database.write() as s:
        order_actions.confirm(s, admin, short_line.order_id)
        wave2 = waves.create_wave(s, PICKER, [short_line.order_id])
    for ln in _walk(database, wave2.id):
        with database.write() as s:
            picking.pick_item(s, PICKER, ln.id, _code(s, ln.product_id), ln.bin_code)
    with database.write() as s:
        packing.pack_item(s, PICKER, short_line.order_id, _code(s, short_line.product_id))
        (package,) = [
            p for p in packing.state(s, short_line.order_id).packages if p.status == "open"
        ]
        packing.set_weight(s, PICKER, package.id, 500)
        packing.finish(s, PICKER, short_line.order_id)
        assert shipping.ship(s, PICKER, short_line.order_id, carrier).status == "shipped"

    # a return: two units come back, one restocked, one scrapped, the right amount refunded
    order_id = short_line.order_id
    with database.write() as s:
        (line,) = [ln for ln in returns.returnable_lines(s, order_id) if ln.shipped == 2]
        with pytest.raises(ValidationError, match="Only 2 of"):
            returns.create(s, admin, order_id, {line.order_line_id: 3}, "Too big")
        rma = returns.create(s, admin, order_id, {line.order_line_id: 2}, "Wrong size")
    with database.write() as s:
        code = _code(s, short_line.product_id)
        returns.receive_scan(s, PICKER, rma, code)
        returns.receive_scan(s, PICKER, rma, code)
        with pytest.raises(ValidationError, match="received already"):
            returns.receive_scan(s, PICKER, rma, code)
    bin_id = short_line.location_id
    with database.read() as s:
        before = sum(r.on_hand for r in _stock(s, short_line.product_id) if r.location_id == bin_id)
    with database.write() as s:
        (rline,) = returns.get(s, rma).lines
        returns.inspect(s, PICKER, rline.id, restock=1, scrap=1, bin_id=bin_id)
        with pytest.raises(PermissionDenied):
            returns.refund(s, PICKER, rma)
    with database.write() as s:
        amount = returns.refund(s, admin, rma, "card")
        order_line = next(
            ln for ln in s.get(SalesOrder, order_id).lines if ln.id == line.order_line_id
        )
        assert amount == order_line.total
        after = sum(r.on_hand for r in _stock(s, short_line.product_id) if r.location_id == bin_id)
        assert after == before + 1
        assert sorted(returns.moves_of(s, rma)) == [("internal", 1), ("loss", 1), ("returns", 2)]
        kinds = [e.kind for e in order_detail.get_order(s, order_id).events]
        assert {"short_pick", "shipped", "return", "refunded"} <= set(kinds)
        assert check(s) == []
    with database.write() as s, pytest.raises(InvalidTransition):
        returns.refund(s, admin, rma)  # never twice


def factories_bin_code(s):
    return s.get(Location, factories.main_bin(s)).code


def _stock(s, product_id):
    from app.services.stock import catalogue

    return catalogue.product_stock(s, product_id)


def test_bad_fulfilment_input_is_refused_and_moves_nothing(database, admin, warehouse):
    products, carrier, customer = warehouse
    first, second = _orders(database, admin, products, customer, 2)
    with database.write() as s:
        wave = waves.create_wave(s, PICKER, [first, second])
        with pytest.raises(InvalidTransition, match="Only confirmed orders"):
            waves.create_wave(s, PICKER, [first])
    walk = _walk(database, wave.id)
    by_order = {ln.order_id: ln for ln in walk}
    a, b = by_order[first], by_order[second]
    with database.write() as s:
        # an item that belongs to another order on the list
        with pytest.raises(ValidationError, match=f"belongs to {b.order_number}"):
            picking.pick_item(s, PICKER, a.id, _code(s, b.product_id), a.bin_code)
        with pytest.raises(ValidationError, match="wrong check digit|Unknown code"):
            picking.pick_item(s, PICKER, a.id, "4006381333932", a.bin_code)
        # shipping or packing what is not ready
        with pytest.raises(InvalidTransition, match="only a packed order ships"):
            shipping.ship(s, PICKER, first, carrier)
        number = s.get(SalesOrder, first).number
        with pytest.raises(InvalidTransition, match="still being picked"):
            packing.open_for_packing(s, number)
    with database.read() as s:
        assert all(ln.picked == 0 for ln in picking.lines(s, wave.id))
    for ln in walk:
        with database.write() as s:
            for _ in range(ln.quantity):
                picking.pick_item(s, PICKER, ln.id, _code(s, ln.product_id), ln.bin_code)
    with database.write() as s:
        with pytest.raises(ValidationError, match="not part of"):
            packing.pack_item(s, PICKER, first, _code(s, b.product_id))
        with pytest.raises(ValidationError, match="not in a package yet"):
            packing.finish(s, PICKER, first)
        for _ in range(a.quantity):
            packing.pack_item(s, PICKER, first, _code(s, a.product_id))
        with pytest.raises(ValidationError, match="Too many"):
            packing.pack_item(s, PICKER, first, _code(s, a.product_id))
        with pytest.raises(ValidationError, match="Enter the weight of package 1"):
            packing.finish(s, PICKER, first)
        (package,) = packing.state(s, first).packages
        for weight in (0, -5, 10**9):
            with pytest.raises(ValidationError):
                packing.set_weight(s, PICKER, package.id, weight)
        packing.set_weight(s, PICKER, package.id, 1200)
        packing.finish(s, PICKER, first)
    with database.write() as s:
        with pytest.raises(ValidationError, match="not a Kestrel Post tracking number"):
            shipping.ship(s, PICKER, first, carrier, ["1Z999AA10123456784"])
        with pytest.raises(ValidationError, match="a tracking number for each"):
            shipping.ship(s, PICKER, first, carrier, [])
    with database.read() as s:
        assert s.get(SalesOrder, first).status == "packed"
        assert s.scalar(select(Package.status).where(Package.order_id == first)) == "closed"
        assert check(s) == []
    with database.write() as s:
        shipping.ship(s, PICKER, first, carrier, ["ks 123456789 nl"])  # typed loosely
        with pytest.raises(ValidationError, match="Only 0 of"):
            returns.create(s, admin, second, {b.order_line_id: 1}, "Never arrived")


def test_split_short_pick_finds_the_units_in_another_bin(database, admin, warehouse):
    products, _carrier, customer = warehouse
    with database.write() as s:
        spare = factories.bin_beside_main(s, "C-07", 70)
        inventory.receive(s, admin, products[0], spare, 5)
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(products[0], 3),), customer_id=customer)
        )
        order_actions.confirm(s, admin, ref.id)
        wave = waves.create_wave(s, PICKER, [ref.id])
    (line,) = _walk(database, wave.id)
    with database.write() as s:
        picking.pick_item(s, PICKER, line.id, _code(s, line.product_id), line.bin_code)
        picking.short_pick(s, PICKER, line.id, "split")
    walk = _walk(database, wave.id)
    assert [(ln.bin_code, ln.quantity, ln.status) for ln in walk] == [
        (line.bin_code, 3, "short"),
        (walk[1].bin_code, 2, "open"),
    ]
    # the short bin still shows stock (only the missing units were written off), but the
    # picker is sent elsewhere, not back to the bin that was just found short
    assert walk[1].bin_code != line.bin_code
    with database.write() as s:
        for _ in range(2):
            picking.pick_item(s, PICKER, walk[1].id, _code(s, line.product_id), walk[1].bin_code)
        assert packing.state(s, ref.id).lines[0].at_bench == 3
        assert check(s) == []


def test_assignment_prefers_a_warehouse_that_fills_the_whole_order(database, admin, warehouse):
    products, _carrier, customer = warehouse
    from app.models import Warehouse

    with database.write() as s:
        north = Warehouse(code="NORTH", name="North")
        s.add(north)
        s.flush()
        bin_n = Location(code="N-01", name="N-01", kind="internal", warehouse_id=north.id)
        s.add(bin_n)
        s.flush()
        inventory.receive(s, admin, products[0], bin_n.id, 100)
        ref = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(products[0], 50),), customer_id=customer)
        )
        order_actions.accept(s, admin, ref.id)
        assert s.get(SalesOrder, ref.id).warehouse_id == north.id
        events = [e.message for e in order_detail.get_order(s, ref.id).events]
        assert "Ships from NORTH has every line in stock" in events
        # a rule sends Irish orders to the main warehouse first, but it cannot fill this one
        assignment.add_rule(s, admin, "MAIN", 1, country="IE")
        other = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(products[0], 10),), customer_id=customer)
        )
        order_actions.confirm(s, admin, other.id)
        main_id = s.get(Location, factories.main_bin(s)).warehouse_id
        assert s.get(SalesOrder, other.id).warehouse_id == main_id
        with pytest.raises(InvalidTransition, match="stock reserved already"):
            order_actions.set_warehouse(s, admin, other.id, north.id)
        third = order_entry.create_order(
            s, admin, OrderInput("phone", (LineInput(products[1], 1),), customer_id=customer)
        )
        order_actions.set_warehouse(s, admin, third.id, north.id)  # by hand, before confirming
        with pytest.raises(OutOfStock):
            order_actions.confirm(s, admin, third.id)


def test_queues_follow_an_order_through_the_stages(database, admin, warehouse):
    from app.services.fulfilment import queues

    products, carrier, customer = warehouse
    (order_id,) = _orders(database, admin, products, customer, 1)

    def where_is_it():
        with database.read() as s:
            counts = queues.counts(s)
            found = [
                q for q in queues.QUEUES if any(r.id == order_id for r in queues.orders_in(s, q))
            ]
        return found, {q: counts[q] for q in found}

    assert where_is_it() == (["to_pick"], {"to_pick": 1})
    with database.write() as s:
        wave = waves.create_wave(s, PICKER, [order_id])
    assert where_is_it()[0] == ["picking"]
    for ln in _walk(database, wave.id):
        with database.write() as s:
            for _ in range(ln.quantity):
                picking.pick_item(s, PICKER, ln.id, _code(s, ln.product_id), ln.bin_code)
    assert where_is_it()[0] == ["to_pack"]
    with database.write() as s:
        for line in packing.state(s, order_id).lines:
            for _ in range(line.at_bench):
                packing.pack_item(s, PICKER, order_id, _code(s, line.product_id))
        (package,) = packing.state(s, order_id).packages
        packing.set_weight(s, PICKER, package.id, 300)
        packing.finish(s, PICKER, order_id)
    assert where_is_it()[0] == ["to_ship"]
    with database.write() as s:
        shipment = shipping.ship(s, PICKER, order_id, carrier).shipment_id
        link = shipping.shipments_of(s, order_id)[0].links[0]
        assert link == "https://track.example/KS000000001NL"
    assert where_is_it()[0] == ["shipped_today"]
    with database.write() as s:
        with pytest.raises(PermissionDenied):
            shipping.mark_exception(s, PICKER, shipment, "Parcel damaged")
        shipping.mark_exception(s, admin, shipment, "Parcel damaged")
    assert where_is_it()[0] == ["shipped_today", "exceptions"]
    with database.write() as s:
        shipping.mark_delivered(s, admin, shipment)
        assert s.get(SalesOrder, order_id).status == "delivered"
    with database.write() as s:
        urgent = order_entry.create_order(
            s,
            admin,
            OrderInput(
                "phone",
                (LineInput(products[0], 1),),
                customer_id=customer,
                carrier_id=carrier,
                priority=1,
                due_at=queues.due_within(1),
            ),
        )
        order_actions.confirm(s, admin, urgent.id)
    (plain,) = _orders(database, admin, products, customer, 1)
    with database.read() as s:
        assert [r.id for r in queues.orders_in(s, "to_pick")] == [urgent.id, plain]
        for where in (
            queues.QueueFilter(urgent_only=True),
            queues.QueueFilter(carrier_id=carrier),
            queues.QueueFilter(due_before=queues.due_within(2)),
        ):
            assert [r.id for r in queues.orders_in(s, "to_pick", where)] == [urgent.id]
            assert queues.counts(s, where)["to_pick"] == 1


def test_finish_and_print_slip_packs_and_queues_the_slip_together(database, admin, warehouse):
    from app.models import PrintJob

    products, _carrier, customer = warehouse
    (order_id,) = _orders(database, admin, products, customer, 1)
    with database.write() as s:
        wave = waves.create_wave(s, PICKER, [order_id])
    for ln in _walk(database, wave.id):
        with database.write() as s:
            for _ in range(ln.quantity):
                picking.pick_item(s, PICKER, ln.id, _code(s, ln.product_id), ln.bin_code)
    with database.write() as s:
        for line in packing.state(s, order_id).lines:
            for _ in range(line.at_bench):
                packing.pack_item(s, PICKER, order_id, _code(s, line.product_id))
    with database.write() as s, pytest.raises(ValidationError, match="weight"):
        packing.finish_and_print_slip(s, PICKER, WS, order_id)
    with database.read() as s:  # neither half happened
        assert s.get(SalesOrder, order_id).status == "picking"
        assert s.scalars(select(PrintJob).where(PrintJob.order_id == order_id)).all() == []
    with database.write() as s:
        (package,) = packing.state(s, order_id).packages
        packing.set_weight(s, PICKER, package.id, 300)
        assert packing.finish_and_print_slip(s, PICKER, WS, order_id) == 1
    with database.read() as s:
        assert s.get(SalesOrder, order_id).status == "packed"
        jobs = s.scalars(select(PrintJob).where(PrintJob.order_id == order_id)).all()
        assert [(j.document, j.workstation) for j in jobs] == [("packing-slip", WS)]
        kinds = [e.kind for e in order_detail.get_order(s, order_id).events]
        assert kinds[-2:] == ["packed", "printed"]
