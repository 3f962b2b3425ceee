"""A customer's detail pane: edit an address through its dialog (a bad country is refused
naming the field, the dialog keeps what was typed), add a second one and make it the
default, edit the customer's flags, add a contact."""

from __future__ import annotations

from app.services.sales.customer_detail import get_customer
from app.services.sales.customer_search import find_customers
from app.views.customers.detail import CustomerPane
from tests import factories


def _pane(qtbot, ctx, settle, party_id):
    pane = CustomerPane(ctx)
    qtbot.addWidget(pane)
    pane.show_customer(party_id)
    settle()
    return pane


def test_edit_an_address_then_make_another_the_default(qtbot, ctx, settle):
    party = factories.customer(ctx.database, ctx.actor, "Ciara Nolan")
    pane = _pane(qtbot, ctx, settle, party)
    assert pane.title.text() == "Ciara Nolan" and pane.addresses.rowCount() == 1
    pane.address_table.selectRow(0)
    dialog = pane.change_address()
    assert dialog.fields["city"].text() == "Galway"
    dialog.fields["line1"].clear()
    qtbot.keyClicks(dialog.fields["line1"], "7 Spanish Arch")
    dialog.fields["country"].clear()
    qtbot.keyClicks(dialog.fields["country"], "Ireland")
    dialog.accept()
    settle()
    assert "Country" in dialog.error.text() and dialog.isVisible()
    assert dialog.fields["line1"].text() == "7 Spanish Arch"
    dialog.fields["country"].clear()
    qtbot.keyClicks(dialog.fields["country"], "ie")
    dialog.accept()
    settle()
    assert not dialog.isVisible()
    assert pane.addresses.rows()[0].line1 == "7 Spanish Arch"
    assert pane.addresses.rows()[0].country == "IE"

    dialog = pane.new_address()
    qtbot.keyClicks(dialog.fields["line1"], "1 Eyre Square")
    qtbot.keyClicks(dialog.fields["city"], "Galway")
    qtbot.keyClicks(dialog.fields["country"], "IE")
    dialog.accept()
    settle()
    newest = max(pane.addresses.rows(), key=lambda r: r.id)
    assert not newest.is_default
    pane.address_table.selectRow(pane.addresses.rows().index(newest))
    pane.set_default()
    settle()
    defaults = [r.line1 for r in pane.addresses.rows() if r.is_default]
    assert defaults == ["1 Eyre Square"]


def test_flags_and_a_contact(qtbot, ctx, settle):
    party = factories.customer(ctx.database, ctx.actor, "Harbour Cafe")
    pane = _pane(qtbot, ctx, settle, party)
    dialog = pane.edit_customer()
    dialog.marketing.setChecked(True)
    qtbot.keyClicks(dialog.tax_id, "IE9999999W")
    dialog.accept()
    settle()
    assert "no marketing e-mail" in pane.info.text() and "IE9999999W" in pane.info.text()
    dialog = pane.new_contact()
    qtbot.keyClicks(dialog.name, "Nuala Byrne")
    qtbot.keyClicks(dialog.phone, "087 555 1212")
    dialog.accept()
    settle()
    assert [c.name for c in pane.contacts.rows()] == ["Nuala Byrne"]
    with ctx.database.read() as s:
        assert get_customer(s, ctx.actor, party).marketing_opt_out
        assert [h.name for h in find_customers(s, ctx.actor, "0875551212")] == ["Nuala Byrne"]


def test_a_manager_sets_a_credit_limit_and_the_order_form_holds_to_it(qtbot, ctx, settle):
    """The limit is typed on the customer's page (bad text refused in words, nothing
    changed); an order on account over it is refused in the order form, the form kept."""
    from PySide6.QtWidgets import QInputDialog

    from app.services.sales import accounts
    from app.views.orders.entry import NewOrderDialog
    from tests.views import keyboard
    from tests.views.conftest import answer_modal
    from tests.views.orders.test_entry import _stocked

    party = factories.customer(ctx.database, ctx.actor, "Oisin Burke")
    pane = _pane(qtbot, ctx, settle, party)
    assert "No account" in pane.account.text() and pane.set_limit.isEnabled()

    def typed(text):
        def answer(dialog):
            dialog.setTextValue(text)
            dialog.accept()

        return answer

    answer_modal(QInputDialog, typed("lots"))
    pane.ask_limit()
    settle()
    assert "Credit limit" in pane.message.text()
    with ctx.database.read() as s:
        assert accounts.credit_limit(s, party) is None
    answer_modal(QInputDialog, typed("0.50"))
    pane.ask_limit()
    settle()
    qtbot.waitUntil(lambda: "limit" in pane.account.text() and "0.50" in pane.account.text())
    with ctx.database.read() as s:
        assert accounts.credit_limit(s, party) == 50

    form = NewOrderDialog(ctx)
    qtbot.addWidget(form)
    form.show()
    form.for_customer(party, "Oisin Burke")
    settle()
    ((_sku, code),) = _stocked(ctx.database, 1)
    keyboard.scan(qtbot, form.product_input, code)
    settle()
    form.terms.setCurrentIndex(form.terms.findData(accounts.Terms.ON_ACCOUNT.value))
    form.save()
    settle()
    assert form.ref is None and "over the credit limit" in form.message.text()
    assert form.lines.rowCount() == 1  # nothing the clerk typed is lost
