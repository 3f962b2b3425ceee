"""Customers (and suppliers) with their addresses."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.core import changes
from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.validation import clean_text
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
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationError(f"'{value}' is not a valid e-mail address: {exc}", "email") from None


def clean_address(data: AddressInput) -> dict[str, str]:
    country = clean_text(data.country, "Country", max_length=2, required=True).upper()
    if not country.isalpha() or len(country) != 2:
        raise ValidationError("Country is a two-letter code such as IE, DE or US.", "country")
    return {
        "kind": data.kind if data.kind in ("shipping", "billing") else "shipping",
        "name": clean_text(data.name, "Address name", max_length=200),
        "line1": clean_text(data.line1, "Street", max_length=200, required=True),
        "line2": clean_text(data.line2, "Address line 2", max_length=200),
        "city": clean_text(data.city, "City", max_length=100, required=True),
        "postcode": clean_text(data.postcode, "Postcode", max_length=20),
        "region": clean_text(data.region, "Region", max_length=100),
        "country": country,
    }


def _reindex(session: Session, party: Party) -> None:
    session.execute(delete(PartyToken).where(PartyToken.party_id == party.id))
    words = tokens(party.name, party.email, party.phone)
    if words:
        session.execute(insert(PartyToken), [{"token": w, "party_id": party.id} for w in words])


def create_customer(session: Session, actor: Actor, data: CustomerInput) -> int:
    require(actor, Permission.CUSTOMERS_EDIT)
    party = Party(
        name=clean_text(data.name, "Name", max_length=200, required=True),
        email=check_email(data.email),
        phone=clean_text(data.phone, "Phone", max_length=40),
        is_customer=data.is_customer,
        is_supplier=data.is_supplier,
    )
    if data.address is not None:
        party.addresses.append(Address(**clean_address(data.address), is_default=True))
    session.add(party)
    session.flush()
    _reindex(session, party)
    changes.note(session, kind="customers")
    return party.id


def update_customer(
    session: Session, actor: Actor, party_id: int, *, name: str, email: str, phone: str
) -> None:
    require(actor, Permission.CUSTOMERS_EDIT)
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"Customer {party_id} does not exist.")
    party.name = clean_text(name, "Name", max_length=200, required=True)
    party.email = check_email(email)
    party.phone = clean_text(phone, "Phone", max_length=40)
    session.flush()
    _reindex(session, party)
    changes.note(session, kind="customers")


def add_address(session: Session, actor: Actor, party_id: int, data: AddressInput) -> int:
    require(actor, Permission.CUSTOMERS_EDIT)
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(f"Customer {party_id} does not exist.")
    address = Address(**clean_address(data), is_default=not party.addresses)
    party.addresses.append(address)
    session.flush()
    return address.id


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
