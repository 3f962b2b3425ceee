"""Importing customers or suppliers with their default address: matched by e-mail.

A party with no e-mail is matched by its name and phone together, so a file exported and
imported again finds every party it wrote. An existing customer imported as a supplier
becomes both (one party, two roles). Empty cells leave what is stored as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.core import bulk, changes
from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import Address, Party, PartyToken, utcnow
from app.services.purchasing.suppliers import check_code
from app.services.sales.customers import AddressInput, check_email, clean_address
from app.services.stock.search import tokens
from app.services.transfer.common import ADD, UNCHANGED, UPDATE, Plan, RowView

ADDRESS = ("street", "street2", "city", "postcode", "region", "country")
_ADDRESS_COLUMNS = {
    "street": "line1",
    "street2": "line2",
    "city": "city",
    "postcode": "postcode",
    "region": "region",
    "country": "country",
}
_FIELD_OF_LABEL = {
    "Street": "street",
    "Address line 2": "street2",
    "City": "city",
    "Postcode": "postcode",
    "Region": "region",
    "country": "country",
    "Country": "country",
}


@cache
def _country_codes() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for locale in ("en", "de", "fr", "es", "it", "nl"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(name.casefold(), code)
    return names


def country_code(text: str) -> str:
    """'IE', 'ie', 'Ireland' or 'Deutschland' -> the two-letter code."""
    if len(text) == 2 and text.isalpha():
        return text.upper()
    code = _country_codes().get(" ".join(text.split()).casefold())
    if code is None:
        raise ValidationError(
            _("'{text}' is not a country Kestrel knows: use its code (IE, DE).").format(text=text)
        )
    return code


def party_key(email: str, name: str, phone: str) -> str:
    return email.casefold() if email else f"~{name.casefold()}|{phone}"


@dataclass
class PartyData:
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    address: dict[str, str] | None = None
    address_id: int | None = None
    party_id: int | None = None


class PartyImporter:
    def __init__(self, session: Session, *, supplier: bool) -> None:
        self.supplier = supplier
        self.role = "supplier" if supplier else "customer"
        self.keys: dict[str, int] = {}
        for pid, email, name, phone in session.execute(
            select(Party.id, Party.email, Party.name, Party.phone)
            .where(Party.is_walk_in.is_(False))
            .order_by(Party.id)
        ):
            self.keys.setdefault(party_key(email, name, phone), pid)
        self.seen: dict[str, int] = {}
        # supplier codes in use (code -> party) and the rows of this file that claim one
        self.codes: dict[str, int] = {}
        if supplier:
            self.codes = {
                str(code).upper(): pid
                for pid, code in session.execute(
                    select(Party.id, Party.code).where(Party.code.is_not(None))
                )
            }
        self.seen_codes: dict[str, int] = {}

    def plan(self, session: Session, views: list[RowView]) -> list[Plan]:
        checked = [(view, self._check(view)) for view in views]
        ids = {self.keys[v["key"]] for _view, v in checked if v and v["key"] in self.keys}
        parties = {
            row.id: row for row in session.execute(select(Party.__table__).where(Party.id.in_(ids)))
        }
        addresses: dict[int, Any] = {}
        for row in session.execute(
            select(Address.__table__)
            .where(Address.party_id.in_(ids))
            .order_by(Address.is_default.asc(), Address.id.desc())
        ):
            addresses[row.party_id] = row  # the last written wins: the default, else the first
        return [self._plan(view, v, parties, addresses) for view, v in checked]

    def _check(self, view: RowView) -> dict[str, Any] | None:
        email = view.read("email", check_email) or ""
        name = view.read("name", lambda v: clean_text(v, "Name", max_length=200)) or ""
        phone = view.read("phone", lambda v: clean_text(v, "Phone", max_length=40)) or ""
        code = view.read("code", check_code) if self.supplier else None
        if code is not None and code in self.seen_codes:
            view.refuse(
                "code",
                _("The code {code} is on row {row} too").format(
                    code=code, row=self.seen_codes[code]
                ),
            )
        elif code is not None:
            self.seen_codes[code] = view.row.number
        cells = {key: view.text(key) for key in ADDRESS}
        if cells["country"]:
            cells["country"] = view.read("country", country_code) or ""
        if not view.ok:
            return None
        if not email and not name:
            view.refuse(
                "email",
                _("A supplier needs an e-mail or a name")
                if self.role == "supplier"
                else _("A customer needs an e-mail or a name"),
            )
            return None
        key = party_key(email, name, phone)
        if key in self.seen:
            same = (
                _("The same supplier is on row {row}")
                if self.role == "supplier"
                else _("The same customer is on row {row}")
            )
            view.refuse("email" if email else "name", same.format(row=self.seen[key]))
            return None
        self.seen[key] = view.row.number
        return {
            "key": key,
            "email": email,
            "name": name,
            "phone": phone,
            "code": code,
            "address": cells,
        }

    def _plan(
        self,
        view: RowView,
        checked: dict[str, Any] | None,
        parties: dict[int, Any],
        addresses: dict[int, Any],
    ) -> Plan:
        plan = view.plan
        if checked is None:
            return plan
        party = parties.get(self.keys.get(checked["key"], -1))
        if party is None and not checked["name"]:
            view.refuse(
                "name",
                _("A new supplier needs a name")
                if self.role == "supplier"
                else _("A new customer needs a name"),
            )
            return plan
        code = checked["code"]
        holder = self.codes.get(code) if code else None
        if holder is not None and (party is None or holder != party.id):
            view.refuse(
                "code",
                _("The supplier code {code} belongs to another supplier").format(code=code),
            )
            return plan
        data = PartyData(checked["key"])
        stored = addresses.get(party.id) if party is not None else None
        data.address = self._address(view, checked["address"], stored)
        if not view.ok:
            return plan
        plan.data = data
        given = {k: checked[k] for k in ("email", "name", "phone", "code") if checked[k]}
        given["is_supplier" if self.supplier else "is_customer"] = True
        if party is None:
            data.values = {"email": "", "name": "", "phone": ""} | given
            plan.action = ADD
            return plan
        data.party_id = party.id
        data.values = {k: v for k, v in given.items() if getattr(party, k) != v}
        if stored is not None and data.address is not None:
            data.address_id = stored.id
            if all(getattr(stored, k) == v for k, v in data.address.items()):
                data.address = None
        plan.changed = tuple(data.values) + (("address",) if data.address else ())
        plan.action = UPDATE if plan.changed else UNCHANGED
        return plan

    def _address(self, view: RowView, cells: dict[str, str], stored: Any) -> dict[str, str] | None:
        """The address the row gives, over the stored one; None if it gives none."""
        if not any(cells.values()):
            return None
        base = (
            {key: getattr(stored, col) for key, col in _ADDRESS_COLUMNS.items()} if stored else {}
        )
        merged = base | {k: v for k, v in cells.items() if v}
        try:
            cleaned = clean_address(
                AddressInput(
                    line1=merged.get("street", ""),
                    line2=merged.get("street2", ""),
                    city=merged.get("city", ""),
                    postcode=merged.get("postcode", ""),
                    region=merged.get("region", ""),
                    country=merged.get("country", ""),
                    name=stored.name if stored is not None else "",
                    kind=stored.kind if stored is not None else "shipping",
                )
            )
        except ValidationError as exc:
            view.refuse(_FIELD_OF_LABEL.get(exc.field, "street"), exc.message.rstrip("."))
            return None
        return cleaned

    def write(self, session: Session, actor: Actor, plans: list[Plan]) -> None:
        require(actor, Permission.CUSTOMERS_EDIT)
        adds = [p.data for p in plans if p.action == ADD]
        updates = [p.data for p in plans if p.action == UPDATE]
        self._add(session, adds)
        for data in updates:
            self._update(session, data)
        if adds or updates:
            changes.note(session, kind="customers")

    def _add(self, session: Session, adds: list[PartyData]) -> None:
        if not adds:
            return
        now = utcnow()
        rows = [
            {
                "is_customer": False,
                "is_supplier": False,
                "is_walk_in": False,
                "note": "",
                "code": None,
            }
            | d.values
            | {"created_at": now}
            for d in adds
        ]
        table = Party.__table__
        made = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        ).scalars()
        for d, pid in zip(adds, made, strict=True):
            d.party_id = pid
            self.keys[d.key] = pid
        addresses = [
            {**d.address, "party_id": d.party_id, "is_default": True} for d in adds if d.address
        ]
        if addresses:
            session.execute(insert(Address.__table__), addresses)
        words = (
            (w, d.party_id)
            for d in adds
            for w in tokens(d.values["name"], d.values["email"], d.values["phone"])
        )
        bulk.insert_rows(session, PartyToken.__tablename__, ("token", "party_id"), words)

    def _update(self, session: Session, data: PartyData) -> None:
        party = session.get(Party, data.party_id)
        assert party is not None
        for key, value in data.values.items():
            setattr(party, key, value)
        if data.address is not None:
            address = session.get(Address, data.address_id) if data.address_id else None
            if address is None:
                party.addresses.append(Address(**data.address, is_default=not party.addresses))
            else:
                for key, value in data.address.items():
                    setattr(address, key, value)
        session.flush()
        if {"name", "email", "phone"} & set(data.values):
            session.execute(delete(PartyToken).where(PartyToken.party_id == party.id))
            words = tokens(party.name, party.email, party.phone)
            if words:
                session.execute(
                    insert(PartyToken), [{"token": w, "party_id": party.id} for w in words]
                )
