"""What every report is: a name, a definition in words, the filters it uses, and a run
that aggregates in SQL and returns columns, rows and the chart to draw from them.

The screen, the exports (CSV, XLSX, PDF) and `kestrel report NAME` all take a
ReportResult, so a report is written once and shown, exported and printed the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _

Group = Literal["day", "week", "month"]
ColumnKind = Literal["text", "int", "money", "percent", "date", "hours", "quantity"]
ChartKind = Literal["bar", "stacked_bar", "line", "pie", "none"]
FILTERS = ("warehouse", "channel", "category", "group")
MAX_DAYS = 3653  # ten years, leap days included: longer ranges are a typing slip


@dataclass(frozen=True)
class Filters:
    """The range is of local dates in the shop's time zone, both ends included."""

    start: dt.date
    end: dt.date
    warehouse: str | None = None  # warehouse code
    channel: str | None = None  # channel name as stored on orders ("counter", "web"...)
    category: str | None = None  # category name
    group: Group = "day"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(_("The report's range ends before it starts."))
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise ValidationError(_("A report covers at most 10 years: choose a shorter range."))
        if self.group not in ("day", "week", "month"):
            raise ValidationError(
                _("'{group}' is not day, week or month.").format(group=self.group)
            )


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Chart:
    """Which columns to draw: x along the axis, one series per column in `series`;
    `split` makes one series per distinct value of that column (sales per channel)."""

    kind: ChartKind
    x: str = ""
    series: tuple[str, ...] = ()
    split: str | None = None


@dataclass(frozen=True)
class ReportResult:
    """Money columns hold integers in minor units of `currency`; percent columns hold
    basis points (1234 = 12.34 %); hours hold floats; dates ISO strings."""

    name: str
    title: str
    definition: str
    filters: Filters
    columns: tuple[Column, ...]
    rows: list[dict[str, object]]
    chart: Chart
    currency: str
    timezone: str
    # Why a report is empty or partial, in words ("no purchase costs recorded yet").
    notes: tuple[str, ...] = ()
    totals: dict[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The stable JSON shape of `kestrel report NAME --format json`."""
        return {
            "report": self.name,
            "from": self.filters.start.isoformat(),
            "to": self.filters.end.isoformat(),
            "currency": self.currency,
            "timezone": self.timezone,
            "rows": self.rows,
            "totals": self.totals,
            "notes": list(self.notes),
        }


Cancelled = Callable[[], bool]
Runner = Callable[[Session, Filters, Cancelled], ReportResult]


@dataclass(frozen=True)
class ReportDef:
    name: str
    title: str
    definition: str  # shown as the report's help and in every export's header
    uses: frozenset[str]  # which of FILTERS apply
    run: Runner
    limit: int = 0  # fills the definition's {limit} (the rows a top-N report keeps)


def described(report: ReportDef, gettext: Callable[[str], str] = str) -> str:
    """The definition in gettext's language (the screen's `_`; English by default, as the
    exports and `kestrel report --list` print it), its {limit} filled in."""
    return gettext(report.definition).format(limit=report.limit)


REGISTRY: dict[str, ReportDef] = {}


def register(report: ReportDef) -> ReportDef:
    if report.name in REGISTRY:
        raise ValueError(f"report {report.name!r} registered twice")
    REGISTRY[report.name] = report
    return report


def catalogue() -> Mapping[str, ReportDef]:
    """Every report, by name, in catalogue_modules' order (`kestrel report --list`), however
    the modules happened to be imported; reports registered elsewhere (tests) come last."""
    from app.services.reports.catalogue_modules import MODULES

    _load_all()

    def place(report: ReportDef) -> int:
        module = getattr(report.run, "__module__", "")
        return MODULES.index(module) if module in MODULES else len(MODULES)

    return {r.name: r for r in sorted(REGISTRY.values(), key=place)}


def run_report(
    session: Session,
    actor: Actor,
    name: str,
    filters: Filters,
    cancelled: Cancelled = lambda: False,
) -> ReportResult:
    """The one way in: the permission check, then the report's own SQL."""
    require(actor, Permission.REPORTS_VIEW)
    _load_all()
    report = REGISTRY.get(name)
    if report is None:
        known = ", ".join(REGISTRY) or "none"
        raise NotFound(
            _("There is no report called '{name}' (reports: {known}).").format(
                name=name, known=known
            )
        )
    planner(session)
    return report.run(session, filters, cancelled)


def planner(session: Session) -> None:
    """PostgreSQL's planner settings for this transaction (nothing on SQLite), for every
    report and the dashboard. The JIT compiles a plan whose estimate is large (a join to
    the periods table guesses millions of rows): a second of compiling for 0.2 s of work
    (till_summary for a year on 1 M orders). The default random_page_cost (4, a spinning
    disk's) prices a few thousand primary-key lookups above a scan of every order, so a
    year's refunds read all of sales_orders; 1.1 (an SSD, or a table in the cache) gives
    SQLite's plan: each period's index range, then the keys."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("SET LOCAL random_page_cost = 1.1"))


def _load_all() -> None:
    """Reports register themselves when their module is imported (app/services/reports/
    catalogue_modules lists them), so importing base stays cheap."""
    import importlib

    from app.services.reports.catalogue_modules import MODULES

    for module in MODULES:
        importlib.import_module(module)
