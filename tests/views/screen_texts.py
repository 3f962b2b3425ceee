"""Every text a person can read on a widget tree, and which of them never went through the
catalogue: with the pseudo-locale (i18n.PSEUDO_LANGUAGE) in use, each translated text is in
⟦brackets⟧, so what is left outside them, and is not the shop's own data, is a text no
translator can reach (issue 21's "no user-visible string is left untranslatable")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.core.i18n import PSEUDO_CLOSE, PSEUDO_OPEN

# Words that are the same in every language or translated by Qt's own catalogue (standard
# buttons), key names of shortcuts, and units of measure.
NEUTRAL = {
    *("OK", "Ctrl", "Shift", "Alt", "Esc", "Enter", "Return", "Del", "Tab", "Space"),
    *("Backspace", "Ins", "Home", "End", "PgUp", "PgDown", "Up", "Down", "Left", "Right"),
    *("kg", "cm", "mm", "ml", "EUR", "USD", "GBP", "CHF", "Kestrel", "PDF", "CSV", "XLSX"),
    *("ZPL", "ESC", "POS", "QR", "EAN", "GS1", "SKU", "ID", "SMTP", "TLS", "STARTTLS", "URL"),
    *("SQLite", "PostgreSQL", "HTML", "JSON", "API", "TCP", "USB", "CUPS", "IBAN"),
    # each catalogue's language by its own name (Settings > Users offers "Deutsch" to a
    # German reader whatever the screen speaks)
    *("English", "Deutsch", "Français", "Español"),
}
# innermost first: a translated text may hold others (⟦1 order, ⟦new⟧; today €5⟧)
_BRACKETED = re.compile(
    re.escape(PSEUDO_OPEN) + f"[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*" + re.escape(PSEUDO_CLOSE)
)
_DATA_LIKE = re.compile(  # mail, links, paths, tags, entities, names with a number (SO-000123,
    # till-1), words with digits (F2, 4x6, 80mm, 2026-12-03), API scopes (orders:read)
    r"\S+@\S+|\w+://\S+|(?:[\w:]*[/\\][\w.-]+)+|<[^>]*>|&\w+;|[\w.-]+-\d[\w.-]*|\b\w*\d\w*\b"
    r"|\b[a-z]+:[a-z]+\b",
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def widget_texts(root: QWidget, skip: QWidget | None = None) -> Iterator[tuple[str, str]]:
    """(where, text) for each text on `root` and its children (but not inside `skip`)."""
    for widget in [root, *root.findChildren(QWidget)]:
        if skip is not None and (widget is skip or skip.isAncestorOf(widget)):
            continue
        where = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        if widget.isWindow():
            yield where + " title", widget.windowTitle()
        yield where + " tool tip", widget.toolTip()
        for action in QWidget.actions(widget):  # a screen may name an attribute "actions"
            yield where + " action", action.text()
        for kind, text in own_texts(widget):
            yield f"{where}{kind}", text


def own_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """A widget's own texts by its kind: labels, buttons, group titles, placeholders, tabs,
    offered choices (combo items, lists a screen filled itself) and table headers."""
    if isinstance(widget, QAbstractButton) and standard_button(widget):
        return  # Qt's own catalogue (qtbase) names OK, Cancel, Apply... (views/qt_i18n.py)
    if isinstance(widget, QLabel | QAbstractButton):
        yield "", widget.text()
    elif isinstance(widget, QGroupBox):
        yield "", widget.title()
    elif isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        yield " placeholder", widget.placeholderText()
    elif isinstance(widget, QTabWidget):
        yield from ((" tab", widget.tabText(i)) for i in range(widget.count()))
    elif isinstance(widget, QComboBox) and not widget.isEditable():
        yield from ((" item", widget.itemText(i)) for i in range(widget.count()))
    elif isinstance(widget, QListWidget):
        yield from ((" item", widget.item(i).text()) for i in range(widget.count()))
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for column in range(model.columnCount(QModelIndex())):
            header = model.headerData(column, Qt.Orientation.Horizontal)
            if isinstance(header, str):
                yield " header", header


def standard_button(button: QAbstractButton) -> bool:
    """Whether `button` is one of a QDialogButtonBox's standard buttons."""
    box = button.parent()
    return (
        isinstance(box, QDialogButtonBox)
        and box.standardButton(button) != QDialogButtonBox.StandardButton.NoButton
    )


def untranslated(text: str, data_words: Iterable[str] = ()) -> list[str]:
    """The words of `text` outside ⟦brackets⟧ that are neither neutral nor the shop's data."""
    known = NEUTRAL | set(data_words)
    rest, before = text, ""
    while rest != before:
        rest, before = _BRACKETED.sub(" ", rest), rest
    rest = _DATA_LIKE.sub(" ", rest)
    return [word for word in _WORD.findall(rest) if word not in known]


def problems(
    name: str, root: QWidget, data_words: set[str], skip: QWidget | None = None
) -> list[str]:
    """One line per text on `root` with a word no catalogue translated."""
    found = []
    for where, text in widget_texts(root, skip):
        words = untranslated(text, data_words)
        if words:
            found.append(f"{name}: {where}: {text!r} ({' '.join(words)})")
    return list(dict.fromkeys(found))
