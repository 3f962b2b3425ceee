"""The scanner filter with what real wedge scanners send: Shift pressed and released around
every capital, AltGr (X11) or Ctrl+Alt (Windows) around third-level characters, Caps Lock
on, and a person typing before and after a burst. Every key is its own press and release."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from app.views.scanner import ScannerFilter
from tests.views import keyboard
from tests.views.conftest import show_active


@pytest.fixture
def field(qtbot, qapp):
    """A focused line edit under the application-wide filter; scans are collected."""
    host = QWidget()
    layout = QVBoxLayout(host)
    edit = QLineEdit()
    layout.addWidget(edit)
    qtbot.addWidget(host)
    show_active(qtbot, host)
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    scanner = ScannerFilter(parent=host)
    scans: list[str] = []
    scanner.scanned.connect(scans.append)
    scanner.install(qapp)
    yield edit, scans
    qapp.removeEventFilter(scanner)


@pytest.mark.parametrize(
    "code",
    ["SO-000401", "MAIN-A01-04", "RMA-000012", "GC1234567890128", "Kz7ya@#5-m", "PL-000003"],
)
def test_codes_with_capitals_arrive_whole(qtbot, field, code):
    edit, scans = field
    keyboard.scan(qtbot, edit, code)
    assert scans == [code]
    assert edit.text() == ""  # not one letter leaked into the field


def test_the_shift_key_events_themselves_do_not_end_the_burst(qtbot, field):
    """Spelled out: Shift press, S press, S release, Shift release, then the rest."""
    edit, scans = field
    keyboard.press(edit, Qt.Key.Key_Shift, keyboard.SHIFT)
    keyboard.key_press(edit, "S", keyboard.SHIFT)
    keyboard.key_release(edit, "S", keyboard.SHIFT)
    keyboard.release(edit, Qt.Key.Key_Shift)
    for char in "O-1234":
        mods = keyboard.SHIFT if char.isupper() else keyboard.NONE
        if char.isupper():
            keyboard.press(edit, Qt.Key.Key_Shift, keyboard.SHIFT)
        keyboard.key_press(edit, char, mods)
        keyboard.key_release(edit, char, mods)
        if char.isupper():
            keyboard.release(edit, Qt.Key.Key_Shift)
    keyboard.press(edit, Qt.Key.Key_Return)
    assert scans == ["SO-1234"]
    assert edit.text() == ""


@pytest.mark.parametrize("altgr", ["x11", "windows"])
def test_altgr_characters_on_a_german_layout(qtbot, field, altgr):
    edit, scans = field
    keyboard.scan(qtbot, edit, "Kz7ya@5-m€{1}", layout="de", altgr=altgr)
    assert scans == ["Kz7ya@5-m€{1}"]
    assert edit.text() == ""


def test_caps_lock_on_turns_the_case_round_but_the_burst_stays_whole(qtbot, field):
    edit, scans = field
    keyboard.scan(qtbot, edit, "MAIN-A01-04", caps_lock=True)
    assert scans == ["main-a01-04"]  # what the computer typed; the screens match any case
    assert edit.text() == ""


def test_a_person_typing_before_and_after_a_burst_keeps_every_key(qtbot, field):
    edit, scans = field
    keyboard.type_slowly(qtbot, edit, "Ab")
    keyboard.scan(qtbot, edit, "SO-000401")
    keyboard.type_slowly(qtbot, edit, "Cd")
    assert scans == ["SO-000401"]
    assert edit.text() == "AbCd"


def test_shortcuts_are_not_scans(qtbot, field):
    """Ctrl+A selects all, as it should: it is not held back as a character."""
    edit, scans = field
    keyboard.type_slowly(qtbot, edit, "abc")
    keyboard.press(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    keyboard.release(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert edit.selectedText() == "abc"
    assert scans == []


@pytest.mark.parametrize("separator_text", ["\x1d", "]"])
def test_a_gs1_code_with_its_group_separator_arrives_whole(qtbot, field, separator_text):
    """GTIN, batch (variable length, so a GS ends it), expiry: the scanner types the GS as
    Ctrl+] (X11 gives the control character as its text; some injectors give ']')."""
    edit, scans = field
    for char in "0102000000000015" + "10LOT7":
        keyboard.key_press(edit, char)
        keyboard.key_release(edit, char)
    ctrl = Qt.KeyboardModifier.ControlModifier
    keyboard.press(edit, Qt.Key.Key_Control, ctrl)
    QTest.sendKeyEvent(
        QTest.KeyAction.Press, edit, Qt.Key.Key_BracketRight, separator_text, ctrl, 1
    )
    QTest.sendKeyEvent(
        QTest.KeyAction.Release, edit, Qt.Key.Key_BracketRight, separator_text, ctrl, 1
    )
    keyboard.release(edit, Qt.Key.Key_Control)
    keyboard.scan(qtbot, edit, "17271231")
    assert scans == ["0102000000000015" + "10LOT7" + "\x1d" + "17271231"]
    assert edit.text() == ""
    from app.services.stock.scanning import parse_scan

    scan = parse_scan(scans[0])
    assert (scan.kind, scan.batch, str(scan.expiry)) == ("gs1", "LOT7", "2027-12-31")


def test_a_burst_stays_whole_when_the_gui_thread_was_busy_between_its_keys(qtbot, field):
    """Seen under Xvfb: a background task held the GUI thread for longer than the burst
    interval after the third key, so the rest arrived late and together; the first three
    leaked into the field as typing and the rest was 'Unknown code 0000000015'. The keys'
    own window-system timestamps (2 ms apart) say it is one scan."""
    import time

    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    edit, scans = field
    code, stamp = "2000000000015", 5_000_000

    def key(char: str) -> QKeyEvent:
        nonlocal stamp
        stamp += 2
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key(ord(char)), keyboard.NONE, char)
        event.setTimestamp(stamp)
        return event

    for char in code[:3]:
        QApplication.sendEvent(edit, key(char))
    time.sleep(0.12)  # the GUI thread is busy; the scanner goes on typing into the queue
    for char in code[3:]:
        QApplication.sendEvent(edit, key(char))
    enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, keyboard.NONE, "\r")
    stamp += 2
    enter.setTimestamp(stamp)
    QApplication.sendEvent(edit, enter)
    qtbot.wait(60)
    assert scans == [code]
    assert edit.text() == ""


def test_repeated_digits_flagged_as_auto_repeat_stay_in_the_burst(qtbot, field):
    """Seen under Xvfb: X11 flags a scanner's same key typed again within a millisecond as
    auto-repeat (Qt's detectable auto-repeat); the burst must not end there."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    edit, scans = field
    code, previous = "2000000000015", ""
    for char in code:
        repeat = char == previous
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key(ord(char)), keyboard.NONE, char, repeat)
            QApplication.sendEvent(edit, event)
        previous = char
    keyboard.press(edit, Qt.Key.Key_Return)
    assert scans == [code]
    assert edit.text() == ""
