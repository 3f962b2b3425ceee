"""The categories dialog: the tree as a list of paths with their products, and four
actions on it: add a category under another (or at the top), rename the chosen one, move it
under another, delete it when it is empty. The rules are the service's
(services/stock/categories.py); a refusal stays on the message line, the list as it was."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.i18n import N_, _
from app.db import ServiceSession as Session
from app.services.stock import categories
from app.services.stock.categories import CategoryNode
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import allow, make_table, say

TOP = N_("(top level)")


class CategoriesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("categories_dialog")
        self.setWindowTitle(_("Categories"))
        self.ctx = ctx
        self.model = RowsTableModel(
            [
                Column(_("Category"), lambda n: n.path),
                Column(_("Products"), lambda n: str(n.products), align=RIGHT),
            ],
            self,
        )
        self.table = make_table(self.model, "categories_table", stretch=0)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._picked())
        self.name = QLineEdit(objectName="categories_name")
        self.name.setPlaceholderText(_("Name of the category"))
        self.parent_box = QComboBox(objectName="categories_parent")
        self.message = QLabel(objectName="categories_message", wordWrap=True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        can = ctx.actor.can(Permission.CATALOGUE_EDIT)
        for key, label, action in (
            ("add", _("Add under"), self.add),
            ("rename", _("Rename"), self.rename),
            ("move", _("Move under"), self.move),
            ("delete", _("Delete"), self.delete),
        ):
            button = QPushButton(label, objectName=f"categories_{key}")
            button.setAutoDefault(False)
            button.clicked.connect(action)
            allow(button, "" if can else _("Changing the categories needs catalogue.edit."))
            self.buttons[key] = button
            row.addWidget(button)
        close = QPushButton(_("Close"), objectName="categories_close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        row.addStretch(1)
        row.addWidget(close)
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Under"), self.parent_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        actor = self.ctx.actor
        query(self, self.ctx, lambda s: categories.tree(s, actor)).on_success(self._show).message(
            self.refused
        ).run()

    def _show(self, nodes: list[CategoryNode]) -> None:
        chosen = self.chosen()
        self.model.set_rows(nodes)
        under = self.parent_box.currentData()
        self.parent_box.clear()
        self.parent_box.addItem(_(TOP), None)
        for node in nodes:
            self.parent_box.addItem(node.path, node.id)
        self.parent_box.setCurrentIndex(max(self.parent_box.findData(under), 0))
        if chosen is not None:
            for index, node in enumerate(nodes):
                if node.id == chosen.id:
                    self.table.selectRow(index)

    def chosen(self) -> CategoryNode | None:
        picked = self.table.selectionModel().selectedRows()
        if not picked:
            return None
        node: CategoryNode = self.model.row(picked[0].row())
        return node

    def _picked(self) -> None:
        node = self.chosen()
        if node is not None:
            self.name.setText(node.name)

    def _under(self) -> int | None:
        data = self.parent_box.currentData()
        return int(data) if data is not None else None

    def add(self) -> None:
        actor, name, under = self.ctx.actor, self.name.text(), self._under()
        self._write(
            lambda s: categories.add_category(s, actor, name, under),
            _("'{name}' added.").format(name=name.strip()),
        )

    def rename(self) -> None:
        node = self._need()
        if node is not None:
            actor, name = self.ctx.actor, self.name.text()
            self._write(
                lambda s: categories.rename_category(s, actor, node.id, name),
                _("'{path}' renamed to '{name}'.").format(path=node.path, name=name.strip()),
            )

    def move(self) -> None:
        node = self._need()
        if node is not None:
            actor, under = self.ctx.actor, self._under()
            where = self.parent_box.currentText()
            self._write(
                lambda s: categories.move_category(s, actor, node.id, under),
                _("'{name}' moved under {where}.").format(name=node.name, where=where),
            )

    def delete(self) -> None:
        node = self._need()
        if node is not None:
            actor = self.ctx.actor
            self._write(
                lambda s: categories.delete_category(s, actor, node.id),
                _("'{path}' deleted.").format(path=node.path),
            )

    def _need(self) -> CategoryNode | None:
        node = self.chosen()
        if node is None:
            self.refused(_("Choose a category in the list first."))
        return node

    def _write(self, work: Callable[[Session], object], done: str) -> None:
        op(self, self.ctx, work).busy(*self.buttons.values()).on_success(
            lambda _r: self._done(done)
        ).message(self.refused).run()

    def _done(self, text: str) -> None:
        say(self.message, text, False)
        self.reload()

    def refused(self, text: str) -> None:
        say(self.message, text, True)
