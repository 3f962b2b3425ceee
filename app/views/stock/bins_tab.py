"""The Inventory screen's Bins tab: a warehouse's location tree (zones and bins in
walking order), the chosen bin's contents, and the shelf work on it: add a bin or zone
under the chosen zone, rename, set its pick sequence, retire an empty bin, print its
label with the barcode a scanner reads."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Actor, Permission
from app.core.changes import ChangeSet
from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.stock import bin_labels, bins, locations
from app.services.stock.bins import BinContent, BinRow
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

NO_EDIT = N_("Changing bins needs the stock.adjust right (managers and administrators).")
HEADERS = (N_("Code"), N_("Name"), N_("Sequence"), N_("Units"), N_("In use"))
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class BinsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="inventory_bins")
        self.ctx = ctx
        self.rows: dict[str, BinRow] = {}
        self.warehouse = QComboBox(objectName="bins_warehouse")
        self.warehouse.currentIndexChanged.connect(lambda _i: self.reload())
        self.tree_model = QStandardItemModel(0, len(HEADERS), self)
        self.tree_model.setHorizontalHeaderLabels([_(title) for title in HEADERS])
        self.tree = QTreeView(objectName="bins_tree")
        self.tree.setModel(self.tree_model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self.contents = RowsTableModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Name"), lambda r: r.name),
                Column(_("On hand"), lambda r: str(r.on_hand), align=RIGHT),
                Column(_("Reserved"), lambda r: str(r.reserved), align=RIGHT),
            ],
            self,
        )
        self.contents_table = make_table(self.contents, "bin_contents", stretch=1)
        self.code = QLineEdit(objectName="bin_code")
        self.code.setPlaceholderText(_("New code, e.g. MAIN-C01-01"))
        self.name = QLineEdit(objectName="bin_name")
        self.name.setPlaceholderText(_("Name"))
        self.sequence = QSpinBox(objectName="bin_sequence")
        self.sequence.setRange(0, 10**9 - 1)
        self.message = QLabel(objectName="bins_message")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, label, action in (
            ("add_bin", _("Add bin"), lambda: self.add("bin")),
            ("add_zone", _("Add zone"), lambda: self.add("zone")),
            ("rename", _("Rename"), self.rename),
            ("sequence", _("Set sequence"), self.set_sequence),
            ("retire", _("Retire empty bin"), self.retire),
            ("label", _("Print label"), self.print_label),
        ):
            button = QPushButton(label, objectName=f"bins_{key}")
            button.clicked.connect(action)
            self.buttons[key] = button
        self._lay_out()
        self._allow()
        ctx.bridge.changed.connect(self._on_changes)
        query(self, ctx, locations.active_warehouses).on_success(self._show_warehouses).message(
            self._refused
        ).run()

    def _lay_out(self) -> None:
        form = QHBoxLayout()
        for widget in (self.code, self.name, QLabel(_("Sequence")), self.sequence):
            form.addWidget(widget)
        actions = QHBoxLayout()
        for button in self.buttons.values():
            actions.addWidget(button)
        actions.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.warehouse)
        left_layout.addWidget(self.tree)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(_("In this bin")))
        right_layout.addWidget(self.contents_table)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    def chosen(self) -> BinRow | None:
        indexes = self.tree.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.rows.get(indexes[0].data(CODE_ROLE))

    def _allow(self) -> None:
        row = self.chosen()
        can = self.ctx.actor.can(Permission.STOCK_ADJUST)
        none = _("Choose a bin or zone in the tree first.") if row is None else ""
        for key in ("add_bin", "add_zone"):
            allow(self.buttons[key], "" if can else _(NO_EDIT))
        for key in ("rename", "sequence", "retire"):
            allow(self.buttons[key], none if can else _(NO_EDIT))
        allow(self.buttons["label"], none)

    # -- reading -----------------------------------------------------------------------

    def _show_warehouses(self, rows: list[tuple[int, str, str]]) -> None:
        self.warehouse.blockSignals(True)
        for _wid, code, name in rows:
            self.warehouse.addItem(f"{code}  {name}", code)
        self.warehouse.blockSignals(False)
        self.reload()

    def reload(self, select: str = "") -> None:
        code, actor = self.warehouse.currentData(), self.ctx.actor
        if code is None:
            return
        keep = select or (self.chosen().code if self.chosen() else "")
        query(self, self.ctx, lambda s: bins.list_bins(s, actor, code)).on_success(
            lambda rows: self._show_tree(rows, keep)
        ).message(self._refused).run()

    def _show_tree(self, rows: list[BinRow], keep: str) -> None:
        self.tree_model.removeRows(0, self.tree_model.rowCount())
        self.rows = {row.code: row for row in rows}
        items: dict[str, QStandardItem] = {}
        for row in sorted(rows, key=lambda r: (r.parent in self.rows, r.pick_sequence, r.code)):
            cells = [
                QStandardItem(row.code),
                QStandardItem(row.name),
                QStandardItem(str(row.pick_sequence)),
                QStandardItem(str(row.on_hand) if row.kind == "internal" else ""),
                QStandardItem(_("yes") if row.active else _("retired")),
            ]
            cells[0].setData(row.code, CODE_ROLE)
            parent = items.get(row.parent)
            (parent or self.tree_model.invisibleRootItem()).appendRow(cells)
            items[row.code] = cells[0]
        self.tree.expandAll()
        if keep in items:
            self.tree.setCurrentIndex(items[keep].index())
        self._allow()

    def _selected(self) -> None:
        row = self.chosen()
        self._allow()
        if row is None:
            self.contents.set_rows([])
            return
        self.name.setText(row.name)
        self.sequence.setValue(row.pick_sequence)
        actor, code = self.ctx.actor, row.code
        query(self, self.ctx, lambda s: bins.bin_contents(s, actor, code)).on_success(
            lambda rows: self._show_contents(code, rows)
        ).message(self._refused).run()

    def _show_contents(self, code: str, rows: list[BinContent]) -> None:
        row = self.chosen()
        if row is not None and row.code == code:
            self.contents.set_rows(rows)

    # -- changing ----------------------------------------------------------------------

    def add(self, kind: str) -> None:
        """A new bin or zone under the chosen zone (or the chosen bin's zone)."""
        row, actor, warehouse = self.chosen(), self.ctx.actor, self.warehouse.currentData()
        parent = "" if row is None else (row.code if row.kind == "view" else row.parent)
        code, name, sequence = self.code.text().strip(), self.name.text().strip(), None
        if self.sequence.value():
            sequence = self.sequence.value()
        added = _("Added zone {code}.") if kind == "zone" else _("Added bin {code}.")
        op(
            self,
            self.ctx,
            lambda s: bins.add_location(
                s,
                actor,
                code,
                warehouse,
                name=name,
                parent_code=parent,
                sequence=sequence,
                kind=kind,
            ),
        ).busy(self.buttons["add_bin"], self.buttons["add_zone"]).on_success(
            lambda _id: self._changed(added.format(code=code.upper()), code.upper())
        ).message(self._refused).run()

    def rename(self) -> None:
        name = self.name.text()  # read here: the call runs off the GUI thread
        self._change(lambda s, a, c: bins.rename(s, a, c, name), _("Renamed {code}.").format)

    def set_sequence(self) -> None:
        value = self.sequence.value()
        self._change(
            lambda s, a, c: bins.set_sequence(s, a, c, value),
            lambda code: _("{code} is now #{sequence} in the walk.").format(
                code=code, sequence=value
            ),
        )

    def retire(self) -> None:
        self._change(bins.deactivate, _("{code} is out of use.").format)

    def _change(
        self, call: Callable[[Session, Actor, str], None], said: Callable[..., str]
    ) -> None:
        """`call` on the chosen bin; `said(code=...)` is the message line after it."""
        row, actor = self.chosen(), self.ctx.actor
        if row is None:
            return
        code = row.code
        op(self, self.ctx, lambda s: call(s, actor, code)).on_success(
            lambda _none: self._changed(said(code=code), code)
        ).message(self._refused).run()

    def _changed(self, text: str, code: str) -> None:
        say(self.message, text)
        self.reload(code)

    def print_label(self) -> None:
        row, actor = self.chosen(), self.ctx.actor
        if row is None:
            return
        code, workstation = row.code, self.ctx.workstation.workstation_name
        op(
            self, self.ctx, lambda s: bin_labels.print_bin_labels(s, actor, workstation, [code])
        ).busy(self.buttons["label"]).on_success(lambda _job: self._printed(code)).message(
            self._refused
        ).run()

    def _printed(self, code: str) -> None:
        self.ctx.jobs_queued()
        say(self.message, _("Label for {code} sent to the label printer.").format(code=code))

    def _on_changes(self, change: ChangeSet) -> None:
        """Another workstation's shelf work, or stock that moved in or out of the bins."""
        if (bins.CHANGE_KIND in change.kinds and "remote" in change.kinds) or (
            change.touches_products and self.isVisible()
        ):
            self.reload()

    def _refused(self, text: str) -> None:
        say(self.message, text, error=True)
