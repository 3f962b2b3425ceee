"""The print queue screen: its buttons are greyed with the reason until they apply (item 8
of issue 11), and cancel runs in the background."""

from __future__ import annotations

from app.core.changes import ChangeSet
from app.services.printing import printers
from app.services.printing.documents import print_document
from tests.views.screens import a_completed_order, settle


def greyed_because(button, words: str) -> bool:
    return not button.isEnabled() and words in button.toolTip()


def alive(button) -> bool:
    return button.isEnabled() and button.toolTip() == ""


def test_print_queue_buttons_say_why(shop):
    window = shop
    window.show()
    ctx = window.ctx
    queue = window.show_screen("Print queue")
    queue.table.clearSelection()
    for button in (queue.retry_button, queue.cancel_button, queue.reprint_button):
        assert greyed_because(button, "Select a job")
    with ctx.database.write() as s:
        printers.ensure_preview_printers(s, "till-1")
        job = print_document(s, ctx.actor, "till-1", a_completed_order(window), "invoice")
    ctx.bridge.changed.emit(ChangeSet(kinds=frozenset({"print_jobs"})))
    settle()
    row = next(i for i in range(queue.model.rowCount()) if queue.model.row(i).id == job)
    queue.table.selectRow(row)
    assert alive(queue.retry_button) and alive(queue.cancel_button)
    queue.cancel_button.click()
    settle()
    queue.table.selectRow(
        next(i for i in range(queue.model.rowCount()) if queue.model.row(i).id == job)
    )
    assert greyed_because(queue.retry_button, "cancelled already")
    assert greyed_because(queue.cancel_button, "cancelled already")
    assert alive(queue.reprint_button)
