"""A template product's variants: the axes typed as "Size: S, M, L" (one per line), made
in one step, and the variants there are with what is on hand of each."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.auth import Permission
from app.core.errors import ValidationError
from app.core.i18n import _, ngettext
from app.services.stock import variants
from app.services.stock.variants import VariantRow
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import make_table, say


def parse_axes(text: str) -> dict[str, list[str]]:
    """'Size: S, M, L' per line -> {'Size': ['S', 'M', 'L']}; a line without ':' is
    refused in words (the service checks the rest)."""
    axes: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, values = line.partition(":")
        if not sep or not name.strip():
            raise ValidationError(
                _(
                    "Line {number}: write an axis as 'Size: S, M, L' (its name, a colon, its "
                    "values with commas)."
                ).format(number=number),
                "axes",
            )
        axes[name.strip()] = [v.strip() for v in values.split(",")]
    return axes


class VariantsDialog(QDialog):
    made = Signal(int)  # how many variants were made

    def __init__(self, ctx: AppContext, sku: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("variants")
        self.setWindowTitle(_("Variants of {sku}").format(sku=sku))
        self.ctx, self.sku = ctx, sku
        self.axes = QPlainTextEdit(objectName="variants_axes")
        self.axes.setPlaceholderText(_("Size: S, M, L\nColour: Blue, Red"))
        self.axes.setTabChangesFocus(True)
        self.model = RowsTableModel(
            [
                Column(_("SKU"), lambda r: r.sku),
                Column(_("Variant"), lambda r: r.attrs),
                Column(_("On hand"), lambda r: str(r.on_hand), align=RIGHT),
            ],
            self,
        )
        self.table = make_table(self.model, "variants_table")
        self.message = QLabel(objectName="variants_message", wordWrap=True)
        self.make_button = QPushButton(_("&Make variants"), objectName="variants_make")
        self.make_button.setEnabled(ctx.actor.can(Permission.CATALOGUE_EDIT))
        if not self.make_button.isEnabled():
            self.make_button.setToolTip(_("Making variants needs the catalogue.edit right."))
        self.make_button.clicked.connect(self.make)
        close = QPushButton(_("Close"), objectName="variants_close")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.make_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Axes, one per line (new values add only new variants):")))
        layout.addWidget(self.axes)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        actor, sku = self.ctx.actor, self.sku
        (
            query(self, self.ctx, lambda s: variants.variants_of(s, actor, sku))
            .on_success(self._show)
            .message(lambda text: say(self.message, text, error=True))
            .run()
        )

    def _show(self, rows: list[VariantRow]) -> None:
        self.model.set_rows(rows)

    def make(self) -> None:
        try:
            axes = parse_axes(self.axes.toPlainText())
        except ValidationError as exc:
            say(self.message, exc.message, error=True)
            return
        actor, sku = self.ctx.actor, self.sku

        def done(made: list[int]) -> None:
            say(
                self.message,
                ngettext("{count} variant made.", "{count} variants made.", len(made)).format(
                    count=len(made)
                ),
            )
            self.made.emit(len(made))
            self.reload()

        (
            op(self, self.ctx, lambda s: variants.make_variants(s, actor, sku, axes))
            .busy(self.make_button)
            .on_success(done)
            .message(lambda text: say(self.message, text, error=True))
            .run()
        )
