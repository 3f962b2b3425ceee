"""Settings -> Carriers: a carrier added from the form, refused in words first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.services.fulfilment import shipping
from app.views.main_window import MainWindow
from tests.views.conftest import show_active


def test_carriers_are_added_in_settings(qtbot, ctx, settle):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    settings = window.show_screen("Settings")
    page = settings.carriers
    settings.tabs.setCurrentWidget(page)
    settle()
    qtbot.keyClicks(page.fields["code"], "dpd")
    qtbot.keyClicks(page.fields["name"], "DPD")
    qtbot.keyClicks(page.fields["pattern"], r"\d{14}")
    qtbot.keyClicks(page.fields["url"], "https://dpd.example/no-placeholder")
    qtbot.mouseClick(page.findChild(QPushButton, "carrier_add"), Qt.MouseButton.LeftButton)
    settle()
    assert "{tracking}" in page.error.text()
    assert page.fields["code"].text() == "dpd"  # the form is kept to be put right
    page.fields["url"].setText("https://dpd.example/{tracking}")
    qtbot.mouseClick(page.findChild(QPushButton, "carrier_add"), Qt.MouseButton.LeftButton)
    settle()
    assert page.error.text() == ""
    assert "DPD" in [row.code for row in page.model.rows()]
    with ctx.database.read() as s:
        (dpd,) = [c for c in shipping.carriers(s) if c.code == "DPD"]
        assert shipping.check_tracking(dpd, "0123 4567 8901 23") == "01234567890123"
