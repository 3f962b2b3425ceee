"""The product editor: every field of one product and its barcodes, saved whole.

It opens on one read (products.detail) and saves through one operation
(products.save), so a refused field leaves the product as it was and the form as the
user typed it, with the reason on the message line. Barcodes are kept in the form until
Save: a scan (or a typed code and Enter) adds one once its check digit is right, Remove
takes the chosen one off, and the pack quantity says how many units a case code holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import KestrelError, ValidationError
from app.core.i18n import _
from app.core.money import format_amount, format_rate, parse_money, parse_tax_rate
from app.services.stock import barcode_rules, categories, products, tax_classes
from app.services.stock.catalogue import BarcodeInput
from app.services.stock.products import BarcodeRow, ProductDetail, ProductForm
from app.services.stock.tracking_kinds import TRACKING, tracking_label
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.table_models import RIGHT, Column, RowsTableModel
from app.views.widgets import make_table, say

UNITS = ("pcs", "kg", "g", "l", "ml", "m", "cm", "box", "pack", "pair", "set")
MAX_PACK = 100_000


class ProductEditor(QDialog):
    """Edit one product (`product_id`), or make a new one (None)."""

    saved = Signal(int)  # the product's id, once the save has committed

    def __init__(
        self, ctx: AppContext, product_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("product_editor")
        self.ctx = ctx
        self.product_id = product_id
        self.version = ""
        self.loaded = product_id is None  # a new product has nothing to wait for
        self.classes: dict[str, int] | None = None  # the shop's tax classes, once read
        self.chosen_class = ""  # the product's tax class ('' for a rate of its own)
        self.setWindowTitle(_("New product") if product_id is None else _("Product"))
        self._build_fields()
        self._build_codes()
        self.message = QLabel(objectName="editor_message")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(_("Save  (Ctrl+S)"), objectName="editor_save")
        self.cancel_button = QPushButton(_("Cancel"), objectName="editor_cancel")
        self.variants_button = QPushButton(_("&Variants…"), objectName="editor_variants")
        self.variants_button.setEnabled(product_id is not None)
        self.variants_button.setToolTip(
            _("Sizes and colours of this product, each with its own SKU, barcodes and stock.")
            if product_id is not None
            else _("Save the product first: its variants are made from it.")
        )
        self.variants_button.clicked.connect(self.open_variants)
        buttons_of = (self.save_button, self.cancel_button, self.add_code, self.remove_code)
        for button in (*buttons_of, self.variants_button):
            button.setAutoDefault(False)  # Enter adds a typed code; it never saves by accident
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.variants_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(QLabel(_("Barcodes")))
        layout.addWidget(self.codes_table)
        layout.addLayout(self.code_row)
        layout.addLayout(buttons)
        self.save_button.setEnabled(self.loaded)
        query(self, ctx, lambda s: categories.paths(s, ctx.actor)).on_success(
            self._fill_categories
        ).message(self.say).run()
        query(self, ctx, lambda s: tax_classes.choices(s, ctx.actor)).on_success(
            self._fill_classes
        ).message(self.say).run()
        if product_id is not None:
            query(self, ctx, lambda s: products.detail(s, ctx.actor, product_id)).on_success(
                self._fill
            ).message(self.say).run()

    # --- building ------------------------------------------------------------------------
    def _build_fields(self) -> None:
        self.sku = QLineEdit(objectName="editor_sku")
        self.name = QLineEdit(objectName="editor_name")
        self.description = QPlainTextEdit(objectName="editor_description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().height() * 4)
        self.unit = QComboBox(objectName="editor_unit")
        self.unit.setEditable(True)
        self.unit.addItems(UNITS)
        self.price = QLineEdit("0", objectName="editor_price")
        self.cost = QLineEdit("0", objectName="editor_cost")
        self.tax = QLineEdit("0", objectName="editor_tax")
        self.tax.textEdited.connect(self._rate_typed)
        self.tax_class = QComboBox(objectName="editor_tax_class")
        self.tax_class.addItem(_("Own rate"), "")
        self.tax_class.setToolTip(_("One of the shop's tax classes: the rate follows the class"))
        self.tax_class.activated.connect(lambda i: self.show_class(self.tax_class.itemData(i)))
        self.category = QComboBox(objectName="editor_category")
        self.category.setEditable(True)  # a new path ("Coffee > Decaf") is made on save
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category.lineEdit().setPlaceholderText(_("None, or Parent > Child"))
        self.weight = QSpinBox(objectName="editor_weight")
        self.weight.setRange(0, 1_000_000)
        self.weight.setSuffix(" g")
        self.dimensions = QLineEdit(objectName="editor_dimensions")
        self.dimensions.setPlaceholderText(_("length x width x height in cm, like 30 x 20 x 10"))
        self.tracked = QCheckBox(_("Count its stock"), objectName="editor_tracked")
        self.tracked.setChecked(True)
        self.tracking = QComboBox(objectName="editor_tracking")
        for key in TRACKING:
            self.tracking.addItem(tracking_label(key), key)
        self.archived = QCheckBox(_("Archived (kept with its history, out of the way)"))
        self.archived.setObjectName("editor_archived")
        self.form = QFormLayout()
        for label, widget in (
            (_("SKU"), self.sku),
            (_("Name"), self.name),
            (_("Description"), self.description),
            (_("Unit"), self.unit),
            (_("Category"), self.category),
            (_("Sale price"), self.price),
            (_("Cost price"), self.cost),
            (_("Tax class"), self.tax_class),
            (_("Tax rate %"), self.tax),
            (_("Weight"), self.weight),
            (_("Dimensions"), self.dimensions),
            ("", self.tracked),
            (_("Tracking"), self.tracking),
            ("", self.archived),
        ):
            self.form.addRow(label, widget)

    def _build_codes(self) -> None:
        self.codes = RowsTableModel(
            [
                Column(_("Code"), lambda r: r.code),
                Column(_("Type"), lambda r: r.symbology),
                Column(_("Units"), lambda r: str(r.pack_qty), align=RIGHT),
            ],
            self,
        )
        self.codes_table = make_table(self.codes, "editor_codes", stretch=0)
        self.new_code = QLineEdit(objectName="editor_new_code")
        self.new_code.setPlaceholderText(_("Scan or type a barcode, then Enter"))
        self.new_code.returnPressed.connect(self.add_typed_code)
        self.pack_qty = QSpinBox(objectName="editor_pack_qty")
        self.pack_qty.setRange(1, MAX_PACK)
        self.pack_qty.setPrefix("× ")
        self.pack_qty.setToolTip(_("Units the code stands for: 1 for the item, 12 for a case"))
        self.add_code = QPushButton(_("Add code"), objectName="editor_add_code")
        self.add_code.clicked.connect(self.add_typed_code)
        self.remove_code = QPushButton(_("Remove code"), objectName="editor_remove_code")
        self.remove_code.clicked.connect(self.remove_selected_code)
        self.code_row = QHBoxLayout()
        self.code_row.addWidget(self.new_code, 1)
        self.code_row.addWidget(self.pack_qty)
        self.code_row.addWidget(self.add_code)
        self.code_row.addWidget(self.remove_code)

    # --- reading -------------------------------------------------------------------------
    def _fill_categories(self, paths: list[str]) -> None:
        """The tree's paths as choices; what is typed already stays."""
        typed = self.category.currentText()
        self.category.clear()
        self.category.addItems(["", *paths])
        self.category.setCurrentText(typed)

    def _fill_classes(self, classes: dict[str, int]) -> None:
        """The shop's classes as choices; a new product starts in the first one."""
        self.classes = classes
        self.tax_class.clear()
        self.tax_class.addItem(_("Own rate"), "")
        for name, rate in classes.items():
            self.tax_class.addItem(f"{name} ({rate / 100:g} %)", name)
        fresh = self.product_id is None and self.tax.text() == "0"
        self.show_class(next(iter(classes), "") if fresh else self.chosen_class)

    def show_class(self, name: str) -> None:
        """Choose the class `name` ('' for an own rate); a class shows its rate."""
        self.chosen_class = name
        index = self.tax_class.findData(name)
        self.tax_class.setCurrentIndex(max(index, 0))
        if name and self.classes and name in self.classes:
            self.tax.setText(format_rate(self.classes[name], self.ctx.locale))

    def _rate_typed(self, text: str) -> None:
        """A typed rate that is not the chosen class's makes the rate the product's own."""
        if not self.chosen_class or self.classes is None:
            return
        try:
            same = parse_tax_rate(text or "0") == self.classes.get(self.chosen_class)
        except ValidationError:
            same = False
        if not same:
            self.show_class("")

    def _fill(self, detail: ProductDetail) -> None:
        self.version = detail.version
        self.setWindowTitle(_("Product {sku}").format(sku=detail.sku))
        self.sku.setText(detail.sku)
        self.name.setText(detail.name)
        self.description.setPlainText(detail.description)
        self.unit.setCurrentText(detail.unit)
        self.category.setCurrentText(detail.category)
        self.price.setText(self._amount(detail.price))
        self.cost.setText(self._amount(detail.cost))
        self.tax.setText(format_rate(detail.tax_rate_bp, self.ctx.locale))
        self.chosen_class = detail.tax_class
        if self.classes is not None:
            self.show_class(detail.tax_class)
        self.weight.setValue(detail.weight_g)
        self.dimensions.setText(products.dimensions_text(detail.dimensions_mm))
        self.tracked.setChecked(detail.track_stock)
        self.tracking.setCurrentIndex(max(self.tracking.findData(detail.tracking), 0))
        self.archived.setChecked(detail.archived)
        self.codes.set_rows(detail.barcodes)
        self.loaded = True
        self.save_button.setEnabled(True)
        self.name.setFocus()

    def _amount(self, minor: int) -> str:
        return format_amount(minor, self.ctx.currency, self.ctx.locale)

    # --- barcodes ------------------------------------------------------------------------
    def handle_scan(self, code: str) -> bool:
        """A scan while the editor is open adds that code (the main window routes it here)."""
        self.new_code.setText(code)
        self.add_typed_code()
        return True

    def add_typed_code(self) -> None:
        text = self.new_code.text().strip()
        if not text:
            return
        try:
            code, symbology = barcode_rules.validate_barcode(text)  # pure: the check digit
        except ValidationError as exc:
            self.say(exc.message)
            return
        rows: list[BarcodeRow] = self.codes.rows()
        if any(r.code == code for r in rows):
            self.say(_("Barcode {code} is in the list already.").format(code=code))
            return
        self.codes.set_rows([*rows, BarcodeRow(code, symbology, self.pack_qty.value())])
        self.new_code.clear()
        self.pack_qty.setValue(1)
        self.say(_("Barcode {code} added: Save to keep it.").format(code=code), error=False)

    def remove_selected_code(self) -> None:
        picked = self.codes_table.selectionModel().selectedRows()
        if not picked:
            self.say(_("Choose the barcode to remove first."))
            return
        rows: list[BarcodeRow] = self.codes.rows()
        gone = rows[picked[0].row()]
        self.codes.set_rows([r for r in rows if r.code != gone.code])
        self.say(
            _("Barcode {code} removed: Save to keep the change.").format(code=gone.code),
            error=False,
        )

    # --- saving --------------------------------------------------------------------------
    def form_data(self) -> ProductForm:
        """The form as the service takes it; money and tax typed wrong are refused here,
        naming the field."""
        money = {}
        for key, label, field in (
            ("price", _("Sale price"), self.price),
            ("cost", _("Cost price"), self.cost),
        ):
            try:
                money[key] = parse_money(
                    field.text().strip() or "0", self.ctx.currency, self.ctx.locale
                )
            except ValidationError as exc:
                said = _("{field}: {message}").format(field=label, message=exc.message)
                raise ValidationError(said, key) from exc
        try:
            tax = parse_tax_rate(self.tax.text() or "0")
        except ValidationError as exc:
            raise ValidationError(
                _("Tax rate: {message}").format(message=exc.message), "tax_rate_bp"
            ) from exc
        rows: list[BarcodeRow] = self.codes.rows()
        return ProductForm(
            sku=self.sku.text(),
            name=self.name.text(),
            price=money["price"],
            cost=money["cost"],
            tax_rate_bp=tax,
            tax_class=self.chosen_class,
            weight_g=self.weight.value(),
            dimensions_mm=products.parse_dimensions(self.dimensions.text()),
            track_stock=self.tracked.isChecked(),
            tracking=str(self.tracking.currentData()),
            archived=self.archived.isChecked(),
            description=self.description.toPlainText(),
            unit=self.unit.currentText(),
            category=self.category.currentText(),
            barcodes=tuple(BarcodeInput(r.code, r.pack_qty) for r in rows),
        )

    def save(self) -> None:
        if not self.loaded or not self.save_button.isEnabled():
            return
        try:
            form = self.form_data()
        except KestrelError as exc:
            self.say(exc.message)
            return
        actor, product_id, version = self.ctx.actor, self.product_id, self.version
        op(self, self.ctx, lambda s: products.save(s, actor, form, product_id, version)).busy(
            self.save_button
        ).on_success(self._saved).message(self.say).run()

    def _saved(self, product_id: int) -> None:
        self.product_id = product_id
        self.saved.emit(product_id)
        self.accept()

    def open_variants(self) -> None:
        from app.views.products.variants import VariantsDialog

        if self.product_id is None or not self.sku.text().strip():
            return
        self.variants_dialog = VariantsDialog(self.ctx, self.sku.text().strip(), self)
        self.variants_dialog.open()

    def say(self, text: str, error: bool = True) -> None:
        say(self.message, text, error)

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]  # noqa: N802
        """Escape closes; Enter never closes the dialog (it adds a typed code)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
