"""Bulk edit of the chosen products: a new price, prices by a percentage, a tax rate or
one of the shop's tax classes, a category.

All in one operation (products.bulk_edit): every chosen product changes, or, when one
cannot, none does and the message line says why.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.core.errors import KestrelError, ValidationError
from app.core.i18n import _, ngettext
from app.core.money import parse_money, parse_tax_rate
from app.services.stock import categories, products, tax_classes
from app.services.stock.products import BulkEdit
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.widgets import say


def parse_percent(text: str) -> int:
    """'+10', '-5 %' or '2.5' -> basis points (1000, -500, 250)."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            _("'{text}' is not a percentage.").format(text=text), "percent"
        ) from None
    if not value.is_finite() or abs(value) > 1000:
        raise ValidationError(_("A change by percent is between -100 % and +1000 %."), "percent")
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValidationError(_("A percentage has at most two decimals."), "percent")
    return int(scaled)


class BulkEditDialog(QDialog):
    saved = Signal(int)  # how many products changed

    def __init__(self, ctx: AppContext, product_ids: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bulk_edit")
        count = len(product_ids)
        self.setWindowTitle(
            ngettext("Bulk edit: {count} product", "Bulk edit: {count} products", count).format(
                count=count
            )
        )
        self.ctx = ctx
        self.product_ids = list(product_ids)
        self.set_price = QRadioButton(_("Set the price to"), objectName="bulk_set_price")
        self.by_percent = QRadioButton(_("Change prices by %"), objectName="bulk_by_percent")
        self.keep_price = QRadioButton(_("Keep prices"), objectName="bulk_keep_price")
        self.keep_price.setChecked(True)
        self.price = QLineEdit(objectName="bulk_price")
        self.percent = QLineEdit(objectName="bulk_percent")
        self.percent.setPlaceholderText(_("+10 or -5"))
        self.change_tax = QCheckBox(_("Set the tax rate % to"), objectName="bulk_change_tax")
        self.tax = QLineEdit(objectName="bulk_tax")
        self.change_class = QCheckBox(_("Set the tax class to"), objectName="bulk_change_class")
        self.tax_class = QComboBox(objectName="bulk_tax_class")
        self.tax_class.activated.connect(lambda _i: self.change_class.setChecked(True))
        self.change_category = QCheckBox(
            _("Set the category to"), objectName="bulk_change_category"
        )
        self.category = QComboBox(objectName="bulk_category")
        self.category.setEditable(True)  # a new path is made on Apply
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category.lineEdit().setPlaceholderText(_("Parent > Child, or empty for none"))
        self.category.lineEdit().textEdited.connect(
            lambda _t: self.change_category.setChecked(True)
        )
        self.category.activated.connect(lambda _i: self.change_category.setChecked(True))
        self.message = QLabel(objectName="bulk_message")
        self.message.setWordWrap(True)
        self.apply_button = QPushButton(_("Apply"), objectName="bulk_apply")
        self.apply_button.clicked.connect(self.apply)
        cancel = QPushButton(_("Cancel"), objectName="bulk_cancel")
        cancel.clicked.connect(self.reject)
        self.price.textEdited.connect(lambda _t: self.set_price.setChecked(True))
        self.percent.textEdited.connect(lambda _t: self.by_percent.setChecked(True))
        self.tax.textEdited.connect(lambda _t: self.change_tax.setChecked(True))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                ngettext(
                    "Applies to the {count} chosen product, all or none.",
                    "Applies to the {count} chosen products, all or none.",
                    count,
                ).format(count=count)
            )
        )
        form.addRow(self.keep_price)
        form.addRow(self.set_price, self.price)
        form.addRow(self.by_percent, self.percent)
        form.addRow(self.change_tax, self.tax)
        form.addRow(self.change_class, self.tax_class)
        form.addRow(self.change_category, self.category)
        form.addRow(self.message)
        form.addRow(self.apply_button, cancel)
        actor = ctx.actor
        query(self, ctx, lambda s: tax_classes.choices(s, actor)).on_success(
            self._fill_classes
        ).message(self._refused).run()
        query(self, ctx, lambda s: categories.paths(s, actor)).on_success(
            self._fill_categories
        ).message(self._refused).run()

    def _fill_classes(self, classes: dict[str, int]) -> None:
        for name, rate in classes.items():
            self.tax_class.addItem(f"{name} ({rate / 100:g} %)", name)

    def _fill_categories(self, paths: list[str]) -> None:
        typed = self.category.currentText()
        self.category.addItems(["", *paths])
        self.category.setCurrentText(typed)

    def _refused(self, text: str) -> None:
        say(self.message, text, error=True)

    def change(self) -> BulkEdit:
        price = percent = tax = None
        if self.set_price.isChecked():
            try:
                price = parse_money(self.price.text().strip(), self.ctx.currency, self.ctx.locale)
            except ValidationError as exc:
                raise ValidationError(
                    _("Price: {message}").format(message=exc.message), "price"
                ) from exc
        if self.by_percent.isChecked():
            percent = parse_percent(self.percent.text())
        if self.change_tax.isChecked():
            try:
                tax = parse_tax_rate(self.tax.text())
            except ValidationError as exc:
                raise ValidationError(
                    _("Tax rate: {message}").format(message=exc.message), "tax_rate_bp"
                ) from exc
        tax_class = category = None
        if self.change_class.isChecked():
            tax_class = str(self.tax_class.currentData() or "")
            if not tax_class:
                raise ValidationError(_("Choose the tax class first."), "tax_class")
        if self.change_category.isChecked():
            category = self.category.currentText()
        return BulkEdit(
            price=price,
            percent_bp=percent,
            tax_rate_bp=tax,
            tax_class=tax_class,
            category=category,
        )

    def apply(self) -> None:
        try:
            change = self.change()
        except KestrelError as exc:
            say(self.message, exc.message, error=True)
            return
        actor, ids = self.ctx.actor, self.product_ids
        op(self, self.ctx, lambda s: products.bulk_edit(s, actor, ids, change)).busy(
            self.apply_button
        ).on_success(self._done).message(lambda t: say(self.message, t, error=True)).run()

    def _done(self, count: int) -> None:
        self.saved.emit(count)
        self.accept()
