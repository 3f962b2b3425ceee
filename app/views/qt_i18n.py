"""Qt's own strings (standard buttons, file dialogs, context menus) in the user's language,
from the translations Qt ships (QLibraryInfo's TranslationsPath)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.core import i18n

log = logging.getLogger("kestrel.ui")
_installed: list[QTranslator] = []  # kept alive: Qt does not own an installed translator


def install_qt_translations(app: QApplication, language: str = "") -> bool:
    """Install Qt's catalogue for `language` (default: the process's); True when found.
    English, or a language Qt has no catalogue for, leaves Qt's English."""
    language = language or i18n.current_language()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if i18n.language_of(language) == i18n.SOURCE_LANGUAGE:
        return False
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
