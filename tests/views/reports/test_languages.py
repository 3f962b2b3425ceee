"""Issue 21 on the Reports screen: in German the presets, filters, report titles and
definitions are in words (a top-N report's definition with its number filled in), and a
preset chosen by its German name still sets its range."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.views.reports.ranges import preset_range, shop_today
from app.views.reports.screen import ReportsScreen


def test_reports_in_german(qtbot, german, settle):
    screen = ReportsScreen(german)
    qtbot.addWidget(screen)
    assert screen.tabs.tabText(0) == "Übersicht (F6)"
    tab = screen.tab("Reports")
    settle()
    titles = [tab.list.item(i).text() for i in range(tab.list.count())]
    assert "Top-Artikel" in titles and "Umsatz nach Zeitraum und Kanal" in titles
    assert tab.channel.itemText(0) == "Alle Kanäle"
    tab.choose("top_products")
    assert "Die 50 Artikel mit dem meisten Umsatz" in tab.help.text()
    tab.preset.setCurrentText("Gestern")
    assert tab.preset.currentData() == "Yesterday"
    start, end = preset_range("Yesterday", shop_today(tab._zone))
    assert (tab.filters().start, tab.filters().end) == (start, end)

    def ran() -> bool:
        result = tab.result
        return (
            result is not None
            and result.name == "top_products"
            and (result.filters.start == start and not tab.running())
        )

    qtbot.waitUntil(ran, timeout=20_000)
    assert tab.model.headerData(0, Qt.Orientation.Horizontal) == "Art.-Nr."
    assert "Zeile" in tab.message.text() or "Keine Daten" in tab.empty.text()
