"""What a keyboard-wedge scanner and a person send, as separate key press/release events.

A scanner is a USB keyboard: for a capital it presses Shift, presses and releases the
letter, releases Shift; for a character on a layout's third level it holds AltGr (X11:
Key_AltGr with GroupSwitch; Windows: Ctrl+Alt). Every event goes through QTest, which
delivers it with its shortcut override first, as the window system would.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
ALTGR = Qt.KeyboardModifier.GroupSwitchModifier
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier

# Characters a US keyboard types with Shift held.
US_SHIFTED = set('~!@#$%^&*()_+{}|:"<>?')
# Characters a German keyboard types with AltGr held.
DE_ALTGR = set("@€{}[]\\~|")


def _target(widget: QWidget | None) -> QWidget:
    target = widget or QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    return target


def press(widget: QWidget | None, key: Qt.Key, modifiers=NONE, delay: int = 1) -> None:
    """A key that types nothing by itself (Shift, AltGr, Caps Lock, Enter, Ctrl+A)."""
    text = "\r" if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else ""
    QTest.sendKeyEvent(QTest.KeyAction.Press, _target(widget), key, text, modifiers, delay)


def release(widget: QWidget | None, key: Qt.Key, modifiers=NONE, delay: int = 1) -> None:
    text = "\r" if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else ""
    QTest.sendKeyEvent(QTest.KeyAction.Release, _target(widget), key, text, modifiers, delay)


def _key_of(char: str) -> Qt.Key:
    """The key a character sits on, as Qt names it (letters by their capital)."""
    code = ord(char.upper()) if len(char.upper()) == 1 else 0
    return Qt.Key(code) if 0x20 <= code <= 0xFF else Qt.Key.Key_unknown


def key_press(widget: QWidget, char: str, modifiers=NONE, delay: int = 1) -> None:
    """A key press typing `char`; QTest presses the modifier keys in `modifiers` first
    (Shift, Ctrl, Alt), each its own event, as a keyboard does."""
    QTest.sendKeyEvent(QTest.KeyAction.Press, widget, _key_of(char), char, modifiers, delay)


def key_release(widget: QWidget, char: str, modifiers=NONE, delay: int = 1) -> None:
    QTest.sendKeyEvent(QTest.KeyAction.Release, widget, _key_of(char), char, modifiers, delay)


def _char(widget: QWidget, char: str, modifiers, delay: int) -> None:
    """One character's press and release with the modifiers already held."""
    key_press(widget, char, modifiers, delay)
    key_release(widget, char, modifiers, delay)


def scan(
    qtbot,
    widget: QWidget | None,
    code: str,
    *,
    layout: str = "us",
    caps_lock: bool = False,
    altgr: str = "x11",
    delay: int = 1,
) -> None:
    """A scanner burst: every key its own press and release, Shift pressed and released
    around each capital (and US-shifted symbol), AltGr around a German third-level
    character, a few milliseconds apart, then Enter. With Caps Lock on the computer turns
    the case of letters round, as a real one does (Shift+S types 's')."""
    target = _target(widget)
    if caps_lock:
        press(target, Qt.Key.Key_CapsLock, delay=delay)
        release(target, Qt.Key.Key_CapsLock, delay=delay)
    for char in code:
        if layout == "de" and char in DE_ALTGR:
            held = ALTGR if altgr == "x11" else CTRL_ALT
            if altgr == "x11":
                press(target, Qt.Key.Key_AltGr, delay=delay)
                _char(target, char, held, delay)
                release(target, Qt.Key.Key_AltGr, delay=delay)
            else:  # QTest presses and releases Ctrl and Alt around the key itself
                _char(target, char, held, delay)
            continue
        shifted = char.isupper() or (layout == "us" and char in US_SHIFTED)
        typed = char.swapcase() if caps_lock and char.isalpha() else char
        if shifted:
            # QTest presses Shift before the key and releases it after, as a scanner does.
            _char(target, typed, SHIFT, delay)
        else:
            _char(target, typed, NONE, delay)
    if caps_lock:
        press(target, Qt.Key.Key_CapsLock, delay=delay)
        release(target, Qt.Key.Key_CapsLock, delay=delay)
    QTest.keyClick(target, Qt.Key.Key_Return, NONE, delay)
    qtbot.wait(5)


def type_slowly(qtbot, widget: QWidget | None, text: str, delay: int = 60) -> None:
    """A person at the keyboard: the same events, far enough apart that the scanner filter
    lets them by (Shift for capitals included)."""
    target = _target(widget)
    for char in text:
        modifiers = SHIFT if char.isupper() or char in US_SHIFTED else NONE
        key_press(target, char, modifiers, delay)
        key_release(target, char, modifiers, 5)
    qtbot.wait(delay)
