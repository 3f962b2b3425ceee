"""The Reports tab with a report a fixture registered: the range changes, the chart and the
table follow, the result exports to CSV and XLSX and reads back the same, a folder that
cannot be written and a range that ends before it starts are said in words, an empty range
shows the report's note, a slow report is cancelled, and the screen fits at 1280x800."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal

from app.views.reports.screen import ReportsScreen
from tests.views.conftest import show_active
from tests.views.reports.conftest import NAME, SLOW, SLOW_STARTED

ALL_TIME = (date(2000, 1, 1), date.today() + timedelta(days=1))


def _open(qtbot, ctx):
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1080, 740)
    show_active(qtbot, screen)
    tab = screen.tab("Reports")
    tab.choose(NAME)
    return screen, tab


def _ran(tab, start, end):
    def done():
        result = tab.result
        return not tab.running() and result is not None and result.filters.start == start
        # (end checked by the caller: the same start may come back with another end)

    return done


def _run_range(qtbot, tab, start, end):
    tab.set_range(start, end)
    qtbot.waitUntil(_ran(tab, start, end), timeout=10_000)
    assert tab.result.filters.end == end


def _body(rows):
    """The rows of an export under its '# ...' header lines."""
    return [row for row in rows if row and not str(row[0]).startswith("#")]


def test_range_chart_table_and_exports(qtbot, qtmodeltester, ctx, test_report, tmp_path):
    screen, tab = _open(qtbot, ctx)
    assert tab.channel.isVisible() and not tab.warehouse.isVisible()  # the report's `uses`
    assert "Per UTC day" in tab.help.text()
    _run_range(qtbot, tab, *ALL_TIME)
    result = tab.result
    assert result.rows and tab.model.rowCount() == len(result.rows)
    qtmodeltester.check(tab.model)
    chart = tab.chart_view.chart()
    assert tab.chart_view.isVisible() and chart.series() and chart.title() == result.title
    first = result.rows[0]
    assert tab.model.index(0, 2).data() == ctx.money(first["gross"], "EUR")

    tab.export_to(tmp_path / "daily.csv", "csv")
    qtbot.waitUntil(lambda: tab.last_export == tmp_path / "daily.csv")
    with (tmp_path / "daily.csv").open(encoding="utf-8-sig", newline="") as f:
        body = _body(list(csv.reader(f)))
    assert body[0] == ["Date", "Orders", "Total"]
    assert [(r[0], int(r[1]), Decimal(r[2])) for r in body[1:]] == [
        (r["period"], r["orders"], Decimal(r["gross"]).scaleb(-2)) for r in result.rows
    ]

    from openpyxl import load_workbook

    tab.export_to(tmp_path / "daily.xlsx", "xlsx")
    qtbot.waitUntil(lambda: tab.last_export == tmp_path / "daily.xlsx")
    sheet = load_workbook(tmp_path / "daily.xlsx").active
    from app.services.reports.exports import header_lines

    body = [list(r) for r in sheet.iter_rows(values_only=True)][len(header_lines(result)) :]
    assert body[0] == ["Date", "Orders", "Total"]
    assert [(r[0], r[1], Decimal(str(r[2]))) for r in body[1:]] == [
        (r["period"], r["orders"], Decimal(r["gross"]).scaleb(-2)) for r in result.rows
    ]

    (tmp_path / "a-file").write_text("x")
    tab.export_to(tmp_path / "a-file" / "daily.csv", "csv")
    qtbot.waitUntil(lambda: "cannot write" in tab.message.text())
    assert "Choose another folder" in tab.message.text()


def test_a_channel_an_empty_range_and_a_range_backwards(qtbot, ctx, test_report):
    screen, tab = _open(qtbot, ctx)
    _run_range(qtbot, tab, *ALL_TIME)
    everything = sum(r["orders"] for r in tab.result.rows)
    tab.channel.setCurrentIndex(tab.channel.findData("counter"))
    qtbot.waitUntil(lambda: not tab.running() and tab.result.filters.channel == "counter")
    counter = sum(r["orders"] for r in tab.result.rows)
    assert 0 < counter < everything
    _run_range(qtbot, tab, date(1990, 1, 1), date(1990, 1, 31))
    assert tab.model.rowCount() == 0
    assert tab.empty.isVisible() and "No order was placed in this range" in tab.empty.text()
    assert not tab.chart_view.isVisible()
    tab.set_range(date(1990, 2, 1), date(1990, 1, 1))
    qtbot.waitUntil(lambda: "ends before it starts" in tab.message.text(), timeout=5_000)


def test_presets_follow_the_shop_day(qtbot, ctx, test_report):
    from app.views.reports.ranges import preset_range

    screen, tab = _open(qtbot, ctx)
    qtbot.waitUntil(lambda: tab.warehouse.count() > 1)  # the choices are in
    tab.preset.setCurrentText("Last month")
    start, end = preset_range("Last month", date.today())
    qtbot.waitUntil(
        lambda: not tab.running() and tab.result is not None and tab.result.filters.end == end,
        timeout=10_000,
    )
    assert tab.result.filters.start == start and start.day == 1
    assert preset_range("This week", date(2026, 12, 3)) == (date(2026, 11, 30), date(2026, 12, 3))
    assert preset_range("Last week", date(2026, 12, 3)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert preset_range("This year", date(2026, 12, 3))[0] == date(2026, 1, 1)


def test_a_slow_report_is_cancelled(qtbot, ctx, test_report):
    screen, tab = _open(qtbot, ctx)
    qtbot.waitUntil(lambda: not tab.running(), timeout=10_000)
    SLOW_STARTED.clear()
    tab.choose(SLOW)
    qtbot.waitUntil(SLOW_STARTED.is_set, timeout=5_000)
    assert tab.running() and tab.progress.isVisible() and tab.cancel_button.isEnabled()
    tab.cancel_button.click()
    assert "Cancelled" in tab.message.text() and not tab.progress.isVisible()
    from app.views import tasks

    qtbot.waitUntil(tasks.idle, timeout=5_000)  # the report saw `cancelled` and stopped
    assert tab.result is None or tab.result.name != SLOW  # its late answer is dropped


def test_the_reports_screen_fits_at_1280x800(qtbot, ctx, test_report):
    from app.views.main_window import MainWindow
    from tests.views.test_fit import cut_columns

    window = MainWindow(ctx, "Reports")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    show_active(qtbot, window)
    screen = window.screens["Reports"]
    qtbot.waitUntil(lambda: screen.dashboard.board is not None, timeout=10_000)
    scroll = screen.dashboard.findChild(type(screen.dashboard.children()[0]), "dashboard_scroll")
    assert window.width() == 1280 and window.height() == 800
    assert scroll is None or not scroll.horizontalScrollBar().isVisible()
    for tile in screen.dashboard.tiles.values():
        assert tile.isVisible() and tile.width() >= tile.minimumWidth()
    tab = screen.tab("Reports")
    tab.choose(NAME)
    _run_range(qtbot, tab, *ALL_TIME)
    assert window.width() == 1280
    assert cut_columns(tab.table) == []
    for button in (tab.run_button, tab.cancel_button, tab.export_button, tab.print_button):
        assert button.isVisible() and button.width() >= button.minimumSizeHint().width()


def test_print_sends_the_pdf_to_the_document_printer_or_says_why_not(qtbot, ctx, test_report):
    """The PDF export is built on the reports branch; until it lands, Print says so."""
    from app.services.printing import queue as printing

    screen, tab = _open(qtbot, ctx)
    _run_range(qtbot, tab, *ALL_TIME)
    tab.print_button.click()
    sent = "Sent to the document printer"
    qtbot.waitUntil(lambda: sent in tab.message.text() or "PDF" in tab.message.text())
    if sent in tab.message.text():
        with ctx.database.read() as s:
            jobs = printing.list_jobs(s, "till-1")
        assert jobs[0].document == "report" and jobs[0].state == "queued"
