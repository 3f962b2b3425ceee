"""A report as PDF (ReportLab): the header lines (title, definition, range, filters,
notes), its chart drawn from result.chart as vectors, then the table, paged with its
column titles repeated and "page n of m" on every page. The fonts and the numbered
canvas are the documents' own (app/printing/pdf.py), so names in any script print."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core.money import format_money
from app.printing.pdf import BOLD, REGULAR, _NumberedCanvas, _safe, _styles
from app.services.reports.base import Column, ReportResult
from app.services.reports.header import header_lines

CHART_W, CHART_H = int(250 * mm), int(70 * mm)
MAX_CATEGORIES = 62  # bars beyond two months of days are unreadable: the table has all
MAX_SERIES = 8
PALETTE = (
    colors.HexColor("#1f77b4"),
    colors.HexColor("#ff7f0e"),
    colors.HexColor("#2ca02c"),
    colors.HexColor("#d62728"),
    colors.HexColor("#9467bd"),
    colors.HexColor("#8c564b"),
    colors.HexColor("#e377c2"),
    colors.HexColor("#7f7f7f"),
)


def write_pdf(result: ReportResult, path: Path) -> None:
    path.write_bytes(render_pdf(result))


def render_pdf(result: ReportResult) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=result.title,
        author="Kestrel",
    )
    lines = header_lines(result)
    story: list[Flowable] = [Paragraph(_safe(lines[0]), styles["title"])]
    story += [Paragraph(_safe(line), styles["p"]) for line in lines[1:]]
    story.append(Spacer(1, 4 * mm))
    chart = chart_drawing(result)
    if chart is not None:
        story += [chart, Spacer(1, 4 * mm)]
    story.append(_table(result))
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def _text(column: Column, value: object, currency: str) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "money" and isinstance(value, int):
        return format_money(value, currency)
    if column.kind == "percent" and isinstance(value, int):
        return f"{Decimal(value).scaleb(-2)} %"
    if column.kind in ("int", "quantity") and isinstance(value, int):
        return f"{value:,}"
    if column.kind == "hours" and isinstance(value, int | float):
        return f"{value:,.1f}"
    return str(value)


def _table(result: ReportResult) -> Table:
    cols = result.columns
    head = [_safe(c.title) for c in cols]
    body = [[_safe(_text(c, row.get(c.key), result.currency)) for c in cols] for row in result.rows]
    if result.totals:
        body.append(
            [
                _text(c, result.totals.get(c.key), result.currency) if i else "Total"
                for i, c in enumerate(cols)
            ]
        )
    if not body:
        body = [["(no rows)"] + [""] * (len(cols) - 1)]
    table = Table([head, *body], repeatRows=1)
    style: list[Any] = [
        ("FONT", (0, 1), (-1, -1), REGULAR, 8),
        ("FONT", (0, 0), (-1, 0), BOLD, 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for i, c in enumerate(cols):
        if c.kind in ("int", "money", "percent", "hours", "quantity"):
            style.append(("ALIGN", (i, 0), (i, -1), "RIGHT"))
    if result.totals:
        style.append(("FONT", (0, -1), (-1, -1), BOLD, 8))
    table.setStyle(TableStyle(style))
    return table


def chart_series(result: ReportResult) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """The chart's categories (x values, first seen order) and its series: one per
    column in chart.series, or one per distinct value of chart.split."""
    chart = result.chart
    xs: list[str] = []
    for row in result.rows:
        x = str(row.get(chart.x, ""))
        if x not in xs:
            xs.append(x)
    xs = xs[:MAX_CATEGORIES]
    where = {x: i for i, x in enumerate(xs)}
    series: dict[str, list[float]] = {}
    for row in result.rows:
        i = where.get(str(row.get(chart.x, "")))
        if i is None:
            continue
        for key in chart.series:
            name = str(row.get(chart.split, "")) if chart.split else key
            values = series.setdefault(name, [0.0] * len(xs))
            value = row.get(key)
            values[i] += value if isinstance(value, int | float) else 0
    return xs, list(series.items())[:MAX_SERIES]


def chart_drawing(result: ReportResult) -> Drawing | None:
    if result.chart.kind == "none" or not result.rows or not result.chart.series:
        return None
    xs, series = chart_series(result)
    if not xs or not series:
        return None
    drawing = Drawing(CHART_W, CHART_H)
    plot: VerticalBarChart | HorizontalLineChart
    plot = HorizontalLineChart() if result.chart.kind == "line" else VerticalBarChart()
    plot.x, plot.y = 45, 30
    plot.width, plot.height = CHART_W - 170, CHART_H - 45
    plot.data = [values for _name, values in series]
    plot.categoryAxis.categoryNames = [x[:12] for x in xs]
    plot.categoryAxis.labels.fontName = REGULAR
    plot.categoryAxis.labels.fontSize = 6
    plot.categoryAxis.labels.angle = 45 if len(xs) > 8 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(xs) > 8 else "n"
    plot.valueAxis.labels.fontName = REGULAR
    plot.valueAxis.labels.fontSize = 6
    plot.valueAxis.labelTextFormat = _axis_format(result)
    plot.valueAxis.forceZero = True
    for i in range(len(series)):
        colour = PALETTE[i % len(PALETTE)]
        if isinstance(plot, VerticalBarChart):
            plot.bars[i].fillColor = colour
            plot.bars[i].strokeColor = None
        else:
            plot.lines[i].strokeColor = colour
    if isinstance(plot, VerticalBarChart) and result.chart.kind == "stacked_bar":
        plot.categoryAxis.style = "stacked"
    drawing.add(plot)
    drawing.add(_legend(series))
    title = ", ".join(_title_of(result, key) for key in result.chart.series)
    drawing.add(String(45, CHART_H - 10, _safe(title), fontName=BOLD, fontSize=8))
    return drawing


def _legend(series: list[tuple[str, list[float]]]) -> Legend:
    legend = Legend()
    legend.x, legend.y = CHART_W - 115, CHART_H - 20
    legend.fontName, legend.fontSize = REGULAR, 7
    legend.alignment = "right"
    legend.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], name[:24] or "(none)") for i, (name, _v) in enumerate(series)
    ]
    return legend


def _title_of(result: ReportResult, key: str) -> str:
    return next((c.title for c in result.columns if c.key == key), key)


def _axis_format(result: ReportResult) -> Callable[[float], str]:
    """Money on the axis in the currency's own units (the values stay minor units)."""
    kinds = {c.key: c.kind for c in result.columns}
    if all(kinds.get(key) == "money" for key in result.chart.series):
        return lambda value: format_money(int(value), result.currency)
    return lambda value: f"{int(value):,}"
