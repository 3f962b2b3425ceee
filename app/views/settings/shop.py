"""Settings -> Shop (managers): the shop's name, address, tax id, logo, receipt header and
footer, currency, locale, tax classes, order numbers and paper size, as the wizard set
them and as they change later. The checks are the service's (services/shop.py); a refusal
names its field here, and the cursor goes to it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import KestrelError, ValidationError
from app.core.i18n import N_, _
from app.services import shop
from app.services.shop import Shop, ShopDetails
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.theme import mark

LABELS = {
    "name": N_("Shop name"),
    "address": N_("Address"),
    "tax_id": N_("Tax id"),
    "receipt_header": N_("Receipt header"),
    "receipt_footer": N_("Receipt footer"),
    "currency": N_("Currency"),
    "locale": N_("Locale"),
    "timezone": N_("Time zone"),
    "prices_include_tax": N_("Prices include tax"),
    "paper": N_("Paper size"),
    "tax_classes": N_("Tax classes"),
    "order_prefix": N_("Order number prefix"),
    "order_next": N_("Next order number"),
    "logo": N_("Logo"),
}

PAPER_LABELS = {"Letter": N_("Letter")}  # US Letter has a name of its own; A4 is A4 everywhere


class FieldError(ValidationError):
    """Input the page cannot even hand to the service (a rate that is not a number)."""


def parse_tax_classes(text: str) -> dict[str, int]:
    """'Standard = 23' per line (a percentage, '13.5' or '13,5') -> basis points."""
    classes: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, sep, rate = line.rpartition("=")
        try:
            percent = Decimal(rate.strip().rstrip("%").strip().replace(",", "."))
        except InvalidOperation:
            percent = Decimal("NaN")
        if not sep or not percent.is_finite() or percent != percent.quantize(Decimal("0.01")):
            raise FieldError(
                _(
                    "Tax classes, line {number}: write a name, '=' and a rate (Standard = 23)."
                ).format(number=number),
                "tax_classes",
            )
        classes[name.strip()] = int(percent * 100)
    return classes


def format_tax_classes(classes: dict[str, int]) -> str:
    return "\n".join(f"{name} = {rate / 100:g}" for name, rate in classes.items())


class ShopPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fields: dict[str, QWidget] = {}
        for name in (
            "name",
            "tax_id",
            "receipt_header",
            "receipt_footer",
            "currency",
            "locale",
            "timezone",
        ):
            self.fields[name] = QLineEdit(objectName=f"shop_{name}")
        for name in ("address", "tax_classes"):
            self.fields[name] = QPlainTextEdit(objectName=f"shop_{name}")
        self.fields["tax_classes"].setPlaceholderText(_("Standard = 23\nReduced = 13.5\nZero = 0"))
        self.fields["prices_include_tax"] = QCheckBox(objectName="shop_prices_include_tax")
        paper = QComboBox(objectName="shop_paper")
        for size in shop.PAPER_SIZES:
            label = PAPER_LABELS.get(size)
            paper.addItem(_(label) if label else size, size)
        self.fields["paper"] = paper
        self.fields["order_prefix"] = QLineEdit(objectName="shop_order_prefix")
        self.fields["order_next"] = QLineEdit(objectName="shop_order_next")
        self.logo = QLabel(_("No logo"), objectName="shop_logo")
        self.fields["logo"] = self.logo
        self.logo_note = QLabel(
            _(
                "The logo prints at the top of receipts (scaled to the paper); invoices and "
                "labels do not carry it yet."
            ),
            wordWrap=True,
        )
        self.message = QLabel(objectName="shop_message", wordWrap=True)
        self.save_button = QPushButton(_("Save"), objectName="shop_save")
        self.save_button.clicked.connect(self.save)
        choose = QPushButton(_("Choose logo…"), objectName="shop_logo_choose")
        choose.clicked.connect(self._choose_logo)
        self.remove_logo_button = QPushButton(_("Remove logo"), objectName="shop_logo_remove")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        form = QFormLayout()
        for name, label in LABELS.items():
            form.addRow(_(label), self.fields[name])
        logo_buttons = QHBoxLayout()
        logo_buttons.addWidget(choose)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(logo_buttons)
        layout.addWidget(self.logo_note)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.reload()

    def say(self, text: str, kind: str = "error") -> None:
        self.message.setText(text)
        mark(self.message, kind)

    def reload(self) -> None:
        actor = self.ctx.actor

        def read(s: Any) -> tuple[Shop, bytes | None]:
            return shop.get_shop(s, actor), shop.logo(s)

        query(self, self.ctx, read).on_success(self._show).message(self.say).run()

    def _show(self, loaded: tuple[Shop, bytes | None]) -> None:
        current, logo = loaded
        d = current.details
        for name in (
            "name",
            "tax_id",
            "receipt_header",
            "receipt_footer",
            "currency",
            "locale",
            "timezone",
        ):
            self._line(name).setText(str(getattr(d, name)))
        self._text("address").setPlainText(d.address)
        self._text("tax_classes").setPlainText(format_tax_classes(d.tax_classes))
        self._check().setChecked(d.prices_include_tax)
        self._paper().setCurrentIndex(max(0, self._paper().findData(d.paper)))
        self._line("order_prefix").setText(current.series.prefix)
        self._line("order_next").setText(str(current.series.next_number))
        self._show_logo(logo)

    def _show_logo(self, logo: bytes | None) -> None:
        pixmap = QPixmap()
        if logo and pixmap.loadFromData(logo):
            self.logo.setPixmap(pixmap.scaledToWidth(min(pixmap.width(), 240)))
        else:
            self.logo.setPixmap(QPixmap())
            self.logo.setText(_("No logo"))
        self.remove_logo_button.setEnabled(bool(logo))

    def details(self) -> ShopDetails:
        return ShopDetails(
            name=self._line("name").text(),
            address=self._text("address").toPlainText(),
            tax_id=self._line("tax_id").text(),
            receipt_header=self._line("receipt_header").text(),
            receipt_footer=self._line("receipt_footer").text(),
            currency=self._line("currency").text(),
            locale=self._line("locale").text(),
            timezone=self._line("timezone").text(),
            prices_include_tax=self._check().isChecked(),
            paper=str(self._paper().currentData()),
            tax_classes=parse_tax_classes(self._text("tax_classes").toPlainText()),
        )

    def save(self) -> None:
        for widget in self.fields.values():
            mark(widget, "")
        try:
            details = self.details()
            next_text = self._line("order_next").text().strip()
            if not next_text.isdigit():
                raise FieldError(_("Next order number: a whole number (e.g. 1001)."), "order_next")
        except FieldError as exc:
            self.refused(exc)
            return
        actor, prefix, following = self.ctx.actor, self._line("order_prefix").text(), int(next_text)

        def write(s: Any) -> None:
            shop.update_shop(s, actor, details)
            shop.set_order_series(s, actor, prefix, following)

        op(self, self.ctx, write).busy(self.save_button).on_success(
            lambda _none: self._saved(_("Saved."))
        ).on_failure(self.refused).run()

    def load_logo(self, path: Path) -> None:
        """Read a picture the user chose and store it (the service checks it)."""
        try:
            if path.stat().st_size > shop.MAX_LOGO_BYTES:
                raise FieldError(
                    _("Logo: {file} is over {size} KB.").format(
                        file=path.name, size=shop.MAX_LOGO_BYTES // 1024
                    ),
                    "logo",
                )
            data = path.read_bytes()
        except OSError as exc:
            self.refused(
                FieldError(
                    _("Logo: {file} cannot be read ({error}).").format(
                        file=path.name, error=exc.strerror
                    ),
                    "logo",
                )
            )
            return
        except FieldError as exc:
            self.refused(exc)
            return
        actor = self.ctx.actor
        op(self, self.ctx, lambda s: shop.set_logo(s, actor, data)).on_success(
            lambda size: self._saved(
                _("Logo stored ({width}×{height} pixels).").format(width=size[0], height=size[1])
            )
        ).on_failure(self.refused).run()

    def remove_logo(self) -> None:
        actor = self.ctx.actor
        op(self, self.ctx, lambda s: shop.clear_logo(s, actor)).busy(
            self.remove_logo_button
        ).on_success(lambda _none: self._saved(_("Logo removed."))).on_failure(self.refused).run()

    def _choose_logo(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the shop's logo"), "", _("Pictures (*.png *.jpg *.jpeg)")
        )
        if name:
            self.load_logo(Path(name))

    def _saved(self, text: str) -> None:
        self.say(text, "ok")
        self.reload()

    def refused(self, exc: KestrelError) -> None:
        """The service's words, led by the field's label, and the cursor on the field."""
        where = getattr(exc, "field", "")
        label = _(LABELS[where]) if where in LABELS else ""
        text = exc.message
        lowered = text.lower()  # "Shop name is required", "An order number prefix uses …"
        named = label and label.lower() in (
            lowered[: len(label)],
            lowered.partition(" ")[2][: len(label)],
        )
        if label and not named:
            text = _("{field}: {message}").format(field=label, message=text)
        self.say(text)
        widget = self.fields.get(where)
        if widget is not None:
            mark(widget, "error")
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _line(self, name: str) -> QLineEdit:
        widget = self.fields[name]
        assert isinstance(widget, QLineEdit)
        return widget

    def _text(self, name: str) -> QPlainTextEdit:
        widget = self.fields[name]
        assert isinstance(widget, QPlainTextEdit)
        return widget

    def _check(self) -> QCheckBox:
        widget = self.fields["prices_include_tax"]
        assert isinstance(widget, QCheckBox)
        return widget

    def _paper(self) -> QComboBox:
        widget = self.fields["paper"]
        assert isinstance(widget, QComboBox)
        return widget
