"""The counter in real widgets, with simulated scanner bursts: a whole sale to the printer
emulator over TCP, exact cash in two key presses, and scans routed from other screens."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from sqlalchemy import select
from stdnum import ean

from app.models import Barcode, Location, StockLevel
from app.services.printing import queue as printing
from app.services.printing.queue import PrinterInput
from app.services.printing.worker import PrintWorker
from app.services.sales.counter import Cart, Tender
from app.views.counter.screen import PaymentDialog
from app.views.main_window import MainWindow
from app.views.scanner import ScannerFilter
from tests.views import keyboard
from tests.views.conftest import show_active


def counter_codes(ctx, count=3):
    """EANs of products with stock on the shop's counter shelves."""
    with ctx.database.read() as s:
        return list(
            s.scalars(
                select(Barcode.code)
                .join(StockLevel, StockLevel.product_id == Barcode.product_id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.code == "SHOP-COUNTER", StockLevel.on_hand >= 3)
                .order_by(Barcode.product_id)
                .limit(count)
            )
        )


def scan(qtbot, widget, code):
    """A scanner burst as a wedge sends it (Shift around capitals, keys ms apart, Enter)."""
    keyboard.scan(qtbot, widget, code)


def type_slowly(qtbot, widget, text):
    """A person at the keyboard: keys far enough apart that the scanner filter lets them by."""
    qtbot.keyClicks(widget, text, delay=60)
    qtbot.wait(60)


def answer_modal(kind, action, delay=50):
    """Act on the next modal dialog of `kind`; if the action fails, close the dialog so the
    test reports the failure instead of hanging in exec()."""

    def run():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, run)
            return
        try:
            action(dialog)
        except BaseException:
            dialog.reject()
            raise

    QTimer.singleShot(delay, run)


@pytest.fixture
def counter_window(qtbot, qapp, ctx, emulator):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    scanner = ScannerFilter(parent=window)
    scanner.scanned.connect(window.route_scan)
    scanner.install(qapp)
    with ctx.database.write() as s:
        printing.add_printer(
            s, ctx.actor, "till-1", PrinterInput("Receipts", emulator.uri, "receipt")
        )
    worker = PrintWorker(ctx.database, "till-1", idle_poll=0.05)
    ctx.wake_printer = worker.wake
    worker.start()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    screen = window.stack.currentWidget()
    screen.open_till("100.00")
    screen.input.setFocus()
    yield window, screen
    worker.stop()
    qapp.removeEventFilter(scanner)


def test_a_whole_sale_with_scanner_bursts(qtbot, counter_window, emulator, ctx):
    window, screen = counter_window
    first, second, third = counter_codes(ctx)
    assert "open since" in screen.till_label.text()
    for code in (first, second, second, third):
        scan(qtbot, screen.input, code)
    assert [ln.quantity for ln in screen.cart.lines] == [1, 2, 1]
    assert screen.input.text() == ""  # the bursts never reached the input as text
    unknown = "2999999999" + "99"
    scan(qtbot, screen.input, unknown + ean.calc_check_digit(unknown))
    assert "Unknown code" in screen.message.text()
    scan(qtbot, screen.input, "Ã©Ã©Ã©")  # a scanner on the wrong keyboard layout
    assert "keyboard layout" in screen.message.text()
    assert len(screen.cart.lines) == 3

    screen.table.selectRow(0)
    answer_modal(QInputDialog, lambda d: (d.setIntValue(3), d.accept()))
    qtbot.keyClick(screen.input, Qt.Key.Key_F2)
    assert screen.cart.lines[0].quantity == 3
    total = screen.cart.totals()[2]
    show_active(qtbot, window)  # the offscreen platform does not hand activation back

    def split(dialog):
        type_slowly(qtbot, dialog.amount, "10.00")
        type_slowly(qtbot, dialog.reference, "AUTH-42")
        qtbot.mouseClick(dialog.card, Qt.MouseButton.LeftButton)  # 10.00 by card
        assert "paid card €10.00" in dialog.due_label.text()
        type_slowly(qtbot, dialog.amount, f"{(total - 1000 + 500) / 100:.2f}")
        qtbot.mouseClick(dialog.cash, Qt.MouseButton.LeftButton)  # the rest in cash, 5.00 over

    answer_modal(PaymentDialog, split)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    sale = screen.last_sale
    assert sale is not None, screen.message.text()
    assert sale.total == total and sale.change == 500
    assert "Change €5.00" in screen.message.text()
    assert screen.cart.lines == []
    qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=10_000)
    receipt = emulator.reading(emulator.jobs[0])
    assert f"[QR {sale.number}]" in receipt and "[DRAWER]" in receipt
    assert "3 x " in receipt and "2 x " in receipt
    assert "TOTAL" in receipt and f"€{total / 100:.2f}" in receipt
    assert "Card" in receipt and "Change" in receipt


def test_exact_cash_is_two_key_presses(qtbot, counter_window, emulator, ctx):
    window, screen = counter_window
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    answer_modal(PaymentDialog, lambda d: qtbot.keyClick(d.amount, Qt.Key.Key_Return))
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)  # key 1
    # key 2 was the Enter in the payment dialog: exact cash is its default button
    assert screen.last_sale is not None and screen.last_sale.change == 0
    qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=10_000)


def test_printer_off_at_the_moment_of_sale(qtbot, counter_window, ctx):
    window, screen = counter_window
    with ctx.database.write() as s:
        printing.add_printer(
            s, ctx.actor, "till-1", PrinterInput("Off", "tcp://127.0.0.1:1?timeout=0.2", "receipt")
        )
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    screen.pay([Tender("cash", screen.cart.totals()[2])])
    assert screen.last_sale is not None  # the sale completed; the receipt waits
    assert "Receipt printing" in screen.message.text()
    qtbot.waitUntil(lambda: "refused the connection" in window.print_label.text(), timeout=10_000)
    assert "1 waiting" in window.print_label.text()


def test_a_scanned_order_number_opens_the_order_from_any_screen(qtbot, counter_window):
    window, screen = counter_window
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Inventory
    focus = window.stack.currentWidget().search
    focus.setFocus()
    scan(qtbot, focus, "SO-000042")
    assert window.stack.currentWidget() is window.screens["Orders"]
    title = window.screens["Orders"].detail.title  # the order is read in the background
    qtbot.waitUntil(lambda: title.text().startswith("SO-000042"))
    assert focus.text() == ""


def test_typing_is_not_a_scan(qtbot, counter_window):
    window, screen = counter_window
    qtbot.keyClicks(screen.input, "SO-1", delay=80)  # a person typing
    assert screen.input.text() == "SO-1"


def test_close_the_till_prints_and_keeps_the_z_report(qtbot, counter_window, emulator, ctx):
    import io

    from pypdf import PdfReader

    window, screen = counter_window
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    total = screen.cart.totals()[2]
    screen.pay([Tender("cash", total)])
    expected = 10_000 + total
    screen.close_till({5000: 2})  # 100.00 counted
    assert (
        f"difference €{(10_000 - expected) / 100:.2f}".replace("€-", "-€") in screen.message.text()
    )
    assert "closed" in screen.till_label.text()
    qtbot.waitUntil(lambda: len(emulator.jobs) == 2, timeout=10_000)
    z_report = emulator.reading(emulator.jobs[1])
    assert "Z report" in z_report and "Sales cash" in z_report and "Difference" in z_report
    text = PdfReader(io.BytesIO(open(screen.z_report_path, "rb").read())).pages[0].extract_text()
    assert "Z report" in text and "Counted cash" in text and "€100.00" in text


def test_scanning_a_receipt_at_the_counter_refunds_it(qtbot, counter_window, ctx):
    from app.views.counter.screen import RefundDialog

    window, screen = counter_window
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    total = screen.cart.totals()[2]
    screen.pay([Tender("cash", total)])
    number = screen.last_sale.number

    def take_one_back(dialog):
        (box,) = dialog.boxes.values()
        assert box.maximum() == 2
        box.setValue(1)
        dialog.accept()

    answer_modal(RefundDialog, take_one_back)
    keyboard.scan(qtbot, screen.input, number, caps_lock=True)  # the receipt's QR, Caps Lock on
    assert f"Refunded €{total / 2 / 100:.2f} for {number}" in screen.message.text()


def test_park_and_resume(qtbot, counter_window, ctx):
    window, screen = counter_window
    first, second, _ = counter_codes(ctx)
    scan(qtbot, screen.input, first)
    qtbot.keyClick(screen.input, Qt.Key.Key_F6)
    assert screen.cart.lines == [] and "parked" in screen.message.text()
    scan(qtbot, screen.input, second)
    qtbot.keyClick(screen.input, Qt.Key.Key_F7)
    assert "first" in screen.message.text()  # the sale on the counter comes first
    screen.pay([Tender("card", screen.cart.totals()[2])])
    qtbot.keyClick(screen.input, Qt.Key.Key_F7)
    assert [ln.quantity for ln in screen.cart.lines] == [1]
    screen.pay([Tender("card", screen.cart.totals()[2])])
    qtbot.keyClick(screen.input, Qt.Key.Key_F7)
    assert "No sale is parked" in screen.message.text()


def test_scanner_set_up_check_in_settings(qtbot, counter_window):
    import zxingcpp

    from app.services.stock.scanning import TEST_CODE

    window, _screen = counter_window
    settings = window.show_screen("Settings")
    settings.tabs.setCurrentWidget(settings.scanner)
    page = settings.scanner
    image = page.code_image.pixmap().toImage()
    from PIL import Image

    picture = Image.frombytes(
        "RGBA",
        (image.width(), image.height()),
        bytes(image.convertToFormat(image.Format.Format_RGBA8888).constBits()),
    )
    assert [b.text for b in zxingcpp.read_barcodes(picture)] == [TEST_CODE]  # it scans
    page.input.setFocus()
    scan(qtbot, page.input, "Kwèyq23()m")  # a US scanner on a French keyboard
    assert "French AZERTY" in page.result.text()
    scan(qtbot, page.input, TEST_CODE)
    assert "works" in page.result.text()


def test_price_below_cost_needs_a_managers_approval(qtbot, counter_window, ctx):
    from app.core import auth
    from app.views.counter.screen import ManagerDialog

    window, screen = counter_window
    with ctx.database.write() as s:
        auth.create_user(s, ctx.actor, "mia", "manager-pass", auth.Role.MANAGER, "Mia Manager")
    ctx.actor = auth.Actor(None, "cathy", "Cathy", auth.Role.CASHIER, "till-1")
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])

    def price(dialog):
        dialog.setTextValue("0.01")
        dialog.accept()

    def manager(dialog):
        why.append(dialog.reason.text())
        dialog.username.setText("mia")
        dialog.password.setText("wrong")
        dialog.approve()
        assert dialog.error.text() == "Wrong user name or password."
        dialog.password.setText("manager-pass")
        dialog.approve()

    why: list[str] = []
    answer_modal(QInputDialog, price)
    answer_modal(ManagerDialog, manager, delay=150)
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    line = screen.cart.lines[0]
    assert (line.unit_price, line.approved_by) == (1, "Mia Manager")
    assert why == [
        f"{line.name} at €0.01: A price below cost needs a manager: ask one to override."
    ]
    screen.pay([Tender("cash", 1)])
    from app.services.sales import orders

    with ctx.database.read() as s:
        events = orders.get_order(s, screen.last_sale.order_id).events
    assert any("with Mia Manager's approval" in e.message for e in events)


def test_items_without_a_barcode_are_found_by_name(qtbot, counter_window, ctx):
    from app.services.stock import catalogue
    from app.services.stock.catalogue import ProductInput

    window, screen = counter_window
    with ctx.database.write() as s:
        catalogue.create_product(
            s, ctx.actor, ProductInput("LOOSE-1", "Loose apples", 99, track_stock=False)
        )
        catalogue.create_product(
            s, ctx.actor, ProductInput("LOOSE-2", "Loose pears", 129, track_stock=False)
        )
    type_slowly(qtbot, screen.input, "loose app")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    assert [ln.sku for ln in screen.cart.lines] == ["LOOSE-1"]

    def pick_pears(dialog):
        dialog.setTextValue(next(i for i in dialog.comboBoxItems() if "pears" in i))
        dialog.accept()

    answer_modal(QInputDialog, pick_pears)
    type_slowly(qtbot, screen.input, "loose")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    assert [ln.sku for ln in screen.cart.lines] == ["LOOSE-1", "LOOSE-2"]
    type_slowly(qtbot, screen.input, "zebra")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    assert screen.message.text() == "Nothing matches 'zebra'."


def test_discounts_and_customer_from_the_keyboard(qtbot, counter_window, ctx):
    from app.core import auth

    window, screen = counter_window
    ctx.actor = auth.Actor(None, "cathy", "Cathy", auth.Role.CASHIER, "till-1")
    first, second, _ = counter_codes(ctx)
    scan(qtbot, screen.input, first)
    scan(qtbot, screen.input, second)
    gross = [ln.unit_price for ln in screen.cart.lines]
    screen.ask_text = lambda *_a, **_k: "10%"  # the cashier types 10% for the selected line
    screen.table.selectRow(0)
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    assert screen.cart.lines[0].discount == round(gross[0] / 10)
    screen.ask_text = lambda *_a, **_k: "*50%"  # half off the sale needs a manager
    screen.ask_manager = lambda *_reason: None
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    assert "a manager did not approve" in screen.message.text()
    screen.ask_text = lambda *_a, **_k: "Nora Newcomer"
    asked: list[str] = []
    screen.confirm_new_customer = lambda text: asked.append(text) or len(asked) > 1
    qtbot.keyClick(screen.input, Qt.Key.Key_F5)  # asked, and the cashier says no
    assert asked == ["Nora Newcomer"] and "none was added" in screen.message.text()
    assert screen.cart.customer_id is None
    qtbot.keyClick(screen.input, Qt.Key.Key_F5)  # asked again: yes
    assert "New customer Nora Newcomer" in screen.message.text()
    screen.pay([Tender("cash", screen.cart.totals()[2])])
    from app.models import SalesOrder

    with ctx.database.read() as s:
        assert s.get(SalesOrder, screen.last_sale.order_id).customer_name == "Nora Newcomer"


def test_pay_with_store_credit(qtbot, counter_window, ctx):
    from app.services.sales import counter
    from tests import factories

    window, screen = counter_window
    customer = factories.customer(ctx.database, ctx.actor, "Orla Walsh")
    with ctx.database.write() as s:
        counter.give_credit(s, ctx.actor, customer, 500, None, "goodwill")
    screen.ask_text = lambda *_a, **_k: "Orla"
    qtbot.keyClick(screen.input, Qt.Key.Key_F5)
    assert screen.message.text() == "Customer: Orla Walsh."
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    total = screen.cart.totals()[2]

    def credit_then_cash(dialog):
        assert dialog.store_credit.isEnabled() and "€5.00" in dialog.store_credit.text()
        qtbot.mouseClick(dialog.store_credit, Qt.MouseButton.LeftButton)
        assert "paid store_credit €5.00" in dialog.due_label.text()
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # the rest, exact cash

    answer_modal(PaymentDialog, credit_then_cash)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    assert screen.last_sale is not None and screen.last_sale.total == total
    with ctx.database.read() as s:
        assert counter.credit_balance(s, customer) == 0


def test_gift_card_sold_and_spent_by_scanning_it(qtbot, counter_window, emulator, ctx):
    from app.views import sound
    from app.views.counter.screen import GiftCardDialog

    window, screen = counter_window
    card = "CARD-777001"  # a pre-printed card, scanned while the dialog asks for its code

    def sell(dialog):
        type_slowly(qtbot, dialog.amount, "25.00")
        scan(qtbot, QApplication.focusWidget(), card)
        assert dialog.code.text() == card
        dialog.accept()

    answer_modal(GiftCardDialog, sell)
    qtbot.keyClick(screen.input, Qt.Key.Key_F10)
    assert [ln.name for ln in screen.cart.lines] == [f"Gift card {card}"]
    show_active(qtbot, window)
    screen.pay([Tender("card", 2500)])
    assert screen.last_sale is not None, screen.message.text()
    qtbot.waitUntil(lambda: len(emulator.jobs) == 1, timeout=10_000)
    assert f"[BARCODE {card}]" in emulator.reading(emulator.jobs[0])

    code = counter_codes(ctx, 1)[0]
    for _ in range(3):
        scan(qtbot, screen.input, code)
    total = screen.cart.totals()[2]
    assert total > 2500
    errors_before = len(sound.played)

    def pay_with_card_then_cash(dialog):
        scan(qtbot, QApplication.focusWidget(), "CARD-999999")  # no such card
        assert "no gift card" in dialog.error.text() and len(sound.played) == errors_before + 1
        scan(qtbot, QApplication.focusWidget(), card)
        assert f"To pay: €{(total - 2500) / 100:.2f}" in dialog.due_label.text()
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # the rest in exact cash

    show_active(qtbot, window)
    answer_modal(PaymentDialog, pay_with_card_then_cash)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    assert screen.last_sale is not None and screen.last_sale.total == total
    with ctx.database.read() as s:
        from app.services.sales import gift_cards

        assert gift_cards.card_info(s, card).balance == 0


def test_an_unknown_scan_sounds_the_error(qtbot, counter_window):
    from app.views import sound

    _window, screen = counter_window
    before = len(sound.played)
    scan(qtbot, screen.input, "4006381333931")  # a valid EAN no product has
    assert "Unknown code" in screen.message.text() and len(sound.played) == before + 1
    assert screen.input.hasFocus()


# the test cuts the server off: the pool cannot reset the connections it held
@pytest.mark.allow_log(logging.ERROR, logger="sqlalchemy.pool", match="Exception during reset")
def test_the_counter_sells_offline_and_syncs_when_the_server_is_back(
    qtbot, qapp, pg_database, pg_server
):
    """The shared server stops taking connections mid-shift: the till keeps selling from
    its journal, says so, and syncs the sale once the server is back."""
    import psycopg
    from sqlalchemy import func

    from app.admin.demo import build_demo
    from app.config import WorkstationSettings
    from app.core import auth
    from app.core.bootstrap import ensure_base_data
    from app.models import OfflineSale
    from app.views.app import build_context
    from tests.conftest import _empty_pg

    database = pg_database
    _empty_pg(database)
    with database.write() as s:
        ensure_base_data(s)
        created = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
        actor = auth.Actor(created.user_id, "admin", "Ada", auth.Role.ADMIN, "till-off")
        build_demo(s, actor, products=40, customers=10, orders=30, with_users=False)
    ctx = build_context(database, actor, WorkstationSettings(workstation_name="till-off"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    screen = window.show_screen("Counter")
    screen.open_till("100.00")
    (first,) = counter_codes(ctx, 1)
    scan(qtbot, screen.input, first)  # online: looked up, and remembered by the journal
    name = database.engine.url.database

    def server(allow: bool) -> None:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}')
            if not allow:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )

    try:
        qtbot.waitUntil(lambda: screen.journal.find(first) is not None)
        server(False)
        scan(qtbot, screen.input, first)  # the lookup fails: the journal answers
        assert screen.offline and "OFFLINE" in screen.till_label.text()
        assert [ln.quantity for ln in screen.cart.lines] == [2]
        screen.pay([Tender("cash", screen.cart.totals()[2] + 500)])
        assert "Offline sale kept" in screen.message.text()
        assert "Change €5.00" in screen.message.text()
        from app import paths
        from app.admin.emulator import read_escpos

        folder = paths.data_dir() / "preview"
        qtbot.waitUntil(lambda: any(folder.glob("*offline-*")), timeout=10_000)
        (receipt,) = [f for f in folder.glob("*offline-*") if f.stat().st_size]
        text = read_escpos(receipt.read_bytes(), {})
        assert "OFFLINE" in text and "2 x " in text and "[DRAWER]" in text
        assert "1 sale(s) wait" in screen.till_label.text()
        screen.try_sync()  # still away: nothing happens, nothing is lost
        assert screen.journal.pending_count() == 1
    finally:
        server(True)
    screen.try_sync()
    assert "1 offline sale(s) synced" in screen.message.text(), screen.message.text()
    assert not screen.offline and screen.journal.pending_count() == 0
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(OfflineSale)) == 1
    ctx.bridge.close()


def test_typed_tender_and_enter_pays_it_and_gives_change(qtbot, counter_window, ctx):
    """Type what the customer hands over, press Enter: cash with that amount, the change
    shown large as it is typed and kept in sight after the sale until the next scan."""
    window, screen = counter_window
    first, second = counter_codes(ctx, 2)
    scan(qtbot, screen.input, first)
    total = screen.cart.totals()[2]
    tendered = total + 1234
    shown: list[str] = []

    def hand_over(dialog):
        keyboard.type_slowly(qtbot, dialog.amount, str(tendered // 100))
        shown.append(dialog.change_label.text())
        keyboard.type_slowly(qtbot, dialog.amount, f",{tendered % 100:02d}")
        shown.append(dialog.change_label.text())
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)

    answer_modal(PaymentDialog, hand_over)
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    sale = screen.last_sale
    assert sale is not None, screen.message.text()
    assert sale.change == 1234
    assert shown[-1] == "Change: €12.34"  # live, with a comma as the decimal separator
    assert screen.change_label.text() == "Change €12.34"
    with ctx.database.read() as s:
        from app.models import Payment

        payment = s.scalars(select(Payment).where(Payment.order_id == sale.order_id)).one()
        assert (payment.method, payment.amount, payment.tendered) == ("cash", total, tendered)
    scan(qtbot, screen.input, second)  # the next customer: the change goes
    assert screen.change_label.text() == ""


@pytest.mark.parametrize("typed", ["abc", "-5", "12.345", "12..5", "1e999999999", "NaN"])
def test_bad_tender_is_refused_in_words_and_nothing_is_lost(qtbot, ctx, typed):
    dialog = PaymentDialog(ctx, total=1250)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    dialog.amount.setText(typed)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.tenders == []
    assert dialog.error.text()  # a message, in words
    assert dialog.amount.text() == typed  # still there to correct
    assert dialog.result() != PaymentDialog.DialogCode.Accepted


def test_more_than_ten_times_the_total_is_asked_about(qtbot, ctx, monkeypatch):
    dialog = PaymentDialog(ctx, total=1250)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    answers = [False, True]
    monkeypatch.setattr(dialog, "confirm_large", lambda _amount: answers.pop(0))
    dialog.amount.setText("12500")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.tenders == [] and dialog.amount.text() == "12500"  # said no: kept
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert [(t.method, t.amount) for t in dialog.tenders] == [("cash", 1_250_000)]


def test_enter_on_an_empty_amount_is_still_exact_cash(qtbot, ctx):
    dialog = PaymentDialog(ctx, total=1250)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert [(t.method, t.amount) for t in dialog.tenders] == [("cash", 1250)]


def test_a_closed_till_is_said_at_the_first_scan(qtbot, counter_window, ctx):
    window, screen = counter_window
    screen.close_till({})
    first, second = counter_codes(ctx, 2)
    scan(qtbot, screen.input, first)
    assert "is closed" in screen.message.text() and "F9" in screen.message.text()
    scan(qtbot, screen.input, second)  # said once, not at every scan
    assert "is closed" not in screen.message.text()


def test_f2_names_the_product_and_up_down_move_between_lines(qtbot, counter_window, ctx):
    window, screen = counter_window
    codes = counter_codes(ctx, 3)
    for code in codes:
        scan(qtbot, screen.input, code)
    assert screen.table.selectionModel().selectedRows()[0].row() == 2  # the last scanned
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)  # stays on the first line
    assert screen.table.selectionModel().selectedRows()[0].row() == 0
    qtbot.keyClick(screen.input, Qt.Key.Key_Down)
    asked: list[str] = []
    screen.ask_quantity = lambda _current, name="": asked.append(name) or 4
    qtbot.keyClick(screen.input, Qt.Key.Key_F2)
    assert asked == [screen.cart.lines[1].name]
    assert [ln.quantity for ln in screen.cart.lines] == [1, 4, 1]
    assert screen.input.hasFocus()


def test_a_discount_shows_in_its_own_cart_column(qtbot, counter_window, ctx):
    window, screen = counter_window
    scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    screen.ask_text = lambda *_a, **_k: "1.00"
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    model = screen.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Discount")
    assert model.data(model.index(0, column)) == "-€1.00"


@pytest.mark.allow_log(logging.ERROR, logger="kestrel.offline", match="parked")
def test_the_counter_syncs_past_an_offline_sale_that_hits_a_bug(
    qtbot, counter_window, ctx, monkeypatch
):
    from app.services.sales import offline

    _window, screen = counter_window
    first, second, _ = counter_codes(ctx)
    scan(qtbot, screen.input, first)
    scan(qtbot, screen.input, second)
    qtbot.waitUntil(lambda: screen.journal.find(second) is not None)
    keys = []
    for code in (first, second):
        cart = Cart()
        cart.add(screen.journal.find(code))
        total = cart.totals()[2]
        keys.append(
            screen.journal.record_sale(cart, [Tender("cash", total)], screen.till, "till-1")
        )
    real = offline._sync_one

    def buggy(database, actor, key, *rest):
        if key == keys[0]:
            raise KeyError("a bug")
        return real(database, actor, key, *rest)

    monkeypatch.setattr(offline, "_sync_one", buggy)
    screen.try_sync()
    assert "1 offline sale(s) synced" in screen.message.text(), screen.message.text()
    assert "1 parked for a manager" in screen.message.text()
    assert "1 offline sale(s) parked for a manager" in screen.till_label.text()
    assert screen.journal.pending_count() == 0  # nothing left to retry for ever
