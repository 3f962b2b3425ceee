"""`kestrel printer-emulator`, `print-test` and `print`: a printer to test against, a test
page, and an order's document sent to a printer named on the command line."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.common import open_database
from app.core.errors import KestrelError
from app.core.i18n import _
from app.core.sentence import Term, said

if TYPE_CHECKING:
    from app.services.printing.printers import PrinterRow

DOCUMENTS = (
    "receipt",
    "invoice",
    "packing-slip",
    "delivery-note",
    "pick-list",
    "shipping-label",
    "product-labels",
)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    emulator = sub.add_parser(
        "printer-emulator",
        parents=[common],
        help=_("a TCP printer on loopback that keeps each job"),
    )
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=_port, default=9100, help=_("0 to 65535 (0: any free)"))
    emulator.add_argument("--out", default="printed", help=_("folder for the jobs received"))
    emulator.add_argument("--profile", default="default", help=_("python-escpos printer profile"))
    for fault in ("refuse", "stall", "reset"):
        emulator.add_argument(
            f"--{fault}", type=float, default=0.0, metavar="P", help=f"chance to {fault} a job"
        )
    emulator.add_argument("--seed", type=int, default=None)
    emulator.add_argument("--paper-out", action="store_true", help=_("answer status: paper out"))
    emulator.set_defaults(handler=cmd_printer_emulator)

    test = sub.add_parser("print-test", parents=[common], help=_("print a test page"))
    _printer_options(test)
    test.add_argument("--kind", choices=("receipt", "label", "document"), default="receipt")
    test.set_defaults(handler=cmd_print_test)

    doc = sub.add_parser("print", parents=[common], help=_("print an order's document"))
    doc.add_argument("order_number")
    doc.add_argument("--doc", required=True, choices=DOCUMENTS)
    _printer_options(doc)
    doc.set_defaults(handler=cmd_print)


def _port(text: str) -> int:
    """A TCP port, refused by argparse in words (not a traceback from bind)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a TCP port: use 0 to 65535")
    return port


def _printer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--printer", required=True, metavar="URI", help=_("e.g. tcp://host:9100"))
    parser.add_argument("--language", choices=("escpos", "zpl", "pdf"), default=None)
    parser.add_argument("--profile", default="default")
    parser.add_argument("--paper", type=int, default=80, help=_("receipt paper width, mm"))
    parser.add_argument("--dpi", type=int, default=203, help=_("label printer resolution"))


def cmd_printer_emulator(args: argparse.Namespace, _url: str) -> int:
    import time
    from pathlib import Path

    from app.admin.emulator import Faults, PrinterEmulator

    out = Path(args.out).resolve()
    faults = Faults(refuse=args.refuse, stall=args.stall, reset=args.reset)
    try:
        printer = PrinterEmulator(
            args.host, args.port, out, faults, args.seed, args.profile, args.paper_out
        )
    except (OSError, OverflowError) as exc:
        raise KestrelError(
            _("Cannot listen on {host}:{port} ({exc}): choose another --port or --host.").format(
                host=args.host, port=args.port, exc=getattr(exc, "strerror", None) or exc
            )
        ) from exc
    print(
        _("printer emulator on {uri}, keeping jobs in {out} (Ctrl+C stops)").format(
            uri=printer.uri, out=out
        ),
        flush=True,
    )
    seen = 0
    printer.start()
    try:
        while True:
            time.sleep(0.2)
            while seen < len(printer.jobs):
                seen += 1
                reading = printer.reading(printer.jobs[seen - 1]).strip().splitlines()
                print(
                    _("job {seen}: {count} bytes, {reading}").format(
                        seen=seen, count=len(printer.jobs[seen - 1]), reading=reading[:1]
                    ),
                    flush=True,
                )
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0


def _adhoc_printer(args: argparse.Namespace, role: str) -> PrinterRow:
    from app.printing.transports import parse_uri
    from app.services.printing.printers import LANGUAGES, PrinterRow

    parse_uri(args.printer)  # a malformed address is refused before anything is rendered
    language = args.language or LANGUAGES[role][0]
    return PrinterRow(
        0, args.printer, args.printer, role, language, args.profile, args.paper, args.dpi, True
    )


def _send(printer: PrinterRow, payload: bytes, language: str, name: str) -> str:
    from app.printing.transports import parse_uri, send

    delivery = send(parse_uri(printer.uri), payload, language, name)
    return delivery.where + (f" (printer: {delivery.status})" if delivery.status else "")


def cmd_print_test(args: argparse.Namespace, _url: str) -> int:
    from app.printing.documents import Company
    from app.services.printing.documents import render_test_page

    printer = _adhoc_printer(args, args.kind)
    rendered = render_test_page(printer, Company("Kestrel"))
    where = _send(printer, rendered.payload, rendered.language, "test-page")
    print(
        _("test page ({count} bytes) sent to {where}").format(
            count=len(rendered.payload), where=where
        )
    )
    return 0


def cmd_print(args: argparse.Namespace, url: str) -> int:
    from app.core import auth
    from app.models import SalesOrder
    from app.services.printing.documents import render_for
    from app.services.printing.queue import ORDER_DOCUMENTS
    from app.services.sales import order_detail, orders

    database = open_database(url, create=False)
    printer = _adhoc_printer(args, ORDER_DOCUMENTS[args.doc])
    with database.read() as session:
        order_id = order_detail.find_order_id(session, args.order_number)
        if order_id is None:
            raise KestrelError(
                _("There is no order {order_number}.").format(order_number=args.order_number)
            )
        rendered = render_for(session, printer, args.doc, order_id)
    where = _send(printer, rendered.payload, rendered.language, f"{args.doc}-{args.order_number}")
    with database.write() as session:
        order = session.get(SalesOrder, order_id)
        assert order is not None
        orders.record_event(  # as before: on the timeline, not in the audit log
            session,
            order,
            auth.SYSTEM,
            "printed",
            said(
                "{document} printed to {printer}",
                document=Term(args.doc.replace("-", " ").capitalize()),
                printer=args.printer,
            ),
            audited=False,
        )
    print(
        _("{doc} of {order_number} ({count} bytes) sent to {where}").format(
            doc=args.doc, order_number=args.order_number, count=len(rendered.payload), where=where
        )
    )
    return 0
