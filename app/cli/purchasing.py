"""`kestrel po create|show|send|cancel|receive|close|list|put-away`: purchase orders for a
buyer's script and goods-in without a screen (services/purchasing/ holds the rules).

`kestrel po show PO --json` prints {"number", "status", "supplier", "warehouse",
"currency", "lines": [{"sku", "supplier_sku", "ordered", "received", "unit_cost"}]}
(unit_cost in minor units; status is draft, sent, partly_received, received or
cancelled). `po create --json` prints {"number"}; `po receive --json` prints {"number",
"status", "lines": [{"sku", "added", "received", "ordered", "over_receipt", "lot",
"location"}]}; `po list --json` prints [{"number", "status", "supplier", "warehouse",
"ordered", "received"}]. Lines are SKU:QTY[:COST] to order (COST like 12.50, in the
supplier's currency) and SKU:QTY[:LOT[:EXPIRY]] to receive (EXPIRY as YYYY-MM-DD).
A refusal exits 1 with its words on stderr; nothing is written.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import acting_user, open_database, refusing
from app.core.errors import ValidationError
from app.core.i18n import _


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    shared = argparse.ArgumentParser(add_help=False, parents=[common])
    shared.add_argument("--user", default="", help=_("act as this user (their role), not as admin"))
    shared.add_argument("--json", action="store_true", help=_("stable JSON (see README)"))
    po = sub.add_parser("po", help=_("purchase orders: create, send, receive, close"))
    verbs = po.add_subparsers(dest="po_command", metavar="ACTION", required=True)

    create = verbs.add_parser("create", parents=[shared], help=_("draft a purchase order"))
    create.add_argument("--supplier", required=True, metavar="CODE")
    create.add_argument("--warehouse", required=True, metavar="CODE")
    create.add_argument("--line", action="append", required=True, metavar="SKU:QTY[:COST]")
    create.add_argument("--note", default="")
    create.add_argument("--send", action="store_true", help=_("send it at once"))
    create.add_argument("--pdf", metavar="FILE", help=_("with --send: write the PDF here"))
    create.set_defaults(handler=refusing("po create", cmd_create))

    show = verbs.add_parser("show", parents=[shared], help=_("a purchase order and its lines"))
    show.add_argument("number", metavar="PO-NUMBER")
    show.set_defaults(handler=refusing("po show", cmd_show))

    send = verbs.add_parser("send", parents=[shared], help=_("draft -> sent, with its PDF"))
    send.add_argument("number", metavar="PO-NUMBER")
    send.add_argument("--pdf", metavar="FILE", help=_("write the PDF for the supplier here"))
    send.add_argument("--print", action="store_true", help=_("queue it on the office printer"))
    send.set_defaults(handler=refusing("po send", cmd_send))

    mail = verbs.add_parser("email", parents=[shared], help=_("e-mail the PDF to the supplier"))
    mail.add_argument("number", metavar="PO-NUMBER")
    mail.add_argument("--to", default="", metavar="ADDRESS", help=_("else the supplier's e-mail"))
    mail.set_defaults(handler=refusing("po email", cmd_email))

    cancel = verbs.add_parser("cancel", parents=[shared], help=_("call off a draft or sent PO"))
    cancel.add_argument("number", metavar="PO-NUMBER")
    cancel.add_argument("--reason", default="")
    cancel.set_defaults(handler=refusing("po cancel", cmd_cancel))

    close = verbs.add_parser("close", parents=[shared], help=_("close a partly received PO short"))
    close.add_argument("number", metavar="PO-NUMBER")
    close.set_defaults(handler=refusing("po close", cmd_close))

    receive = verbs.add_parser("receive", parents=[shared], help=_("book what arrived"))
    receive.add_argument("number", metavar="PO-NUMBER")
    receive.add_argument("--line", action="append", required=True, metavar="SKU:QTY[:LOT[:EXPIRY]]")
    receive.add_argument("--bin", default="", metavar="CODE", help=_("straight into this bin"))
    receive.add_argument("--labels", action="store_true", help=_("queue a shelf label per unit"))
    receive.set_defaults(handler=refusing("po receive", cmd_receive))

    listing = verbs.add_parser("list", parents=[shared], help=_("purchase orders, newest first"))
    listing.add_argument("--status", default="")
    listing.set_defaults(handler=refusing("po list", cmd_list))

    away = verbs.add_parser("put-away", parents=[shared], help=_("receiving -> a bin"))
    away.add_argument("--warehouse", required=True, metavar="CODE")
    away.add_argument("--line", action="append", required=True, metavar="SKU:QTY[:LOT]")
    away.add_argument("--bin", default="", metavar="CODE", help=_("else the suggested bin"))
    away.set_defaults(handler=refusing("po put-away", cmd_put_away))


def _split(text: str, shape: str, most: int) -> list[str]:
    parts = text.split(":")
    if not 2 <= len(parts) <= most or not parts[0].strip():
        raise ValidationError(
            _("Line {text!r} is not {shape}.").format(text=text, shape=shape), "line"
        )
    try:
        quantity = int(parts[1])
    except ValueError:
        raise ValidationError(
            _("Line {text!r}: {parts!r} is not a whole quantity.").format(text=text, parts=parts[1])
        ) from None
    return [parts[0].strip(), str(quantity), *parts[2:]]


def _order_lines(texts: list[str], currency: str) -> list[Any]:
    from app.core.money import parse_money
    from app.services.purchasing.orders import LineInput

    lines = []
    for text in texts:
        sku, qty, *rest = _split(text, "SKU:QTY[:COST]", 3)
        cost = parse_money(rest[0], currency) if rest and rest[0].strip() else None
        lines.append(LineInput(sku, int(qty), cost))
    return lines


def _receipt_lines(texts: list[str]) -> list[Any]:
    from app.services.purchasing.receiving import ReceiptInput

    lines = []
    for text in texts:
        sku, qty, *rest = _split(text, "SKU:QTY[:LOT[:EXPIRY]]", 4)
        expiry = None
        if len(rest) == 2 and rest[1].strip():
            try:
                expiry = date.fromisoformat(rest[1].strip())
            except ValueError:
                raise ValidationError(
                    _("Line {text!r}: the expiry {rest!r} is not a date like 2027-03-31.").format(
                        text=text, rest=rest[1]
                    )
                ) from None
        lines.append(ReceiptInput(sku, int(qty), rest[0].strip() if rest else "", expiry))
    return lines


def _write_pdf(path: str | None, payload: bytes) -> None:
    if path:
        Path(path).write_bytes(payload)


def cmd_create(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import order_status, orders
    from app.services.purchasing.suppliers import supplier_by_code

    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)
        currency = supplier_by_code(session, args.supplier).currency or "EUR"
        lines = _order_lines(args.line, currency)
        number = orders.create_order(
            session, actor, args.supplier, args.warehouse, lines, args.note
        )
        if args.send:
            _write_pdf(args.pdf, order_status.send(session, actor, number).pdf)
    if args.json:
        print(json.dumps({"number": number}))
    else:
        print(f"{number} {'sent' if args.send else 'drafted'}.")
    return 0


def cmd_show(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import orders

    with open_database(url, create=False).read() as session:
        po = orders.show(session, acting_user(session, args.user), args.number)
    if args.json:
        print(json.dumps(orders.as_json(po), indent=2))
        return 0
    print(f"{po.number}  {po.status}  {po.supplier} -> {po.warehouse}  ({po.currency})")
    for ln in po.lines:
        code = f" [{ln.supplier_sku}]" if ln.supplier_sku else ""
        over = (
            f" (over-receipt: {ln.received - ln.ordered} more)" if ln.received > ln.ordered else ""
        )
        print(
            _("{sku}{code}: {received} of {ordered} received{over}, cost {unit_cost}").format(
                sku=ln.sku,
                code=code,
                received=ln.received,
                ordered=ln.ordered,
                over=over,
                unit_cost=ln.unit_cost,
            )
        )
    return 0


def cmd_send(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import order_status

    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)
        sent = order_status.send(session, actor, args.number, print_copy=args.print)
        _write_pdf(args.pdf, sent.pdf)
    if args.json:
        print(json.dumps({"number": sent.number, "status": "sent", "job_id": sent.job_id}))
    else:
        where = f"; PDF written to {args.pdf}" if args.pdf else ""
        print(_("{number} sent{where}.").format(number=sent.number, where=where))
    return 0


def cmd_email(args: argparse.Namespace, url: str) -> int:
    """Queued through the outbox (a draft is sent first); the sender delivers it."""
    from app.services.purchasing import po_email

    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)
        queued = po_email.email_to_supplier(session, actor, args.number, args.to)
    if args.json:
        shown = {"number": queued.number, "to": queued.to, "message_id": queued.message_id}
        print(json.dumps({**shown, "outbox_id": queued.outbox_id}))
    else:
        print(
            _("{number} queued to {to} (outbox e-mail {outbox_id}).").format(
                number=queued.number, to=queued.to, outbox_id=queued.outbox_id
            )
        )
    return 0


def cmd_cancel(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import order_status

    with open_database(url, create=False).write() as session:
        order_status.cancel(session, acting_user(session, args.user), args.number, args.reason)
    print(json.dumps({"number": args.number, "status": "cancelled"}) if args.json else "Cancelled.")
    return 0


def cmd_close(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import order_status

    with open_database(url, create=False).write() as session:
        dropped = order_status.close_short(session, acting_user(session, args.user), args.number)
    if args.json:
        print(json.dumps({"number": args.number, "status": "received", "dropped": dropped}))
    else:
        print(_("Closed short: {dropped} unit(s) will not come.").format(dropped=dropped))
    return 0


def cmd_receive(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import receiving

    lines = _receipt_lines(args.line)
    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)
        done = receiving.receive(session, actor, args.number, lines, args.bin, args.labels)
    if args.json:
        print(
            json.dumps(
                {
                    "number": done[-1].number,
                    "status": done[-1].status,
                    "lines": [
                        {
                            "sku": d.sku,
                            "added": d.added,
                            "received": d.received,
                            "ordered": d.ordered,
                            "over_receipt": d.over_receipt,
                            "lot": d.lot,
                            "location": d.location,
                        }
                        for d in done
                    ],
                },
                indent=2,
            )
        )
        return 0
    for d in done:
        over = (
            f" (over-receipt: {d.received - d.ordered} more than ordered)" if d.over_receipt else ""
        )
        lot = f" lot {d.lot}" if d.lot else ""
        print(
            _("{sku}: +{added}{lot} into {location}, {received} of {ordered}{over}").format(
                sku=d.sku,
                added=d.added,
                lot=lot,
                location=d.location,
                received=d.received,
                ordered=d.ordered,
                over=over,
            )
        )
    print(
        _("{number} is {value}.").format(
            number=done[-1].number, value=done[-1].status.replace("_", " ")
        )
    )
    return 0


def cmd_list(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import orders

    with open_database(url, create=False).read() as session:
        rows = orders.list_orders(session, acting_user(session, args.user), args.status)
    if args.json:
        keys = ("number", "status", "supplier", "warehouse", "ordered", "received")
        print(json.dumps([{k: getattr(r, k) for k in keys} for r in rows], indent=2))
        return 0
    for r in rows:
        print(f"{r.number}  {r.status:<16} {r.supplier} -> {r.warehouse}  {r.received}/{r.ordered}")
    if not rows:
        print(_("No purchase orders."))
    return 0


def cmd_put_away(args: argparse.Namespace, url: str) -> int:
    from app.services.purchasing import putaway

    moved = []
    with open_database(url, create=False).write() as session:
        actor = acting_user(session, args.user)
        for text in args.line:
            sku, qty, *rest = _split(text, "SKU:QTY[:LOT]", 3)
            lot = rest[0].strip() if rest else ""
            moved.append(
                putaway.put_away(session, actor, args.warehouse, sku, int(qty), args.bin, lot)
            )
    if args.json:
        print(json.dumps([{"sku": m.sku, "quantity": m.quantity, "bin": m.target} for m in moved]))
        return 0
    for m in moved:
        print(
            _("{sku}: {quantity} from {source} to {target}").format(
                sku=m.sku, quantity=m.quantity, source=m.source, target=m.target
            )
        )
    return 0
