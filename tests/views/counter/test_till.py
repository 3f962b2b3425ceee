"""The till at the counter (views/counter/till.py): closing it prints and keeps the Z report."""

from __future__ import annotations

from app.services.sales.counter import Tender
from tests.views import keyboard
from tests.views.conftest import counter_codes


def test_close_the_till_prints_and_keeps_the_z_report(qtbot, counter_window, emulator, ctx, settle):
    import io

    from pypdf import PdfReader

    window, screen = counter_window
    keyboard.scan(qtbot, screen.input, counter_codes(ctx, 1)[0])
    settle()
    total = screen.cart.totals()[2]
    screen.pay([Tender("cash", total)])
    settle()
    expected = 10_000 + total
    screen.close_till({5000: 2})  # 100.00 counted
    settle()
    assert (
        f"difference €{(10_000 - expected) / 100:.2f}".replace("€-", "-€") in screen.message.text()
    )
    assert "closed" in screen.till_label.text()
    qtbot.waitUntil(lambda: len(emulator.jobs) == 2, timeout=10_000)
    z_report = emulator.reading(emulator.jobs[1])
    assert "Z report" in z_report and "Sales cash" in z_report and "Difference" in z_report
    text = PdfReader(io.BytesIO(open(screen.z_report_path, "rb").read())).pages[0].extract_text()
    assert "Z report" in text and "Counted cash" in text and "€100.00" in text
