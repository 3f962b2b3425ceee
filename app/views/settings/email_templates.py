"""Settings -> E-mail templates (managers): choose the event and the language (a customer
gets the shop's text in their language, else in the shop's own), edit its subject, plain
text and HTML (Jinja2), Preview it rendered from a real order as typed, Save (a mistake is
refused with its line, the cursor put there), or Reset to the defaults. The rules and the
rendering are services/notify/template_editor.py's; this page shows their answers."""

from __future__ import annotations

from PySide6.QtGui import QFont, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import KestrelError
from app.core.i18n import LANGUAGES, N_, _
from app.services.notify import template_editor
from app.services.notify.template_editor import Preview, TemplateTexts
from app.services.notify.templates import TemplateMistake
from app.views.context import AppContext
from app.views.ops import op, query
from app.views.theme import mark

PART_TABS = {"txt": N_("Plain text"), "html": N_("HTML")}
PART_NAMES = {"subject": N_("subject"), "txt": N_("plain text"), "html": N_("HTML")}


def language_name(language: str) -> str:
    """Each language in its own words ('Deutsch'), as Settings > Users offers them."""
    from babel import Locale

    return str(Locale.parse(language).get_display_name(language)).capitalize()


class TemplatesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.event_box = QComboBox(objectName="template_event")
        for event, label in template_editor.events().items():
            self.event_box.addItem(_(label), event)
        self.language_box = QComboBox(objectName="template_language")
        for language in LANGUAGES:
            self.language_box.addItem(language_name(language), language)
        self.subject = QLineEdit(objectName="template_subject")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        self.editors = {part: QPlainTextEdit(objectName=f"template_{part}") for part in PART_TABS}
        self.parts = QTabWidget(objectName="template_parts")
        for part, title in PART_TABS.items():
            self.editors[part].setFont(mono)
            self.parts.addTab(self.editors[part], _(title))
        self.order = QLineEdit(objectName="template_order")
        self.order.setPlaceholderText(_("the newest order"))
        self.message = QLabel(objectName="template_message", wordWrap=True)
        self.preview_subject = QLabel(objectName="preview_subject", wordWrap=True)
        self.preview_html = QTextBrowser(objectName="preview_html")
        self.preview_html.setOpenLinks(False)
        self.preview_text = QPlainTextEdit(objectName="preview_text", readOnly=True)
        shown = QTabWidget()
        shown.addTab(self.preview_html, _("HTML"))
        shown.addTab(self.preview_text, _("Plain text"))
        self.buttons = {
            name: QPushButton(text, objectName=f"template_{name}")
            for name, text in (
                ("preview", _("&Preview")),
                ("save", _("&Save")),
                ("reset", _("Reset to &default")),
            )
        }
        self.buttons["preview"].clicked.connect(self.preview)
        self.buttons["save"].clicked.connect(self.save)
        self.buttons["reset"].clicked.connect(self.reset)
        self.buttons["preview"].setToolTip("F5")
        self.buttons["save"].setToolTip("Ctrl+S")
        for keys, action in (("F5", self.preview), ("Ctrl+S", self.save)):
            QShortcut(QKeySequence(keys), self).activated.connect(action)
        self.event_box.currentIndexChanged.connect(lambda _i: self.load())
        self.language_box.currentIndexChanged.connect(lambda _i: self.load())
        self._lay_out(shown)
        self.load()

    def _lay_out(self, shown: QTabWidget) -> None:
        form = QFormLayout()
        form.addRow(_("&Event"), self.event_box)
        form.addRow(_("&Language"), self.language_box)
        form.addRow(_("S&ubject"), self.subject)
        form.addRow(_("Preview &order"), self.order)
        buttons = QHBoxLayout()
        for button in self.buttons.values():
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        edit = QVBoxLayout(left)
        edit.setContentsMargins(0, 0, 0, 0)
        edit.addLayout(form)
        edit.addWidget(self.parts, 1)
        edit.addLayout(buttons)
        edit.addWidget(self.message)
        right = QWidget()
        seen = QVBoxLayout(right)
        seen.setContentsMargins(0, 0, 0, 0)
        seen.addWidget(self.preview_subject)
        seen.addWidget(shown, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def current_event(self) -> str:
        return str(self.event_box.currentData())

    def current_language(self) -> str:
        return str(self.language_box.currentData())

    def sources(self) -> dict[str, str]:
        typed = {part: editor.toPlainText() for part, editor in self.editors.items()}
        return {"subject": self.subject.text(), **typed}

    def load(self) -> None:
        actor, event, language = self.ctx.actor, self.current_event(), self.current_language()
        query(
            self, self.ctx, lambda s: template_editor.editable(s, actor, event, language)
        ).on_success(self._show).message(self._say_error).run()

    def _show(self, texts: TemplateTexts) -> None:
        if texts.event != self.current_event():
            return  # another event was chosen meanwhile
        self.subject.setText(texts.parts["subject"].strip())
        for part, editor in self.editors.items():
            editor.setPlainText(texts.parts[part])
        changed = ", ".join(_(PART_NAMES[p]) for p in sorted(texts.changed))
        self._say(
            _("The shop's own text: {parts}.").format(parts=changed)
            if changed
            else _("The default text.")
        )

    def preview(self) -> None:
        actor, event, sources = self.ctx.actor, self.current_event(), self.sources()
        number, language = self.order.text(), self.current_language()
        query(
            self,
            self.ctx,
            lambda s: template_editor.preview_texts(s, actor, event, sources, number, language),
        ).busy(self.buttons["preview"]).on_success(self._show_preview).on_failure(
            self._refused
        ).run()

    def _show_preview(self, shown: Preview) -> None:
        self.preview_subject.setText(
            _("{subject}  (from order {number})").format(
                subject=shown.subject, number=shown.order_number
            )
        )
        self.preview_html.setHtml(shown.html)
        self.preview_text.setPlainText(shown.text)
        self._say(
            _("Preview from order {number}; not saved yet.").format(number=shown.order_number)
        )

    def save(self) -> None:
        actor, event, sources = self.ctx.actor, self.current_event(), self.sources()
        label, language = self.event_box.currentText(), self.current_language()
        op(
            self, self.ctx, lambda s: template_editor.save_all(s, actor, event, sources, language)
        ).busy(*self.buttons.values()).on_success(lambda _r: self._saved(label)).on_failure(
            self._refused
        ).run()

    def _saved(self, label: str) -> None:
        self._say(_("Saved the '{event}' e-mail.").format(event=label))

    def reset(self) -> None:
        label = self.event_box.currentText()
        answer = QMessageBox.question(
            self,
            _("Reset to default"),
            _("Put back Kestrel's own text for '{event}'?").format(event=label),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        actor, event, language = self.ctx.actor, self.current_event(), self.current_language()
        op(self, self.ctx, lambda s: template_editor.reset(s, actor, event, language)).busy(
            *self.buttons.values()
        ).on_success(self._was_reset).message(self._say_error).run()

    def _was_reset(self, texts: TemplateTexts) -> None:
        self._show(texts)
        self._say(_("'{event}' is back to the default text.").format(event=_(texts.label)))

    def _refused(self, error: KestrelError) -> None:
        """A mistake in a template: its words, and the cursor on its line."""
        self._say_error(error.message)
        if not isinstance(error, TemplateMistake):
            return
        if error.part == "subject":
            self.subject.setFocus()
            return
        editor = self.editors[error.part]
        self.parts.setCurrentWidget(editor)
        block = editor.document().findBlockByLineNumber(max(0, error.line - 1))
        cursor = QTextCursor(block)
        cursor.select(QTextCursor.SelectionType.LineUnderCursor)
        editor.setTextCursor(cursor)
        editor.setFocus()

    def _say(self, words: str) -> None:
        mark(self.message, "")
        self.message.setText(words)

    def _say_error(self, words: str) -> None:
        mark(self.message, "error")
        self.message.setText(words)
