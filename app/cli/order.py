"""`kestrel order`: phone and e-mail orders for administrators and scripts.

    kestrel order create --customer EMAIL --line SKU:QTY[:PRICE] ... [--channel phone]
                         [--ship-to-default] [--carrier CODE] [--shipping PRICE]
                         [--terms prepaid|on_delivery|on_account] [--deliver-by YYYY-MM-DD]
                         [--note TEXT] [--reason TEXT] [--advance PRICE
                         [--advance-by card|bank_transfer] [--advance-ref REF]] [--json]
    kestrel order show NUMBER [--json]
    kestrel order accept|confirm|hold|release|cancel NUMBER [--reason TEXT]
    kestrel order ship NUMBER --carrier CODE [--tracking T] [--weight KG]
    kestrel order deliver NUMBER

The commands act as the administrator (as the other commands do), or as `--user NAME`
with that user's role, so a script can run with less. PRICE is in the shop's currency
(12.50); a PRICE other than the catalogue's is an override and needs `--reason`.
`ship` picks and packs what is reserved into one package with no scan checking it, and
says so on the order's timeline and in the audit log.

Exit codes: 0 done, 1 refused (the reason on stderr: a bad line, an unknown SKU or
customer, an archived product, a missing permission, a step the order cannot take), 2 the
command could not work (no database, an older schema).

`--json` (show, create) prints one object whose field names are stable; money is in minor
units (cents), times are ISO 8601 in UTC:

    {"number": "SO-000123", "status": "new", "channel": "phone",
     "customer": {"name": "...", "email": "..."},
     "lines": [{"sku": "...", "name": "...", "quantity": 2, "unit_price": 1230,
                "line_total": 2460}],
     "subtotal": 2000, "tax_total": 460, "total": 2460, "currency": "EUR",
     "shipments": [{"carrier": "Kestrel Post Parcel", "tracking": ["KS000001"],
                    "status": "shipped"}],
     "events": [{"at": "2026-12-02T06:30:00+00:00", "kind": "created", "message": "..."}],
     "tracking_url": "http://127.0.0.1:8765/track/TOKEN"}

`tracking_url` is the customer's page: the shop setting public_url + /track/ + the
order's unguessable token.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from app.cli.common import acting_user as _actor
from app.cli.common import open_database, refusing
from app.core.errors import (
    NotFound,
    ValidationError,
)
from app.core.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


STEPS = ("accept", "confirm", "hold", "release", "cancel")
MAX_WEIGHT_KG = Decimal(1000)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    order = sub.add_parser(
        "order",
        parents=[common],
        help=_("create, show and move phone and e-mail orders"),
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = order.add_subparsers(dest="action", metavar="ACTION", required=True)
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))

    create = actions.add_parser("create", parents=[shared], help=_("a new phone or e-mail order"))
    create.add_argument("--customer", required=True, metavar="EMAIL")
    create.add_argument("--line", action="append", required=True, metavar="SKU:QTY[:PRICE]")
    create.add_argument("--channel", default="phone", choices=("phone", "email"))
    create.add_argument(
        "--ship-to-default",
        action="store_true",
        help=_("ship to the customer's default address (refused if there is none)"),
    )
    create.add_argument("--carrier", default="", metavar="CODE", help=_("the shipping method"))
    create.add_argument("--shipping", default="", metavar="PRICE", help=_("a shipping cost line"))
    create.add_argument("--terms", default="prepaid", help=_("prepaid, on_delivery or on_account"))
    create.add_argument("--deliver-by", default="", metavar="YYYY-MM-DD")
    create.add_argument("--note", default="")
    create.add_argument("--reason", default="", help=_("why a price differs from the catalogue"))
    create.add_argument("--advance", default="", metavar="PRICE", help=_("paid now, against it"))
    create.add_argument("--advance-by", default="card", choices=("card", "bank_transfer"))
    create.add_argument(
        "--advance-ref", default="", metavar="REF", help=_("card or bank reference")
    )
    create.add_argument("--json", action="store_true", help=_("print the order as JSON"))
    create.set_defaults(handler=refusing("order create", cmd_create))

    show = actions.add_parser("show", parents=[shared], help=_("an order, its lines and timeline"))
    show.add_argument("number")
    show.add_argument("--json", action="store_true", help=_("stable JSON (see `order --help`)"))
    show.set_defaults(handler=refusing("order show", cmd_show))

    for step in STEPS:
        parser = actions.add_parser(step, parents=[shared], help=f"{step} an order")
        parser.add_argument("number")
        parser.add_argument("--reason", default="", help=_("why (hold and cancel need one)"))
        parser.set_defaults(handler=refusing(f"order {step}", cmd_step))

    ship = actions.add_parser(
        "ship", parents=[shared], help=_("pick, pack and ship without scanning (admins only)")
    )
    ship.add_argument("number")
    ship.add_argument("--carrier", required=True, metavar="CODE")
    ship.add_argument("--tracking", default="", metavar="T")
    ship.add_argument("--weight", default="", metavar="KG", help=_("else the products' weights"))
    ship.set_defaults(handler=refusing("order ship", cmd_ship))

    deliver = actions.add_parser("deliver", parents=[shared], help=_("the parcel arrived"))
    deliver.add_argument("number")
    deliver.set_defaults(handler=refusing("order deliver", cmd_deliver))


def _order_id(session: Session, number: str) -> int:
    from app.services.sales import order_detail

    found = order_detail.find_order_id(session, number)
    if found is None:
        raise NotFound(_("There is no order {value}.").format(value=number.strip()))
    return found


def _parse_line(session: Session, text: str) -> Any:
    from app.core.money import parse_money
    from app.core.settings import get_setting
    from app.services.sales.entry import EntryLine

    parts = text.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise ValidationError(
            _("--line {text}: write SKU:QUANTITY or SKU:QUANTITY:PRICE.").format(text=text)
        )
    sku, quantity_text = parts[0].strip(), parts[1].strip()
    if not (quantity_text.isascii() and quantity_text.lstrip("-").isdigit()):
        raise ValidationError(
            _("--line {text}: the quantity '{quantity_text}' is not a number.").format(
                text=text, quantity_text=quantity_text
            )
        )
    price = None
    if len(parts) == 3:
        price = parse_money(parts[2], str(get_setting(session, "currency")))
    return EntryLine(sku, int(quantity_text), price)


def _deliver_by(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            _("--deliver-by {text}: write the day as YYYY-MM-DD.").format(text=text)
        ) from None


def cmd_create(args: argparse.Namespace, url: str) -> int:
    from app.core.money import parse_money
    from app.core.settings import get_setting
    from app.services.sales import entry
    from app.services.sales.customers import default_address

    database = open_database(url, create=False)
    with database.write() as session:
        actor = _actor(session, args.user)
        customer = entry.find_customer(session, args.customer)
        if args.ship_to_default and default_address(session, customer.id) is None:
            raise ValidationError(
                _("{name} has no shipping address on file.").format(name=customer.name)
            )
        currency = str(get_setting(session, "currency"))
        shipping = parse_money(args.shipping, currency) if args.shipping else 0
        advance = parse_money(args.advance, currency) if args.advance else 0
        data = entry.EntryInput(
            lines=tuple(_parse_line(session, line) for line in args.line),
            customer_id=customer.id,
            channel=args.channel,
            carrier_code=args.carrier,
            shipping_cost=shipping,
            note=args.note,
            requested_delivery=_deliver_by(args.deliver_by),
            payment_terms=args.terms,
            override_reason=args.reason,
            advance=advance,
            advance_method=args.advance_by,
            advance_reference=args.advance_ref,
        )
        ref = entry.create_entry_order(session, actor, data)
    with database.read() as session:
        _print_order(session, ref.id, args.json, created=True)
    return 0


def cmd_show(args: argparse.Namespace, url: str) -> int:
    from app.services.sales import order_detail

    database = open_database(url, create=False)
    with database.write() as session:  # an order from before tracking links gets one now
        actor = _actor(session, args.user)

        order_id = _order_id(session, args.number)
        order_detail.get_order(session, order_id, actor)  # checks orders.view
        _print_order(session, order_id, args.json)
    return 0


def cmd_step(args: argparse.Namespace, url: str) -> int:
    from app.services.sales import order_actions, order_detail, orders

    database = open_database(url, create=False)
    with database.write() as session:
        actor = _actor(session, args.user)
        order_id = _order_id(session, args.number)
        if args.action in ("hold", "cancel"):
            getattr(order_actions, args.action)(session, actor, order_id, args.reason)
        else:
            getattr(order_actions, args.action)(session, actor, order_id)
        status = order_detail.get_order(session, order_id).status
    print(f"{args.number.strip().upper()}: {orders.status_label(status).lower()}")
    return 0


def _grams(text: str) -> int | None:
    if not text:
        return None
    try:
        kilos = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            _("--weight {text}: write the weight in kg, like 1.5.").format(text=text)
        ) from None
    if not kilos.is_finite() or kilos <= 0 or kilos > MAX_WEIGHT_KG:
        raise ValidationError(
            _("--weight {text}: a parcel weighs more than 0 and up to 1000 kg.").format(text=text)
        )
    return max(1, int(kilos * 1000))


def cmd_ship(args: argparse.Namespace, url: str) -> int:
    from app.services.fulfilment import express

    weight = _grams(args.weight)
    database = open_database(url, create=False)
    with database.write() as session:
        actor = _actor(session, args.user)
        order_id = _order_id(session, args.number)
        result = express.ship_unverified(
            session, actor, order_id, args.carrier, args.tracking.strip(), weight
        )
    print(
        _("{value}: {status}, tracking {value2}").format(
            value=args.number.strip().upper(),
            status=result.status,
            value2=", ".join(result.tracking),
        )
    )
    return 0


def cmd_deliver(args: argparse.Namespace, url: str) -> int:
    from app.services.fulfilment import express

    database = open_database(url, create=False)
    with database.write() as session:
        actor = _actor(session, args.user)
        express.deliver(session, actor, _order_id(session, args.number))
    print(_("{value}: delivered").format(value=args.number.strip().upper()))
    return 0


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


def order_json(session: Session, order_id: int) -> dict[str, Any]:
    """The stable JSON of `order show --json` (field names documented in the module)."""
    from app.services.channels import tracking
    from app.services.fulfilment import shipping
    from app.services.sales import order_detail

    detail = order_detail.get_order(session, order_id)
    return {
        "number": detail.number,
        "status": detail.status,
        "channel": detail.channel,
        "customer": {"name": detail.customer_name, "email": detail.email},
        "lines": [
            {
                "sku": ln.sku,
                "name": ln.name,
                "quantity": ln.quantity,
                "unit_price": ln.unit_price,
                "line_total": ln.total,
            }
            for ln in detail.lines
        ],
        "subtotal": detail.subtotal,
        "tax_total": detail.tax_total,
        "total": detail.total,
        "currency": detail.currency,
        "shipments": [
            {"carrier": s.carrier, "tracking": list(s.tracking), "status": s.status}
            for s in shipping.shipments_of(session, order_id)
        ],
        "events": [{"at": _iso(e.at), "kind": e.kind, "message": e.message} for e in detail.events],
        "tracking_url": tracking.tracking_url_of(session, order_id),
    }


def _print_order(session: Session, order_id: int, as_json: bool, created: bool = False) -> None:
    from app.core.money import format_money
    from app.core.settings import get_setting
    from app.services.sales import entry, order_detail, orders

    data = order_json(session, order_id)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    locale = str(get_setting(session, "locale"))

    def money(minor: int) -> str:
        return format_money(minor, data["currency"], locale)

    if created:
        print(
            _("{data} created ({data2}), total {value}").format(
                data=data["number"], data2=data["channel"], value=money(data["total"])
            )
        )
        return
    customer = data["customer"]
    print(f"{data['number']}  {orders.status_label(data['status'])}  {data['channel']}")
    print(
        _("customer  {customer} <{customer2}>").format(
            customer=customer["name"], customer2=customer["email"]
        )
    )
    for line in data["lines"]:
        print(
            _("  {line:>4} x {line2:<16} {value:<36} {value2:>12}").format(
                line=line["quantity"],
                line2=line["sku"],
                value=line["name"][:36],
                value2=money(line["line_total"]),
            )
        )
    print(
        _("total     {value} (tax {value2})").format(
            value=money(data["total"]), value2=money(data["tax_total"])
        )
    )
    info = entry.entry_info(session, order_id)
    terms = info.payment_terms.replace("_", " ") or "at the counter"
    print(
        _("payment   {terms}; paid {value}, due {value2}").format(
            terms=terms, value=money(info.paid), value2=money(info.due)
        )
    )
    if info.requested_delivery is not None:
        print(
            _("delivery  requested for {value}").format(value=info.requested_delivery.isoformat())
        )
    for shipment in data["shipments"]:
        numbers = ", ".join(shipment["tracking"])
        print(
            _("shipment  {shipment} {numbers} {shipment2}").format(
                shipment=shipment["carrier"], numbers=numbers, shipment2=shipment["status"]
            )
        )
    for event, row in zip(
        data["events"], order_detail.get_order(session, order_id).events, strict=True
    ):
        print(f"  {event['at'][:19]}  {event['kind']:<14} {row.text}")  # in the user's language
