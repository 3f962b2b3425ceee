"""A report's chart with QtCharts (PySide6-Addons), drawn from result.chart: bars, stacked
bars, a line or a pie over the same rows the table shows. Money is drawn in major units of
the report's currency (a chart's axis is a picture; the table and the exports keep the
exact minor units). Long results are cut to what a chart can show, and say so."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt

from app.core.i18n import _
from app.core.money import to_decimal
from app.services.reports.base import Column, ReportResult

MAX_CATEGORIES = 60  # bars or points along the axis
MAX_SLICES = 10  # a pie's slices; the rest is one "Other" slice


def _number(column: Column, value: object, currency: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return 0.0
    if column.kind == "money" and isinstance(value, int):
        return float(to_decimal(value, currency))
    if column.kind == "percent":
        return float(value) / 100
    return float(value)


def _series_data(result: ReportResult) -> tuple[list[str], dict[str, list[float]]]:
    """(categories along x, {series name: one value per category})."""
    spec, by_key = result.chart, {c.key: c for c in result.columns}
    categories: list[str] = []
    seen: dict[str, int] = {}
    for row in result.rows:
        label = str(row.get(spec.x, ""))
        if label not in seen:
            seen[label] = len(categories)
            categories.append(label)
    data: dict[str, list[float]] = {}
    if spec.split:  # one series per value of the split column, of the first series column
        key = spec.series[0] if spec.series else ""
        column = by_key.get(key, Column(key, key))
        for row in result.rows:
            name = str(row.get(spec.split, ""))
            values = data.setdefault(name, [0.0] * len(categories))
            values[seen[str(row.get(spec.x, ""))]] += _number(column, row.get(key), result.currency)
        return categories, data
    for key in spec.series:
        column = by_key.get(key, Column(key, key))
        values = [0.0] * len(categories)
        for row in result.rows:
            values[seen[str(row.get(spec.x, ""))]] += _number(column, row.get(key), result.currency)
        data[_(column.title)] = values
    return categories, data


def build_chart(result: ReportResult) -> tuple[QChart | None, str]:
    """The chart, and a note when it shows less than the table (or None: no chart)."""
    spec = result.chart
    if spec.kind == "none" or not result.rows or not spec.x or not spec.series:
        return None, ""
    categories, data = _series_data(result)
    chart = QChart()
    chart.setTitle(_(result.title))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    note = ""
    if spec.kind == "pie":
        return _pie(chart, categories, next(iter(data.values()))), note
    if len(categories) > MAX_CATEGORIES:
        note = _("The chart shows the first {shown} of {count}; the table has all.").format(
            shown=MAX_CATEGORIES, count=f"{len(categories):,}"
        )
        categories = categories[:MAX_CATEGORIES]
        data = {name: values[:MAX_CATEGORIES] for name, values in data.items()}
    if spec.kind == "line":
        _lines(chart, categories, data)
    else:
        _bars(chart, categories, data, stacked=spec.kind == "stacked_bar")
    kinds = {c.key: c.kind for c in result.columns}
    if all(kinds.get(key) == "money" for key in spec.series):
        for axis in chart.axes(Qt.Orientation.Vertical):
            axis.setTitleText(result.currency)
    return chart, note


def short_labels(categories: list[str]) -> list[str]:
    """ISO days of one year lose their year on the axis ('2026-11-04' -> '11-04'); the
    table keeps them whole."""
    years = {c[:4] for c in categories}
    if len(years) == 1 and all(len(c) == 10 and c[4] == "-" and c[7] == "-" for c in categories):
        return [c[5:] for c in categories]
    return categories


def _axes(chart: QChart, categories: list[str], top: float) -> tuple[QBarCategoryAxis, QValueAxis]:
    x = QBarCategoryAxis()
    x.append(short_labels(categories))
    if len(categories) > 12:
        x.setLabelsAngle(-90)
        font = x.labelsFont()
        font.setPointSize(max(6, font.pointSize() - 2))
        x.setLabelsFont(font)
    y = QValueAxis()
    y.setRange(min(0.0, top), max(top, 1.0) * 1.05)
    y.applyNiceNumbers()
    y.setLabelFormat("%.0f" if top >= 10 else "%.2f")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    return x, y


def _bars(
    chart: QChart, categories: list[str], data: dict[str, list[float]], *, stacked: bool
) -> None:
    series = QStackedBarSeries() if stacked else QBarSeries()
    for name, values in data.items():
        bar = QBarSet(name)
        bar.append(values)
        series.append(bar)
    chart.addSeries(series)
    if stacked:
        top = max((sum(col) for col in zip(*data.values(), strict=True)), default=0.0)
    else:
        top = max((max(v, default=0.0) for v in data.values()), default=0.0)
    x, y = _axes(chart, categories, top)
    series.attachAxis(x)
    series.attachAxis(y)


def _lines(chart: QChart, categories: list[str], data: dict[str, list[float]]) -> None:
    top = max((max(v, default=0.0) for v in data.values()), default=0.0)
    made = []
    for name, values in data.items():
        line = QLineSeries()
        line.setName(name)
        line.append([QPointF(i, v) for i, v in enumerate(values)])
        chart.addSeries(line)
        made.append(line)
    x, y = _axes(chart, categories, top)
    labels = x.categories()
    x.setRange(labels[0], labels[-1])
    for line in made:
        line.attachAxis(x)
        line.attachAxis(y)


def _pie(chart: QChart, categories: list[str], values: list[float]) -> QChart:
    ranked = sorted(zip(categories, values, strict=True), key=lambda p: -p[1])
    shown, rest = ranked[:MAX_SLICES], ranked[MAX_SLICES:]
    if rest:
        shown.append((_("Other"), sum(v for _c, v in rest)))
    pie = QPieSeries()
    for label, value in shown:
        if value > 0:
            pie.append(label, value)
    pie.setLabelsVisible(len(shown) <= 8)
    chart.addSeries(pie)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart
