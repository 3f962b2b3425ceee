"""The dashboard: tiles of what sold, what waits, what is late and what is failing. Each
tile opens the list behind it (the Orders screen filtered by channel or stage, the late
orders, the reorder rules, the print queue, the failed e-mails, the counter).

It reads everything in one service call off the GUI thread, again a moment after a change
notice that can move a tile (several in a burst make one read), every minute (the day
turns, orders become late), and when it comes back into view after changes it missed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import ChangeSet
from app.core.i18n import N_, _, ngettext
from app.db import ServiceSession as Session
from app.services.reports import dashboard as service
from app.services.reports.dashboard import Dashboard, Period
from app.services.sales import order_list, orders
from app.views.context import AppContext
from app.views.ops import query
from app.views.theme import mark
from app.views.widgets import say

COLUMNS = 5
CHANGE_DELAY_MS = 800  # a burst of notices (a wave picked) makes one read
EVERY_MS = 60_000


@dataclass(frozen=True)
class Target:
    """Where a tile leads: a screen, and the filter to put on it."""

    screen: str
    status: str | None = None
    channel: str | None = None
    tab: str = ""


class Tile(QPushButton):
    """A button (Tab and Space reach it) showing a title, a figure and a line under it."""

    def __init__(self, name: str, title: str, target: Target | None) -> None:
        super().__init__(objectName=f"tile_{name}")
        self.name, self.target = name, target
        self.setMinimumSize(150, 100)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = QLabel(title, objectName="tile_title")
        self.value = QLabel("…", objectName="tile_value")
        self.value.setStyleSheet("font-size: 17pt; font-weight: 600")
        self.detail = QLabel("", objectName="tile_detail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        for label in (self.title, self.value, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)

    def show_figure(self, value: str, detail: str = "", alarm: bool = False) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setProperty("alarm", alarm)
        mark(self.value, "error" if alarm else "")  # the theme's error colour, light or dark
        self.setToolTip(
            _("{title}: {value}. {detail}")
            .format(title=self.title.text(), value=value, detail=detail)
            .strip()
        )


def change_text(now: int, before: int) -> str:
    """'+25 %' against last week; 'new' when last week had nothing."""
    if before == 0:
        return "—" if now == 0 else _("new")
    percent = round((now - before) * 100 / before)
    return f"{percent:+d} %"


class DashboardView(QWidget):
    opened = Signal(object)  # a Target, or a tile name the screen opens a list for

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        journals: Callable[[], list[object]] | None = None,
    ) -> None:
        super().__init__(parent, objectName="dashboard")
        self.ctx = ctx
        self.board: Dashboard | None = None
        self._journals = journals or _journals
        self._loading = self._again = False
        self._stale = True
        self.message = QLabel(objectName="dashboard_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.as_of = QLabel(objectName="dashboard_as_of")
        self.tiles: dict[str, Tile] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        self._grid_row = 0
        self._section(grid, _("Sales (against the same time last week)"), self._sales_tiles())
        self._section(grid, _("Sales by channel this week"), self._channel_tiles())
        self._section(grid, _("Orders waiting, by stage"), self._stage_tiles())
        self._section(grid, _("Needs attention"), self._problem_tiles())
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(grid)
        inner_layout.addStretch(1)
        scroll = QScrollArea(objectName="dashboard_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.as_of)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        for tile in self.tiles.values():
            tile.clicked.connect(lambda _c=False, t=tile: self._open(t))
        self._soon = QTimer(self, singleShot=True, interval=CHANGE_DELAY_MS)
        self._soon.timeout.connect(self.reload)
        self._clock = QTimer(self, interval=EVERY_MS)
        self._clock.timeout.connect(self.reload)
        self._clock.start()
        ctx.bridge.changed.connect(self._on_changes)

    # --- building -----------------------------------------------------------------------
    def _section(self, grid: QGridLayout, title: str, tiles: list[Tile]) -> None:
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: 600")
        grid.addWidget(heading, self._grid_row, 0, 1, COLUMNS)
        self._grid_row += 1
        for n, tile in enumerate(tiles):
            self.tiles[tile.name] = tile
            grid.addWidget(tile, self._grid_row + n // COLUMNS, n % COLUMNS)
        self._grid_row += (len(tiles) + COLUMNS - 1) // COLUMNS

    @staticmethod
    def _sales_tiles() -> list[Tile]:
        return [
            Tile("today", _("Sales today"), Target("Orders")),
            Tile("week", _("Sales this week"), Target("Orders")),
            Tile("orders_today", _("Orders today"), Target("Orders")),
            Tile("orders_week", _("Orders this week"), Target("Orders")),
        ]

    @staticmethod
    def _channel_tiles() -> list[Tile]:
        return [
            Tile(f"channel_{value}", label, Target("Orders", channel=value))
            for label, value in order_list.channel_choices()
        ]

    @staticmethod
    def _stage_tiles() -> list[Tile]:
        return [
            Tile(f"stage_{status}", orders.status_label(status), Target("Orders", status=status))
            for status in service.OPEN_STATUSES
        ]

    @staticmethod
    def _problem_tiles() -> list[Tile]:
        return [
            Tile("late", _("Late orders"), None),
            Tile("low_stock", _("Low stock"), Target("Purchasing", tab="Reorder")),
            Tile("printers", _("Printer problems"), Target("Print queue")),
            Tile("email", _("E-mail problems"), None),
            Tile("offline", _("Offline sales to sync"), Target("Counter")),
        ]

    # --- reading ------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Read the dashboard again (one at a time: a change meanwhile reads once more)."""
        if not self.isVisible():
            self._stale = True
            return
        if self._loading:
            self._again = True
            return
        self._loading, self._stale = True, False
        actor, journals = self.ctx.actor, self._journals()

        def work(session: Session) -> Dashboard:
            return service.dashboard(session, actor, journals)  # type: ignore[arg-type]

        (
            query(self, self.ctx, work)
            .on_success(self.show_board)
            .message(self._say_error)
            .finally_(self._loaded)
            .run()
        )

    def _say_error(self, text: str) -> None:
        say(self.message, text, error=True)
        self.message.setVisible(True)

    def loading(self) -> bool:
        return self._loading

    def _loaded(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()

    def _on_changes(self, change: ChangeSet) -> None:
        if service.change_matters(change):
            self._stale = True
            if self.isVisible():
                self._soon.start()

    # --- showing ------------------------------------------------------------------------
    def show_board(self, board: Dashboard) -> None:
        self.board = board
        money = lambda minor: self.ctx.money(minor, board.currency)  # noqa: E731
        self.as_of.setText(
            _("As of {time} — days in {zone}, weeks from Monday").format(
                time=board.as_of.astimezone().strftime("%H:%M"), zone=board.timezone
            )
        )
        notes = []
        if board.other_currencies:
            notes.append(
                _(
                    "Sales in {currencies} are not in these totals (the shop counts in {currency})."
                ).format(currencies=", ".join(board.other_currencies), currency=board.currency)
            )
        say(self.message, " ".join(notes))
        self.message.setVisible(bool(notes))
        self._period("today", board.today, money, N_("{change} against {before} a week ago"))
        self._period("week", board.week, money, N_("{change} against {before} last week so far"))
        for channel in board.channels:
            tile = self.tiles.get(f"channel_{channel.channel}")
            if tile is not None:
                week = channel.week
                tile.show_figure(
                    money(week.gross),
                    ngettext(
                        "{count} order, {change}; today {today}",
                        "{count} orders, {change}; today {today}",
                        week.orders,
                    ).format(
                        count=f"{week.orders:,}",
                        change=change_text(week.gross, week.last_gross),
                        today=money(channel.today.gross),
                    ),
                )
        seen = {f"channel_{c.channel}" for c in board.channels}
        for name, tile in self.tiles.items():
            if name.startswith("channel_") and name not in seen:
                tile.show_figure(money(0), _("no sales this week or last"))
        for status, count in board.stages:
            self.tiles[f"stage_{status}"].show_figure(f"{count:,}")
        self._problems(board)

    def _period(self, name: str, period: Period, money: Callable[[int], str], against: str) -> None:
        """`against`: the whole sentence (marked with N_) that compares with the period before."""
        self.tiles[name].show_figure(
            money(period.gross),
            _(against).format(
                change=change_text(period.gross, period.last_gross),
                before=money(period.last_gross),
            ),
        )
        self.tiles[f"orders_{name}"].show_figure(
            f"{period.orders:,}",
            _(against).format(
                change=change_text(period.orders, period.last_orders),
                before=f"{period.last_orders:,}",
            ),
        )

    def _problems(self, board: Dashboard) -> None:
        self.tiles["late"].show_figure(
            f"{board.late:,}", _("open orders past their due date"), alarm=board.late > 0
        )
        self.tiles["low_stock"].show_figure(
            f"{board.low_stock:,}", _("products below their minimum"), alarm=board.low_stock > 0
        )
        self.tiles["printers"].show_figure(
            f"{board.print_jobs_failing:,}",
            ngettext(
                "jobs failing on {count} printer",
                "jobs failing on {count} printers",
                board.printers_failing,
            ).format(count=f"{board.printers_failing:,}"),
            alarm=board.print_jobs_failing > 0,
        )
        self.tiles["email"].show_figure(
            f"{board.emails_failed:,}",
            _("failed; {count} being retried").format(count=f"{board.emails_retrying:,}"),
            alarm=board.emails_failed > 0,
        )
        where = (
            _("on this workstation; {count} parked for a manager").format(
                count=f"{board.offline_parked:,}"
            )
            if board.offline_parked
            else _("on this workstation")
        )
        self.tiles["offline"].show_figure(
            f"{board.offline_waiting:,}",
            where,
            alarm=bool(board.offline_waiting or board.offline_parked),
        )

    def _open(self, tile: Tile) -> None:
        self.opened.emit(tile.target if tile.target is not None else tile.name)


def _journals() -> list[object]:
    """This workstation's offline journals (the counter keeps one per till)."""
    from app import paths

    return sorted(paths.data_dir().glob("offline-*.sqlite"))
