"""A customer's detail: fields and flags, addresses with one default per kind, contacts of
a company, store credit, gift cards, open orders, returns and the paged history."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.errors import ValidationError
from app.services.sales import customers, order_entry
from app.services.sales.customer_detail import get_customer, order_history
from app.services.sales.customers import AddressInput, CustomerInput
from app.services.sales.order_entry import LineInput, OrderInput
from app.services.sales.store_credit import give_credit
from tests import factories
from tests.conftest import role_actor

CLERK = role_actor(Role.CLERK)
HOME = AddressInput("1 Quay Street", "Galway", "H91 X2Y3", "IE")
OFFICE = AddressInput("2 Dock Road", "Limerick", "V94 1234", "IE", kind="billing")


def test_fields_flags_and_addresses(database, admin):
    party = factories.customer(database, admin)
    with database.write() as s:
        customers.save_customer(
            s,
            CLERK,
            party,
            CustomerInput(
                "Orla Walsh",
                "orla@example.com",
                "091 123456",
                note="Rings before noon",
                tax_id="IE1234567T",
                marketing_opt_out=True,
            ),
        )
        second = customers.add_address(s, CLERK, party, HOME)
        billing = customers.add_address(s, CLERK, party, OFFICE)
    with database.read() as s:
        detail = get_customer(s, CLERK, party)
    assert (detail.tax_id, detail.note, detail.marketing_opt_out) == (
        "IE1234567T",
        "Rings before noon",
        True,
    )
    assert not detail.email_opt_out
    defaults = {a.kind: a.id for a in detail.addresses if a.is_default}
    assert defaults["billing"] == billing and defaults["shipping"] != second
    with database.write() as s:
        customers.set_default_address(s, CLERK, second)
        customers.update_address(
            s, CLERK, second, AddressInput("9 New Street", "Cork", "T12", "ie")
        )
    with database.read() as s:
        detail = get_customer(s, CLERK, party)
    shipping = [a for a in detail.addresses if a.kind == "shipping"]
    assert [a.id for a in shipping if a.is_default] == [second]
    assert next(a for a in shipping if a.id == second).one_line().startswith("9 New Street")
    with database.write() as s:
        customers.remove_address(s, CLERK, second)
    with database.read() as s:
        left = [a for a in get_customer(s, CLERK, party).addresses if a.kind == "shipping"]
    assert len(left) == 1 and left[0].is_default  # the default passed on


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (CustomerInput(" "), "Name"),
        (CustomerInput("Ann", email="ann@"), "e-mail"),
        (CustomerInput("Ann", tax_id="x" * 41), "Tax id"),
    ],
)
def test_bad_input_names_the_field(database, admin, data, field):
    party = factories.customer(database, admin)
    with database.write() as s, pytest.raises(ValidationError, match=field):
        customers.save_customer(s, CLERK, party, data)


def test_company_contacts_credit_cards_and_history(database, admin):
    company = factories.customer(database, admin, "Harbour Cafe")
    product = factories.product(database, admin, stock=20)
    with database.write() as s:
        contact = customers.add_contact(
            s, CLERK, company, CustomerInput("Nuala Byrne", "nuala@harbour.ie", "087 555 1212")
        )
        numbers = [
            order_entry.create_order(
                s, admin, OrderInput("phone", (LineInput(product, 1),), customer_id=company)
            ).number
            for _ in range(3)
        ]
        give_credit(s, admin, company, 500, None, "goodwill")
    with database.read() as s:
        detail = get_customer(s, CLERK, company)
        contact_detail = get_customer(s, CLERK, contact)
        page = order_history(s, CLERK, company, 0, 2)
        rest = order_history(s, CLERK, company, 2, 2)
    assert detail.is_company and [c.name for c in detail.contacts] == ["Nuala Byrne"]
    assert contact_detail.company is not None and contact_detail.company.id == company
    assert contact_detail.email == "nuala@harbour.ie"
    assert detail.store_credit == 500
    assert detail.order_count == 3 and len(detail.open_orders) == 3
    assert [r.number for r in page + rest] == numbers[::-1]
    assert {r.status for r in page} == {"new"}
