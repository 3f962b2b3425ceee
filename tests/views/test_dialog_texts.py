"""Issue 21 for the dialogs tests/views/test_screen_texts.py does not open (order entry and
edit, refund at the counter, the acceptance queue's two questions, first run, a new
password): opened in the pseudo-locale, none shows a text outside the catalogue."""

from __future__ import annotations

import pytest

from app.core import i18n
from app.services.sales import acceptance, order_list, refunds
from app.services.sales.order_list import OrderQuery
from tests.views.screen_texts import problems
from tests.views.screens import settle
from tests.views.test_screen_texts import shop_data_words


def _made(ctx):
    """(name, dialog) for each dialog, built while the pseudo-locale is in use."""
    from app.views.counter.refund import RefundDialog
    from app.views.first_run import CreateAdminDialog
    from app.views.orders.acceptance_dialogs import FixDialog, ReasonDialog
    from app.views.orders.edit_order import EditOrderDialog
    from app.views.orders.entry import NewOrderDialog
    from app.views.password_change import ChangePasswordDialog

    with ctx.database.read() as s:
        sale = order_list.list_orders(s, OrderQuery(status="completed"), 0, 1)[0]
        lines = refunds.refundable_lines(s, sale.id)
        new = acceptance.queue_page(s, ctx.actor, 0, 1)[0]
    return [
        ("New order", NewOrderDialog(ctx)),
        ("Edit order", EditOrderDialog(ctx, new.id)),
        ("Refund", RefundDialog(sale.number, lines)),
        ("Reject", ReasonDialog(i18n._("Reject {number}").format(number=new.number))),
        ("Fix", FixDialog(new)),
        ("First run", CreateAdminDialog(ctx.database, "till-1")),
        ("New password", ChangePasswordDialog(ctx.database, ctx.actor, "secret")),
    ]


@pytest.fixture
def found(ctx, qapp):
    from app.views.qt_i18n import install_qt_translations

    data = shop_data_words(ctx.database)
    result: dict[str, list[str]] = {}
    i18n.use_language(i18n.PSEUDO_LANGUAGE)
    install_qt_translations(qapp, i18n.PSEUDO_LANGUAGE)  # Qt's own buttons, bracketed too
    try:
        for name, dialog in _made(ctx):
            dialog.show()
            settle()  # the entry form's carriers, the edit form's order
            result[name] = problems(name, dialog, data)
            dialog.close()
            dialog.deleteLater()
        settle()
    finally:
        i18n.use_language(i18n.SOURCE_LANGUAGE)
        install_qt_translations(qapp, i18n.SOURCE_LANGUAGE)
    return result


def test_the_dialogs_show_only_catalogue_texts(found):
    assert set(found) == {
        *("New order", "Edit order", "Refund", "Reject", "Fix", "First run", "New password"),
    }
    left = [line for lines in found.values() for line in lines]
    assert left == [], "\n".join(left)
