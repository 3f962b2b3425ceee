"""The customer screen's dialogs: edit or create a customer (or a contact), an address,
and merging two duplicates. Each sends its fields to a service and stays open with the
service's words (which name the field) until the service accepts them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.core.i18n import N_, _
from app.core.i18n import label as label_of
from app.services.sales.customer_detail import AddressRow, CustomerDetail
from app.services.sales.customers import ADDRESS_KINDS, AddressInput, CustomerInput
from app.views.theme import mark
from app.views.widgets import ok_cancel

Submit = Callable[[Any, Callable[[], None], Callable[[str], None]], None]


KIND_LABELS = {"shipping": N_("Shipping"), "billing": N_("Billing")}


def address_kind(kind: str) -> str:
    """An address's kind in words (the codes stay the program's)."""
    return label_of(KIND_LABELS, kind)


class FormDialog(QDialog):
    """A form whose OK hands the data to `submit(data, done, refuse)`: `done` closes the
    dialog, `refuse(words)` shows why not and keeps what was typed."""

    def __init__(self, title: str, submit: Submit, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.submit = submit
        self.form = QFormLayout(self)
        self.error = QLabel(objectName="dialog_error", wordWrap=True)
        mark(self.error, "error")

    def finish_form(self) -> None:
        self.form.addRow(self.error)
        self.buttons = ok_cancel(self, self.form)

    def data(self) -> object:
        raise NotImplementedError

    def accept(self) -> None:
        self.error.clear()
        self.submit(self.data(), self._done, self.refuse)

    def refuse(self, words: str) -> None:
        self.error.setText(words)

    def _done(self) -> None:
        super().accept()


class CustomerDialog(FormDialog):
    """Name, e-mail, phone, tax id, notes and the opt-out flags (a contact: the first three)."""

    def __init__(
        self,
        title: str,
        submit: Submit,
        parent: QWidget | None,
        detail: CustomerDetail | None = None,
        *,
        contact: bool = False,
    ) -> None:
        super().__init__(title, submit, parent)
        self.name = QLineEdit(objectName="customer_name")
        self.email = QLineEdit(objectName="customer_email")
        self.phone = QLineEdit(objectName="customer_phone")
        self.tax_id = QLineEdit(objectName="customer_tax_id")
        self.note = QPlainTextEdit(objectName="customer_note")
        self.note.setTabChangesFocus(True)  # keyboard-first: Tab leaves the notes
        self.note.setFixedHeight(self.fontMetrics().height() * 4)
        self.is_company = QCheckBox(_("A company (has contacts)"), objectName="customer_company")
        self.marketing = QCheckBox(_("No marketing e-mail"), objectName="customer_marketing_out")
        self.transactional = QCheckBox(
            _("No order e-mail either (receipts, shipping notices)"),
            objectName="customer_email_out",
        )
        self.form.addRow(_("&Name"), self.name)
        self.form.addRow(_("&E-mail"), self.email)
        self.form.addRow(_("&Phone"), self.phone)
        if not contact:
            self.form.addRow(_("&Tax id"), self.tax_id)
            self.form.addRow(_("N&otes"), self.note)
            self.form.addRow(self.is_company)
            self.form.addRow(self.marketing)
            self.form.addRow(self.transactional)
        self.finish_form()
        if detail is not None:
            self.name.setText(detail.name)
            self.email.setText(detail.email)
            self.phone.setText(detail.phone)
            self.tax_id.setText(detail.tax_id)
            self.note.setPlainText(detail.note)
            self.is_company.setChecked(detail.is_company)
            self.marketing.setChecked(detail.marketing_opt_out)
            self.transactional.setChecked(detail.email_opt_out)
        self.name.setFocus()

    def data(self) -> CustomerInput:
        return CustomerInput(
            self.name.text(),
            self.email.text(),
            self.phone.text(),
            note=self.note.toPlainText(),
            tax_id=self.tax_id.text(),
            is_company=self.is_company.isChecked(),
            marketing_opt_out=self.marketing.isChecked(),
            email_opt_out=self.transactional.isChecked(),
        )


class AddressDialog(FormDialog):
    def __init__(
        self, title: str, submit: Submit, parent: QWidget | None, row: AddressRow | None = None
    ) -> None:
        super().__init__(title, submit, parent)
        self.kind = QComboBox(objectName="address_kind")
        for kind in ADDRESS_KINDS:
            self.kind.addItem(address_kind(kind), kind)
        self.fields = {
            key: QLineEdit(objectName=f"address_{key}")
            for key in ("name", "line1", "line2", "postcode", "city", "region", "country")
        }
        self.fields["country"].setPlaceholderText(_("IE, DE, US …"))
        self.form.addRow(_("&Kind"), self.kind)
        for label, key in (
            (_("Na&me"), "name"),
            (_("&Street"), "line1"),
            (_("Line &2"), "line2"),
            (_("&Postcode"), "postcode"),
            (_("&City"), "city"),
            (_("&Region"), "region"),
            (_("C&ountry"), "country"),
        ):
            self.form.addRow(label, self.fields[key])
        self.finish_form()
        if row is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind)))
            for key, edit in self.fields.items():
                edit.setText(getattr(row, key))
        self.fields["line1"].setFocus()

    def data(self) -> AddressInput:
        f = {key: edit.text() for key, edit in self.fields.items()}
        return AddressInput(
            f["line1"],
            f["city"],
            f["postcode"],
            f["country"],
            name=f["name"],
            line2=f["line2"],
            region=f["region"],
            kind=str(self.kind.currentData()),
        )


class MergeDialog(FormDialog):
    """Two records of one customer: choose which survives; the other's orders, addresses,
    credit and contacts move to it, and it is archived."""

    def __init__(
        self,
        first: tuple[int, str],
        second: tuple[int, str],
        submit: Submit,
        parent: QWidget | None,
    ) -> None:
        super().__init__(_("Merge customers"), submit, parent)
        self.survivor = QComboBox(objectName="merge_survivor")
        for party_id, label in (first, second):
            self.survivor.addItem(label, party_id)
        self.ids = (first[0], second[0])
        self.warning = QLabel(objectName="merge_warning", wordWrap=True)
        self.survivor.currentIndexChanged.connect(self._explain)
        self.form.addRow(_("&Keep"), self.survivor)
        self.form.addRow(self.warning)
        self.finish_form()
        self._explain()

    def _explain(self) -> None:
        merged = self.survivor.itemText(1 - self.survivor.currentIndex())
        self.warning.setText(
            _(
                "The orders, addresses, store credit and contacts of {merged} move to "
                "{survivor}; {merged} is archived as merged. This cannot be undone from here."
            ).format(merged=merged, survivor=self.survivor.currentText())
        )

    def data(self) -> tuple[int, int]:
        """(survivor, duplicate)."""
        keep = int(self.survivor.currentData())
        return keep, self.ids[1] if keep == self.ids[0] else self.ids[0]
