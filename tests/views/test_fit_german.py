"""Issue 21: in German, usually the longest of the shop's languages, every screen still fits
the default window (1280x800): the window does not grow, no key column is cut, and no
button's text is cut short."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QWidget

from tests.views.screens import screens, settle
from tests.views.test_fit import fit_problems


@pytest.fixture(scope="module")
def shop_language():
    return "de"


def cut_buttons(name: str, screen: QWidget) -> list[str]:
    """Visible buttons narrower than their text needs."""
    return [
        f"{name}: button {button.text()!r} ({button.width()}px of {button.sizeHint().width()})"
        for button in screen.findChildren(QAbstractButton)
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width()
    ]


def test_every_screen_fits_in_german(shop):
    window = shop
    window.resize(1280, 800)
    settle()
    found: list[str] = []
    for name, screen in screens(window):
        if window.width() != 1280:
            found.append(f"{name}: the window grew to {window.width()}px")
            window.resize(1280, 800)
            settle()
        found += fit_problems(name, screen) + cut_buttons(name, screen)
    assert found == [], "\n".join(found)
