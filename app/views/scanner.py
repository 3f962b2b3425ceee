"""Keyboard-wedge scanners on every screen.

A scanner types a burst of keys a few milliseconds apart and ends with Enter (or Tab).
This application-wide filter holds printable keys back for a moment: if the next key
follows within the scanner's interval, the burst grows; if it ends in Enter and is long
enough, it is a scan and goes to `scanned`, and nothing of it reaches the focused widget.
Anything slower is a person typing, and the held keys are replayed to where they were
going, in order, a few tens of milliseconds late.

A wedge scanner types as a keyboard does: Shift pressed and released around every capital,
AltGr (or Ctrl+Alt on Windows) around characters a layout keeps on its third level, Caps
Lock state wherever the user left it. Modifier keys on their own neither start nor end a
burst, and a printable character counts whatever modifiers made it, unless they make it a
shortcut (Ctrl without Alt, or Meta).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.views.theme import TAB_MOVES_ON

END_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Hyper_L,
        Qt.Key.Key_Hyper_R,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
        Qt.Key.Key_ScrollLock,
        Qt.Key.Key_Mode_switch,
        Qt.Key.Key_Direction_L,
        Qt.Key.Key_Direction_R,
    }
)
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_META = Qt.KeyboardModifier.MetaModifier


def is_modifier_key(key: int) -> bool:
    """Shift, AltGr, Caps Lock and friends: keys that only change what the next key types."""
    return key in MODIFIER_KEYS


def types_privately(widget: QWidget) -> bool:
    """A password field takes its keys at once: a password is never held, replayed or
    emitted as a scan, however fast it is typed."""
    return isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal


def ends_burst(key: int, target: QObject) -> bool:
    """Enter ends a scan everywhere; Tab too, except in a field whose Tab must move on (a
    user name typed fast and ended by Tab is typing, and the password follows it)."""
    if key == Qt.Key.Key_Tab and target.property(TAB_MOVES_ON):
        return False
    return key in END_KEYS


GS = "\x1d"  # GS1's group separator: a wedge scanner types it as Ctrl+]


def typed_text(event: QKeyEvent) -> str:
    """What the key types into a scan: its text, with Ctrl+] as GS1's group separator
    (X11 reports it as the control character, some injectors as ']' with Ctrl held)."""
    if event.key() == Qt.Key.Key_BracketRight and event.modifiers() & _CTRL:
        return GS
    return event.text()


def types_character(event: QKeyEvent) -> bool:
    """Whether the key press types its printable text, as a scanner's keys do: Shift,
    AltGr/Mode switch (GroupSwitch), Caps Lock and the keypad all type characters; Ctrl+Alt
    is AltGr on Windows. Ctrl alone or Meta make a shortcut instead."""
    text = typed_text(event)
    if text == GS:
        return True  # the separator between a GS1 code's fields
    # Auto-repeat is no reason to refuse a key: X11 marks a scanner's same key typed again
    # within a millisecond (the six 0s of 2000000000015) as auto-repeat.
    if not text or not text.isprintable():
        return False
    modifiers = event.modifiers()
    if modifiers & _META:
        return False
    return not (modifiers & _CTRL and not modifiers & _ALT)


@dataclass
class _Held:
    target: QObject
    event: QKeyEvent
    at: float  # when this process saw the key (monotonic seconds)
    stamp: int  # when the window system saw it (ms; 0 where it gives none, as QTest)


class ScannerFilter(QObject):
    scanned = Signal(str)

    def __init__(
        self, max_interval_ms: int = 35, min_length: int = 4, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.max_interval = max_interval_ms / 1000
        self.min_length = min_length
        self._held: list[_Held] = []
        self._replaying = False
        self._timer = QTimer(self, singleShot=True, interval=max_interval_ms + 5)
        self._timer.timeout.connect(self._quiet)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            self._replaying
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(watched, QWidget)
            or not isinstance(event, QKeyEvent)
            or is_modifier_key(event.key())  # Shift around a capital, AltGr: the burst goes on
            or types_privately(watched)
        ):
            return False
        now = time.monotonic()
        if self._held and ends_burst(event.key(), self._held[-1].target):
            fast = self._gap(event, now) <= self.max_interval
            if fast and len(self._held) >= self.min_length:
                code = "".join(h.event.text() for h in self._held)
                self._held.clear()
                self._timer.stop()
                self.scanned.emit(code)
                return True
            self._release()
            return False
        if types_character(event):
            if self._held and self._gap(event, now) > self.max_interval:
                self._release()
            self._held.append(
                _Held(
                    watched,
                    QKeyEvent(event.type(), event.key(), event.modifiers(), typed_text(event)),
                    now,
                    event.timestamp(),
                )
            )
            self._timer.start()
            return True
        self._release()
        return False

    def _gap(self, event: QKeyEvent, now: float) -> float:
        """Seconds since the last held key. By the window system's own timestamps where it
        gives them: when the GUI thread was busy (a background task holding the GIL, a
        repaint), a scanner's keys wait in the queue and reach us late and together, but
        their timestamps still say milliseconds apart."""
        last = self._held[-1]
        stamp = event.timestamp()
        if stamp and last.stamp and 0 <= stamp - last.stamp < 60_000:
            return (stamp - last.stamp) / 1000
        return now - last.at

    def _quiet(self) -> None:
        """No key for a while: a person was typing. Unless this process was the one held
        up — then the scanner's next keys may be waiting in the queue: let them in first."""
        if not self._held:
            return
        last = self._held[-1]
        if time.monotonic() - last.at > 2 * self.max_interval:
            QApplication.processEvents()  # keys queued while we were busy reach the filter
            if not self._held or self._held[-1] is not last:
                return  # the burst went on (or ended as a scan); its own timer runs
        self._release()

    def _release(self) -> None:
        """A person is typing: deliver what was held back, in order."""
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for item in held:
                try:
                    QApplication.sendEvent(item.target, item.event)
                except RuntimeError:  # the widget closed meanwhile: the key goes nowhere
                    continue
        finally:
            self._replaying = False
