"""The Inventory screen's Counts tab: start a count of a bin, a zone or a list of SKUs
(blind or not), then count by scanning: a bin's label chooses the bin, each product scan
adds one unit there. The open count's lines show expected (hidden from counters in a
blind count), counted, variance and its value; undo takes back one's last scan; a
manager approves (the variances become adjustments) or anyone cancels."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.i18n import N_, _, ngettext
from app.services.stock import count_desk, counts
from app.services.stock.count_desk import DeskScan
from app.services.stock.counts import CountLine
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

NO_APPROVE = N_("Approving a count needs the stock.adjust right (managers and administrators).")
SCOPES = (
    ("bin", N_("Bin")),
    ("zone", N_("Zone")),
    ("skus", N_("Products (SKUs, comma-separated)")),
)


def _hidden(value: int | None) -> str:
    return "—" if value is None else str(value)


class CountsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="inventory_counts")
        self.ctx = ctx
        self.count_id: int | None = None
        self.current_bin = ""
        self.scope_kind = QComboBox(objectName="count_scope_kind")
        for key, label in SCOPES:
            self.scope_kind.addItem(_(label), key)
        self.scope = QLineEdit(objectName="count_scope")
        self.scope.setPlaceholderText(_("The bin, the zone, or SKUs to count"))
        self.blind = QCheckBox(_("Blind (counters do not see the expected quantities)"))
        self.blind.setObjectName("count_blind")
        self.start_button = QPushButton(_("Start count"), objectName="count_start")
        self.start_button.clicked.connect(self.start)
        self.open_counts = QComboBox(objectName="count_open")
        self.open_counts.activated.connect(lambda _i: self.choose(self.open_counts.currentData()))
        self.bin_label = QLabel(_("Scan a bin's label to count it"), objectName="count_bin")
        self.message = QLabel(objectName="count_message")
        money = ctx.money
        self.lines = RowsTableModel(
            [
                Column(_("Bin"), lambda r: r.bin),
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Expected"), lambda r: _hidden(r.expected), align=RIGHT),
                Column(_("Counted"), lambda r: str(r.counted), align=RIGHT),
                Column(_("Variance"), lambda r: _hidden(r.variance), align=RIGHT),
                Column(
                    _("Value"), lambda r: "—" if r.value is None else money(r.value), align=RIGHT
                ),
            ],
            self,
        )
        self.table = make_table(self.lines, "count_lines", stretch=1)
        self.undo_button = QPushButton(_("Undo my last scan"), objectName="count_undo")
        self.approve_button = QPushButton(_("Approve"), objectName="count_approve")
        self.cancel_button = QPushButton(_("Cancel count"), objectName="count_cancel")
        self.undo_button.clicked.connect(self.undo)
        self.approve_button.clicked.connect(self.approve)
        self.cancel_button.clicked.connect(self.cancel)
        self._lay_out()
        self._allow()
        self.reload_open()

    def _lay_out(self) -> None:
        start = QHBoxLayout()
        for widget in (self.scope_kind, self.scope, self.blind, self.start_button):
            start.addWidget(widget)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(_("Open count")))
        chooser.addWidget(self.open_counts, 1)
        chooser.addWidget(self.bin_label, 1)
        actions = QHBoxLayout()
        for button in (self.undo_button, self.approve_button, self.cancel_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(start)
        layout.addLayout(chooser)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(self.table)

    def _allow(self) -> None:
        none = "" if self.count_id is not None else _("Start or choose a count first.")
        can_approve = self.ctx.actor.can(Permission.STOCK_ADJUST)
        allow(self.undo_button, none)
        allow(self.cancel_button, none)
        allow(self.approve_button, none if can_approve else _(NO_APPROVE))

    # -- which count -------------------------------------------------------------------

    def start(self) -> None:
        actor, kind = self.ctx.actor, self.scope_kind.currentData()
        text, blind = self.scope.text().strip(), self.blind.isChecked()
        skus = [s.strip() for s in text.split(",") if s.strip()] if kind == "skus" else None
        op(
            self,
            self.ctx,
            lambda s: counts.start(
                s,
                actor,
                bin_code=text if kind == "bin" else None,
                zone_code=text if kind == "zone" else None,
                skus=skus,
                blind=blind,
            ),
        ).busy(self.start_button).on_success(self._started).message(self._refused).run()

    def _started(self, count_id: int) -> None:
        say(
            self.message,
            _("Started {number}: scan a bin's label, then items.").format(
                number=counts.number(count_id)
            ),
        )
        self.reload_open(count_id)

    def reload_open(self, choose: int | None = None) -> None:
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: counts.open_counts(s, actor)).on_success(
            lambda rows: self._show_open(rows, choose)
        ).message(self._refused).run()

    def _show_open(self, rows: list[tuple[int, str, bool]], choose: int | None) -> None:
        self.open_counts.clear()
        for count_id, scope, blind in rows:
            label = (_("{number}  {scope}  (blind)") if blind else "{number}  {scope}").format(
                number=counts.number(count_id), scope=scope
            )
            self.open_counts.addItem(label, count_id)
        wanted = choose if choose is not None else self.count_id
        ids = [r[0] for r in rows]
        self.choose(wanted if wanted in ids else (ids[0] if ids else None))

    def choose(self, count_id: int | None) -> None:
        if count_id != self.count_id:
            self.current_bin = ""
        self.count_id = count_id
        if count_id is not None:
            self.open_counts.setCurrentIndex(self.open_counts.findData(count_id))
        self._allow()
        self._show_bin()
        self.reload_lines()
        if count_id is not None and not self.current_bin:
            actor = self.ctx.actor
            query(self, self.ctx, lambda s: count_desk.count_bins(s, actor, count_id)).on_success(
                lambda codes: self._one_bin(count_id, codes)
            ).run()

    def _one_bin(self, count_id: int, codes: list[str]) -> None:
        """A count of one bin starts in it: no label to scan first."""
        if count_id == self.count_id and len(codes) == 1 and not self.current_bin:
            self.current_bin = codes[0]
            self._show_bin()

    def _show_bin(self) -> None:
        self.bin_label.setText(
            _("Counting bin {current_bin}").format(current_bin=self.current_bin)
            if self.current_bin
            else _("Scan a bin's label to count it")
        )

    def reload_lines(self) -> None:
        count_id, actor = self.count_id, self.ctx.actor
        if count_id is None:
            self.lines.set_rows([])
            return
        query(self, self.ctx, lambda s: counts.show(s, actor, count_id)[1]).on_success(
            lambda rows: self._put_lines(count_id, rows)
        ).message(self._refused).run()

    def _put_lines(self, count_id: int, rows: list[CountLine]) -> None:
        if count_id == self.count_id:
            self.lines.set_rows(rows)

    # -- scans and actions -------------------------------------------------------------

    def handle_scan(self, code: str) -> bool:
        """Bins and items count here; an order number is left to the main window."""
        from app.services.stock.scanning import parse_scan

        scan = parse_scan(code)
        if scan.kind == "order":
            return False
        count_id, actor, current = self.count_id, self.ctx.actor, self.current_bin
        if scan.kind == "invalid":
            self._refused(scan.error or _("That scan means nothing here."))
            return True
        if count_id is None:
            self._refused(_("Start or choose a count before scanning."))
            return True
        op(
            self, self.ctx, lambda s: count_desk.scan_code(s, actor, count_id, current, code)
        ).on_success(lambda desk: self._scanned(count_id, desk)).message(self._refused).run()
        return True

    def _scanned(self, count_id: int, desk: DeskScan) -> None:
        if count_id != self.count_id:
            return
        self.current_bin = desk.bin
        self._show_bin()
        if desk.result is None:
            say(self.message, _("Counting bin {bin}.").format(bin=desk.bin))
            return
        r = desk.result
        say(
            self.message,
            _("{sku} in {bin}: +{added}, {counted} counted.").format(
                sku=r.sku, bin=r.bin, added=r.added, counted=r.counted
            ),
        )
        self.reload_lines()

    def undo(self) -> None:
        count_id, actor = self.count_id, self.ctx.actor
        if count_id is None:
            return
        op(self, self.ctx, lambda s: counts.undo_last_scan(s, actor, count_id)).busy(
            self.undo_button
        ).on_success(self._undone).message(self._refused).run()

    def _undone(self, result: counts.ScanResult | None) -> None:
        if result is None:
            say(self.message, _("You have no scan in this count to take back."))
            return
        say(
            self.message,
            _("Took back {quantity} x {sku} in {bin}.").format(
                quantity=-result.added, sku=result.sku, bin=result.bin
            ),
        )
        self.reload_lines()

    def approve(self) -> None:
        count_id, actor = self.count_id, self.ctx.actor
        if count_id is None:
            return
        op(self, self.ctx, lambda s: counts.approve(s, actor, count_id)).busy(
            self.approve_button
        ).on_success(
            lambda made: self._closed(
                ngettext(
                    "Approved {number}: {count} adjustment.",
                    "Approved {number}: {count} adjustments.",
                    made,
                ).format(number=counts.number(count_id), count=made)
            )
        ).message(self._refused).run()

    def cancel(self) -> None:
        count_id, actor = self.count_id, self.ctx.actor
        if count_id is None:
            return
        op(self, self.ctx, lambda s: counts.cancel(s, actor, count_id)).busy(
            self.cancel_button
        ).on_success(
            lambda _none: self._closed(
                _("Cancelled {number}: nothing moved.").format(number=counts.number(count_id))
            )
        ).message(self._refused).run()

    def _closed(self, text: str) -> None:
        say(self.message, text)
        self.count_id, self.current_bin = None, ""
        self.reload_open()

    def _refused(self, text: str) -> None:
        say(self.message, text, error=True)
