"""The products screen's catalogue actions: a button row (New product, Edit, Bulk edit,
Print labels) and the dialogs behind it. Kept apart from the screen, which only asks for
the row and tells which products are chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget
from shiboken6 import isValid

from app.core.auth import Permission
from app.core.i18n import _, ngettext
from app.services.stock.catalogue import ProductRow
from app.views.context import AppContext
from app.views.products.bulk import BulkEditDialog
from app.views.products.categories import CategoriesDialog
from app.views.products.editor import ProductEditor
from app.views.products.labels import LabelsDialog
from app.views.widgets import allow


class ProductActions:
    def __init__(
        self,
        screen: QWidget,
        ctx: AppContext,
        chosen: Callable[[], list[ProductRow]],
        say: Callable[[str], None],
    ) -> None:
        self.screen = screen
        self.ctx = ctx
        self.chosen = chosen
        self.say = say
        self.dialog: QDialog | None = None  # the one open (tests and the scanner find it)

    def button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for name, label, action in (
            ("new", _("New product  (Ctrl+N)"), self.new_product),
            ("edit", _("Edit  (Enter)"), self.edit),
            ("bulk", _("Bulk edit…"), self.bulk_edit),
            ("labels", _("Print labels…"), self.print_labels),
            ("categories", _("Categories…"), self.manage_categories),
        ):
            button = QPushButton(label, objectName=f"products_{name}")
            button.clicked.connect(action)
            if name not in ("labels", "categories"):  # the dialog greys its own buttons
                can = self.ctx.actor.can(Permission.CATALOGUE_EDIT)
                allow(button, "" if can else _("Changing the catalogue needs catalogue.edit."))
            row.addWidget(button)
        row.addStretch(1)
        QShortcut(QKeySequence("Ctrl+N"), self.screen, self.new_product)
        return row

    def busy(self) -> bool:
        """A dialog of ours is open (Enter and a double-click both ask to edit)."""
        return self.dialog is not None and isValid(self.dialog) and self.dialog.isVisible()

    def _open(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.setModal(True)  # the main window routes scans to a modal dialog
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def new_product(self) -> None:
        if self.ctx.actor.can(Permission.CATALOGUE_EDIT):
            self._open_editor(None)

    def edit(self) -> None:
        rows = self.chosen()
        if not rows:
            self.say(_("Choose a product first."))
            return
        self._open_editor(rows[0].id)

    def _open_editor(self, product_id: int | None) -> None:
        if self.busy():
            return
        editor = ProductEditor(self.ctx, product_id, self.screen)
        editor.saved.connect(lambda _pid: self.say(_("Product saved.")))
        self._open(editor)

    def bulk_edit(self) -> None:
        rows = self.chosen()
        if not rows:
            self.say(_("Choose the products to change first (Shift or Ctrl to choose more)."))
            return
        dialog = BulkEditDialog(self.ctx, [r.id for r in rows], self.screen)
        dialog.saved.connect(
            lambda n: self.say(
                ngettext("{n} product changed.", "{n} products changed.", n).format(n=n)
            )
        )
        self._open(dialog)

    def print_labels(self) -> None:
        rows = self.chosen()
        if not rows:
            self.say(_("Choose the products to label first."))
            return
        dialog = LabelsDialog(self.ctx, rows, self.screen)
        dialog.queued.connect(lambda _job: self.say(_("Labels sent to the label printer.")))
        self._open(dialog)

    def manage_categories(self) -> None:
        if not self.busy():
            self._open(CategoriesDialog(self.ctx, self.screen))
