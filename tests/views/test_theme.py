"""Item 5 of issue 11: the dark theme covers every widget and a switch takes at once, both
ways. Every screen, the order detail, the bench pages, the dialogs and the preview window
are looked at in light, then dark, then light again (switched through Settings, as a
person would), and every readable thing is measured against WCAG 2.x AA: 4.5:1 for text.

Foreground colours come from the widget's own palette after its style sheets are applied
(Qt writes a style sheet's colours into that palette when it polishes the widget);
backgrounds from a grab of the widget, so a stale or unstyled background shows."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from app.views.theme import current_theme
from tests.views.screens import dialogs, screens, settle

AA = 4.5
Role = QPalette.ColorRole


def luminance(colour: QColor) -> float:
    """Relative luminance, WCAG 2.x: sRGB channels linearised, weighted 0.2126/0.7152/0.0722."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.red())
        + 0.7152 * linear(colour.green())
        + 0.0722 * linear(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_wcag_formula_matches_known_pairs():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#b00020"), QColor("#b00020")) == pytest.approx(1.0)


def painted_background(widget: QWidget) -> QColor:
    """The colour most of the widget's grab is painted in: what its text sits on."""
    image = widget.grab().toImage()
    counts: Counter[int] = Counter()
    step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 12)
    for x in range(0, image.width(), step_x):
        for y in range(0, image.height(), step_y):
            counts[image.pixel(x, y)] += 1
    return QColor.fromRgb(counts.most_common(1)[0][0])


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.isVisible() and widget.width() > 0


def problems(name: str, top: QWidget, theme: str) -> list[str]:
    """Every text on `top` below AA, and every surface still in the other theme's colours."""
    found: list[str] = []
    dark = theme == "dark"

    def check(what: str, fg: QColor, bg: QColor, kind: str = "") -> None:
        ratio = contrast(fg, bg)
        if ratio < AA:
            found.append(f"{name}: {what} {fg.name()} on {bg.name()} is {ratio:.2f}:1")
        if kind not in ("paper", "accent") and (luminance(bg) < 0.2) != dark:
            found.append(f"{name}: {what} sits on {bg.name()}, not the {theme} theme")

    for label in [top, *top.findChildren(QWidget)]:
        if not isinstance(label, QLabel) or not _shown(label, top):
            continue
        if not label.text().strip() or not label.isEnabled():  # WCAG exempts inactive parts
            continue
        fg = label.palette().color(label.foregroundRole())
        kind = str(label.property("kind") or "")
        check(
            f"label {label.objectName() or label.text()[:30]!r}",
            fg,
            painted_background(label),
            kind,
        )
    for view in top.findChildren(QAbstractItemView):
        if not _shown(view, top):
            continue
        palette = view.palette()
        for base in (Role.Base, Role.AlternateBase):
            check(f"list {view.objectName()!r}", palette.color(Role.Text), palette.color(base))
        check(
            f"list {view.objectName()!r} selection",
            palette.color(Role.HighlightedText),
            palette.color(Role.Highlight),
            "accent",
        )
        if isinstance(view, QTableView):
            header = view.horizontalHeader()
            check(
                f"header of {view.objectName()!r}",
                header.palette().color(Role.ButtonText),
                painted_background(header),
            )
    for button in top.findChildren(QAbstractButton):
        if _shown(button, top) and button.isEnabled() and button.text():
            palette = button.palette()
            check(
                f"button {button.text()!r}",
                palette.color(Role.ButtonText),
                palette.color(Role.Button),
            )
    for field in top.findChildren(QLineEdit):
        if _shown(field, top) and field.isEnabled():
            palette = field.palette()
            check(
                f"field {field.objectName()!r}", palette.color(Role.Text), palette.color(Role.Base)
            )
    return found


def switch(window, theme: str) -> None:
    """Through Settings > Workstation, as a person would; no restart."""
    settings = window.show_screen("Settings")
    settings.workstation.theme.setCurrentText(theme)
    settle()
    assert current_theme() == theme


def test_every_screen_readable_in_both_themes_switched_both_ways(shop, tmp_path):
    window = shop
    switch(window, "light")
    for _ in screens(window):  # build every screen in the light theme first
        pass
    found: list[str] = []
    for theme in ("dark", "light"):
        switch(window, theme)
        for name, screen in screens(window):
            found += problems(name, window if name != "Settings" else screen, theme)
        for name, dialog in dialogs(window, tmp_path):
            found += problems(name, dialog, theme)
    assert QApplication.instance() is not None
    assert found == [], "\n".join(dict.fromkeys(found))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["error", "ok", ""])
def test_message_kinds_readable_on_window_and_base(qtbot, theme, kind):
    """Refusals and verdicts (empty on the screens above until something goes wrong) keep
    AA in both themes, on a dialog's window colour and on a list's base colour."""
    from PySide6.QtWidgets import QVBoxLayout

    from app.views.theme import apply_theme, mark
    from app.views.widgets import say

    app = QApplication.instance()
    previous = current_theme()
    apply_theme(app, theme)
    try:
        holder = QWidget()
        qtbot.addWidget(holder)
        label = QLabel("Wrong user name or password.", holder)
        QVBoxLayout(holder).addWidget(label)
        mark(label, kind)
        holder.show()
        settle()
        fg = label.palette().color(label.foregroundRole())
        for bg in (painted_background(label), app.palette().color(Role.Base)):
            assert contrast(fg, bg) >= AA, (theme, kind, fg.name(), bg.name())
        say(label, "Plain again")  # a message after a refusal loses the red
        assert label.palette().color(label.foregroundRole()) == app.palette().color(Role.WindowText)
    finally:
        apply_theme(app, previous)
