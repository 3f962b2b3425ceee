"""Qt's own strings (standard buttons, file dialogs, context menus) in the user's language,
from the translations Qt ships (QLibraryInfo's TranslationsPath)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.core import i18n

log = logging.getLogger("kestrel.ui")
_installed: list[QTranslator] = []  # kept alive: Qt does not own an installed translator


class PseudoQtTranslator(QTranslator):
    """Qt's own texts in the pseudo-locale's ⟦brackets⟧ (standard buttons, wizard buttons),
    as Qt's catalogue would translate them: tests/views/test_screen_texts.py then sees which
    texts Qt translates and which ones are ours."""

    def translate(  # type: ignore[override]
        self,
        context: str,  # noqa: ARG002 (Qt passes all four)
        source: str,
        disambiguation: str | None = None,  # noqa: ARG002
        n: int = -1,  # noqa: ARG002
    ) -> str:
        if not source or source.isupper():  # QT_LAYOUT_DIRECTION and other keys stay keys
            return ""
        return f"{i18n.PSEUDO_OPEN}{source}{i18n.PSEUDO_CLOSE}"


def install_qt_translations(app: QApplication, language: str = "") -> bool:
    """Install Qt's catalogue for `language` (default: the process's); True when found.
    English, or a language Qt has no catalogue for, leaves Qt's English."""
    language = language or i18n.current_language()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if i18n.language_of(language) == i18n.SOURCE_LANGUAGE:
        return False
    if language == i18n.PSEUDO_LANGUAGE:
        pseudo = PseudoQtTranslator(app)
        app.installTranslator(pseudo)
        _installed.append(pseudo)
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QLocale(language), "qtbase", "_", folder):
        log.info("Qt has no catalogue for %s in %s: its own texts stay English", language, folder)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def use_user_language(app: QCoreApplication | None, language: str) -> str:
    """After sign-in: the user's own language (else KESTREL_LANG, else the system's) for
    the screens about to open and for Qt's own strings; returns the language in use."""
    chosen = i18n.use_language(i18n.choose_language(language))
    if isinstance(app, QApplication):
        install_qt_translations(app, chosen)
    log.info("language: %s", chosen)
    return chosen
