"""Small widget helpers shared by the screens."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)

K = TypeVar("K", bound=Hashable)


def say(label: QLabel, text: str, error: bool = False) -> None:
    """A screen's message line: red with the error sound for a refusal, plain otherwise."""
    from app.views import sound
    from app.views.theme import mark

    mark(label, "error" if error else "")
    label.setText(text)
    if error:
        sound.error()


def allow(widget: QWidget, reason: str = "") -> None:
    """Enabled when nothing speaks against it; otherwise greyed with the reason as its
    tooltip, so no button is dead without saying why."""
    widget.setEnabled(not reason)
    widget.setToolTip(reason)


def make_table(model: QAbstractItemModel, name: str, stretch: int | None = None) -> QTableView:
    """A read-only, row-selecting, compact table: the shape of every data list here."""
    view = QTableView(objectName=name)
    view.setModel(model)
    if model.parent() is None:  # the view owns a model nobody else does
        model.setParent(view)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    vertical = view.verticalHeader()
    vertical.hide()
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 8)
    horizontal = view.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    horizontal.setStretchLastSection(True)
    horizontal.setHighlightSections(False)
    if stretch is not None:  # this column takes the spare width, the others fit their text
        horizontal.setStretchLastSection(False)
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        horizontal.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    horizontal.setSectionsMovable(True)
    from app.views.feel import remember_columns

    remember_columns(view)
    return view


def key_buttons(
    owner: QWidget,
    prefix: str,
    keys: Sequence[tuple[str, str, Qt.Key, Callable[[], object]]],
) -> QHBoxLayout:
    """A row of big bench buttons, each with its key on it and as a shortcut of `owner`
    (name, label such as "F6  New package", key, action)."""
    row = QHBoxLayout()
    for name, label, key, action in keys:
        button = QPushButton(label, objectName=f"{prefix}_{name}")
        button.setMinimumHeight(44)
        button.clicked.connect(action)
        QShortcut(QKeySequence(key), owner, action)
        row.addWidget(button)
    return row


def ok_cancel(dialog: QDialog, form: QFormLayout) -> QDialogButtonBox:
    """The dialog's OK / Cancel row, wired to accept and reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return buttons


def count_rows(form: QFormLayout, rows: Iterable[tuple[K, str, int, str]]) -> dict[K, QSpinBox]:
    """A spin box per row (key, label, most allowed, object name), from 0."""
    spins: dict[K, QSpinBox] = {}
    for key, label, most, name in rows:
        spin = QSpinBox(objectName=name)
        spin.setRange(0, max(0, most))
        spins[key] = spin
        form.addRow(label, spin)
    return spins


def nonzero(spins: dict[K, QSpinBox]) -> dict[K, int]:
    return {key: spin.value() for key, spin in spins.items() if spin.value()}
