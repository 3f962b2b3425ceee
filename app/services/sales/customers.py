"""Customers (and suppliers) with their addresses and, for a company, its contacts.

Addresses have a kind (billing or shipping) and one default per kind. A party merged into
another (customer_merge.py) is archived and refuses edits: its orders have moved on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.core import changes, i18n
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import clean_text, normalized_email
from app.models import Address, Party, PartyToken
from app.services.stock.search import matching_ids, tokens


@dataclass(frozen=True)
class AddressInput:
    line1: str
    city: str
    postcode: str
    country: str
    name: str = ""
    line2: str = ""
    region: str = ""
    kind: str = "shipping"


@dataclass(frozen=True)
class CustomerInput:
    name: str
    email: str = ""
    phone: str = ""
    address: AddressInput | None = None
    is_supplier: bool = False
    is_customer: bool = True
    note: str = ""
    tax_id: str = ""
    is_company: bool = False
    marketing_opt_out: bool = False
    email_opt_out: bool = False
    # The language of their e-mails and invoices ('' = the shop's); None keeps it as it is
    language: str | None = None


ADDRESS_KINDS = ("shipping", "billing")


@dataclass(frozen=True)
class CustomerRow:
    id: int
    name: str
    email: str
    phone: str
    city: str


def check_email(value: str, *, required: bool = False) -> str:
    """A syntactically valid e-mail address (no DNS look-up: the counter may be offline)."""
    value = clean_text(value, "E-mail", max_length=254, required=required)
    if not value:
        return ""
    normalized, why_not = normalized_email(value)
    if why_not:
        raise ValidationError(
            _("'{value}' is not a valid e-mail address: {why_not}").format(
                value=value, why_not=why_not
            ),
            "email",
        )
    return normalized


def clean_address(data: AddressInput) -> dict[str, str]:
    country = clean_text(data.country, "Country", max_length=2, required=True).upper()
    if not country.isalpha() or len(country) != 2:
        raise ValidationError(_("Country is a two-letter code such as IE, DE or US."), "country")
    return {
        "kind": data.kind if data.kind in ADDRESS_KINDS else "shipping",
        "name": clean_text(data.name, "Address name", max_length=200),
        "line1": clean_text(data.line1, "Street", max_length=200, required=True),
        "line2": clean_text(data.line2, "Address line 2", max_length=200),
        "city": clean_text(data.city, "City", max_length=100, required=True),
        "postcode": clean_text(data.postcode, "Postcode", max_length=20),
        "region": clean_text(data.region, "Region", max_length=100),
        "country": country,
    }


def phone_digits(phone: str) -> str:
    """A phone number's digits alone: "+353 87 123 4567" is found as 353871234567."""
    return "".join(ch for ch in phone if ch.isdigit())


def party_tokens(name: str, email: str, phone: str) -> set[str]:
    """The search words of a party; its phone also whole, as digits, however it was typed."""
    words = tokens(name, email, phone)
    digits = phone_digits(phone)
    if len(digits) >= 3:
        words.add(digits[:64])
        if digits.startswith("0"):  # a local number is also found without its 0
            words.add(digits[1:65])
    return words


def reindex(session: Session, party: Party) -> None:
    session.execute(delete(PartyToken).where(PartyToken.party_id == party.id))
    if party.archived:
        return
    words = party_tokens(party.name, party.email, party.phone)
    if words:
        session.execute(insert(PartyToken), [{"token": w, "party_id": party.id} for w in words])


def create_customer(session: Session, actor: Actor, data: CustomerInput) -> int:
    require(actor, Permission.CUSTOMERS_EDIT)
    return new_party(session, data)


def new_party(session: Session, data: CustomerInput, company_id: int | None = None) -> int:
    """The party row, its first address and its search words (callers checked)."""
    party = Party(**clean_fields(data), is_customer=data.is_customer, is_supplier=data.is_supplier)
    party.company_id = company_id
    if data.address is not None:
        party.addresses.append(Address(**clean_address(data.address), is_default=True))
    session.add(party)
    session.flush()
    reindex(session, party)
    changes.note(session, kind="customers")
    return party.id


def clean_fields(data: CustomerInput) -> dict[str, object]:
    """The editable fields of a party, checked, each refusal naming its field."""
    fields: dict[str, object] = {
        "name": clean_text(data.name, "Name", max_length=200, required=True),
        "email": check_email(data.email),
        "phone": clean_text(data.phone, "Phone", max_length=40),
        "note": clean_text(data.note, "Notes", max_length=4000),
        "tax_id": clean_text(data.tax_id, "Tax id", max_length=40),
        "is_company": bool(data.is_company),
        "marketing_opt_out": bool(data.marketing_opt_out),
        "email_opt_out": bool(data.email_opt_out),
    }
    if data.language is not None:
        fields["language"] = i18n.check_language(data.language)
    return fields


def live_party(session: Session, party_id: int) -> Party:
    """A party that can still be changed: it exists and was not merged into another."""
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(_("Customer {party_id} does not exist.").format(party_id=party_id))
    if party.merged_into_id is not None:
        raise ValidationError(
            _("{name} was merged into customer {merged_into_id}: change that one.").format(
                name=party.name, merged_into_id=party.merged_into_id
            )
        )
    return party


def save_customer(session: Session, actor: Actor, party_id: int, data: CustomerInput) -> None:
    """Every field of the edit dialog at once (the address is edited on its own)."""
    require(actor, Permission.CUSTOMERS_EDIT)
    party = live_party(session, party_id)
    for key, value in clean_fields(data).items():
        setattr(party, key, value)
    session.flush()
    reindex(session, party)
    changes.note(session, kind="customers")


def add_contact(session: Session, actor: Actor, company_id: int, data: CustomerInput) -> int:
    """A person at a company customer, with their own e-mail and phone."""
    require(actor, Permission.CUSTOMERS_EDIT)
    return attach_contact(session, company_id, data)


def attach_contact(session: Session, company_id: int, data: CustomerInput) -> int:
    company = live_party(session, company_id)
    if company.company_id is not None:
        raise ValidationError(
            _("{name} is a contact itself; add the contact to its company.").format(
                name=company.name
            )
        )
    company.is_company = True
    contact = CustomerInput(
        data.name,
        data.email,
        data.phone,
        is_customer=company.is_customer,
        is_supplier=company.is_supplier,
        note=data.note,
    )
    return new_party(session, contact, company_id=company.id)


def update_customer(
    session: Session, actor: Actor, party_id: int, *, name: str, email: str, phone: str
) -> None:
    require(actor, Permission.CUSTOMERS_EDIT)
    party = live_party(session, party_id)
    party.name = clean_text(name, "Name", max_length=200, required=True)
    party.email = check_email(email)
    party.phone = clean_text(phone, "Phone", max_length=40)
    session.flush()
    reindex(session, party)
    changes.note(session, kind="customers")


def add_address(session: Session, actor: Actor, party_id: int, data: AddressInput) -> int:
    require(actor, Permission.CUSTOMERS_EDIT)
    party = live_party(session, party_id)
    fields = clean_address(data)
    first_of_kind = not any(a.kind == fields["kind"] for a in party.addresses)
    address = Address(**fields, is_default=first_of_kind)
    party.addresses.append(address)
    session.flush()
    changes.note(session, kind="customers")
    return address.id


def _address(session: Session, address_id: int) -> Address:
    address = session.get(Address, address_id)
    if address is None:
        raise NotFound(_("Address {address_id} does not exist.").format(address_id=address_id))
    live_party(session, address.party_id)
    return address


def update_address(session: Session, actor: Actor, address_id: int, data: AddressInput) -> None:
    """Change an address in place (orders keep the copy they were shipped to). A change of
    kind hands the default of the old kind to another address of that kind."""
    require(actor, Permission.CUSTOMERS_EDIT)
    address = _address(session, address_id)
    old_kind = address.kind
    for key, value in clean_address(data).items():
        setattr(address, key, value)
    if address.kind != old_kind and address.is_default:
        address.is_default = False
        _default_first(session, address.party_id, old_kind)
    session.flush()
    _default_first(session, address.party_id, address.kind)
    changes.note(session, kind="customers")


def set_default_address(session: Session, actor: Actor, address_id: int) -> None:
    """The one default of its kind (billing or shipping) for its customer."""
    require(actor, Permission.CUSTOMERS_EDIT)
    address = _address(session, address_id)
    session.execute(
        update(Address)
        .where(Address.party_id == address.party_id, Address.kind == address.kind)
        .values(is_default=Address.id == address.id)
    )
    session.expire_all()
    changes.note(session, kind="customers")


def remove_address(session: Session, actor: Actor, address_id: int) -> None:
    """Orders keep their own copy of the address, so removing it changes no history."""
    require(actor, Permission.CUSTOMERS_EDIT)
    address = _address(session, address_id)
    party_id, kind = address.party_id, address.kind
    session.delete(address)
    session.flush()
    _default_first(session, party_id, kind)
    changes.note(session, kind="customers")


def _default_first(session: Session, party_id: int, kind: str) -> None:
    """If no address of `kind` is the default, the oldest one becomes it."""
    ids = session.execute(
        select(Address.id, Address.is_default)
        .where(Address.party_id == party_id, Address.kind == kind)
        .order_by(Address.id)
    ).all()
    if ids and not any(row.is_default for row in ids):
        session.execute(update(Address).where(Address.id == ids[0].id).values(is_default=True))
        session.expire_all()


def default_address(session: Session, party_id: int) -> Address | None:
    return session.scalar(
        select(Address)
        .where(Address.party_id == party_id)
        .order_by(Address.is_default.desc(), Address.id)
        .limit(1)
    )


def matching_customer_ids(session: Session, text: str, limit: int = 500) -> list[int]:
    return matching_ids(session, PartyToken.token, PartyToken.party_id, text, 0, limit)


def search_customers(session: Session, text: str, limit: int = 50) -> list[CustomerRow]:
    ids = matching_customer_ids(session, text, limit)
    if not ids:
        return []
    rows = session.execute(
        select(Party.id, Party.name, Party.email, Party.phone).where(Party.id.in_(ids))
    ).all()
    cities = dict(
        session.execute(
            select(Address.party_id, Address.city).where(Address.party_id.in_(ids))
        ).all()
    )
    return sorted(
        (CustomerRow(r.id, r.name, r.email, r.phone, cities.get(r.id, "")) for r in rows),
        key=lambda c: c.name.casefold(),
    )
