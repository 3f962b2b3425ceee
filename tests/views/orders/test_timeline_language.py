"""The order page's timeline in the screen's language (issue 21): entries written in
English by the services read in German, French and Spanish, plural forms and program
words (a status) translated, a person's note as typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core import i18n
from app.services.sales import order_actions
from app.services.sales.order_list import OrderQuery, list_orders
from app.views.main_window import MainWindow

EXPECTED = {
    "de": ("Zurückgestellt: Anruf", "Zurückstellung aufgehoben ({status})", "Kundennotiz"),
    "fr": ("Mise en attente : Anruf", "Sortie de l'attente ({status})", "Kundennotiz"),
    "es": ("En espera: Anruf", "Liberado de la espera ({status})", "Kundennotiz"),
}


def _what(detail) -> list[str]:
    """The timeline's "What" column as the screen shows it."""
    model = detail.events_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index(i18n._("What"))
    return [model.index(r, column).data() for r in range(model.rowCount())]


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_the_timeline_reads_in_the_screens_language(qtbot, ctx, settle, lang):
    with ctx.database.read() as s:
        order = list_orders(s, OrderQuery(status="new"), 0, 1)[0]
    with ctx.database.write() as s:
        version = order_actions.hold(s, ctx.actor, order.id, "Anruf")
    with ctx.database.write() as s:
        version = order_actions.release(s, ctx.actor, order.id, version)
    with ctx.database.write() as s:
        order_actions.add_note(s, ctx.actor, order.id, "Kundennotiz", version)
    i18n.use_language(lang)
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        screen = window.screens["Orders"]
        screen.open_order(order.id)
        settle()
        shown = _what(screen.detail)
        held, released, note = EXPECTED[lang]
        assert held in shown
        assert released.format(status=i18n._("New")) in shown
        assert i18n._("New") != "New"
        assert shown[-1] == note  # the note as typed
        rows = screen.detail.events_model.rows()
        assert "Put on hold: Anruf" in [r.message for r in rows]  # the row keeps English
    finally:
        i18n.use_language(i18n.SOURCE_LANGUAGE)
