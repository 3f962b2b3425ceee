"""Settings -> E-mail templates: preview typed text rendered from a real order, a mistake
refused on save with its line (the cursor put there), save and reset."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.notify import templates
from app.views.settings.email_templates import TemplatesPage
from tests.views.conftest import answer_modal, show_active


def _page(ctx, qtbot, settle) -> TemplatesPage:
    page = TemplatesPage(ctx)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    page.event_box.setCurrentIndex(page.event_box.findData("shipped"))
    settle()
    qtbot.waitUntil(lambda: "order.number" in page.subject.text())
    return page


def test_preview_from_a_real_order(ctx, qtbot, settle):
    page = _page(ctx, qtbot, settle)
    page.subject.setText("On its way: {{ order.number }}")
    page.editors["html"].setPlainText("<h1>Hello {{ order.customer_name }}</h1>")
    qtbot.keyClick(page, Qt.Key.Key_F5)
    settle()
    qtbot.waitUntil(lambda: "from order SO-" in page.preview_subject.text())
    number = page.preview_subject.text().split("from order ")[1].rstrip(")")
    assert page.preview_subject.text().startswith(f"On its way: {number}")
    assert "Hello" in page.preview_html.toPlainText()
    assert number in page.preview_text.toPlainText()
    with ctx.database.read() as s:
        assert templates.overrides(s, "shipped") == {}  # previewing saved nothing


def test_a_mistake_is_refused_with_its_line(ctx, qtbot, settle):
    page = _page(ctx, qtbot, settle)
    page.editors["txt"].setPlainText("Hello\n{{ order.number }}\n{% for line in order.lines %}\n")
    page.parts.setCurrentWidget(page.editors["html"])
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    settle()
    qtbot.waitUntil(lambda: "line" in page.message.text())
    assert "The plain text has a mistake on line 3" in page.message.text()
    assert page.message.property("kind") == "error"
    assert page.parts.currentWidget() is page.editors["txt"]  # shown where it is
    assert page.editors["txt"].textCursor().blockNumber() == 2
    with ctx.database.read() as s:
        assert templates.overrides(s, "shipped") == {}


def test_save_then_reset_to_default(ctx, qtbot, settle):
    page = _page(ctx, qtbot, settle)
    default_subject = page.subject.text()
    page.subject.setText("Shipped! {{ order.number }}")
    page.buttons["save"].click()
    settle()
    assert page.message.text() == "Saved the 'Order shipped' e-mail."
    with ctx.database.read() as s:
        assert templates.overrides(s, "shipped") == {"subject": "Shipped! {{ order.number }}"}
    answer_modal(
        QMessageBox,
        lambda box: box.button(box.StandardButton.Yes).click(),
    )
    page.buttons["reset"].click()
    settle()
    qtbot.waitUntil(lambda: "back to the default" in page.message.text())
    assert page.subject.text() == default_subject
    with ctx.database.read() as s:
        assert templates.overrides(s, "shipped") == {}
