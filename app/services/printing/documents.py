"""What to print for an order, and to which printer: gathers the rows from the database,
builds the layout, renders it in the printer's language and queues the job.

One entry point (`print_document`) serves the order screen, the counter, the fulfilment
bench and `kestrel print`, so they all print the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _, language_of, translations
from app.core.settings import get_setting
from app.models import (
    Location,
    Product,
    SalesOrder,
    utcnow,
)
from app.printing import doc_data
from app.printing import documents as layouts
from app.printing.copies import mark_copy
from app.printing.layout import Label
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.printing.document_data import (
    company,
    doc_order,
    document_locale,
    load_order,
    package_labels,
    pick_lines,
    product_label_data,
    receipt_data,
    shipping_label_data,
)
from app.services.printing.label_render import label_payload
from app.services.printing.printers import PrinterRow
from app.services.printing.queue import ORDER_DOCUMENTS
from app.services.sales.gift_cards import GIFT_CARD_SKU
from app.services.sales.till import ZReport


@dataclass(frozen=True)
class Rendered:
    payload: bytes
    language: str


def print_return_label(session: Session, actor: Actor, workstation: str, return_id: int) -> int:
    """A label for the customer's parcel back to the shop: addresses swapped, the RMA
    number as its barcode so goods-in opens the return with one scan."""
    from app.models import ReturnOrder

    require(actor, Permission.ORDERS_VIEW)
    rma = session.get(ReturnOrder, return_id)
    if rma is None:
        raise NotFound(_("Return {return_id} does not exist.").format(return_id=return_id))
    if not company(session).address.strip():
        raise ValidationError(
            _(
                "The shop's address is empty, so a return label would have nowhere to "
                "send the parcel: fill in the company address in Settings first."
            )
        )
    outbound = shipping_label_data(session, rma.order_id, rma.number, "Return", 1, 1, 0)
    label = layouts.shipping_label(
        replace(outbound, sender=outbound.recipient, recipient=outbound.sender),
        company(session).locale,
    )
    printer = printers.default_printer(session, workstation, "label")
    payload = label_payload([label], printer)
    return printing._enqueue(session, actor, printer.id, "return-label", payload, rma.order_id)


def print_pick_list(session: Session, actor: Actor, workstation: str, pick_list_id: int) -> int:
    """A wave's pick list as a PDF, in walking order, on the document printer."""
    from app.models import PickLine, PickList
    from app.printing import pdf

    require(actor, Permission.ORDERS_VIEW)
    wave = session.get(PickList, pick_list_id)
    if wave is None:
        raise NotFound(
            _("Pick list {pick_list_id} does not exist.").format(pick_list_id=pick_list_id)
        )
    rows = session.execute(
        select(
            Location.code,
            Location.pick_sequence,
            Product.sku,
            Product.name,
            PickLine.quantity,
            SalesOrder.number,
        )
        .join(Location, Location.id == PickLine.location_id)
        .join(Product, Product.id == PickLine.product_id)
        .join(SalesOrder, SalesOrder.id == PickLine.order_id)
        .where(PickLine.pick_list_id == pick_list_id, PickLine.status == "open")
        .order_by(PickLine.sequence)
    ).all()
    if not rows:
        raise ValidationError(_("{number} has nothing left to pick.").format(number=wave.number))
    paper = str(get_setting(session, "document_paper"))
    locale = company(session).locale
    title = pick_list_title(locale, wave.number)
    payload = pdf.pick_list([doc_data.PickLine(*r) for r in rows], title, paper, locale)
    printer = printers.default_printer(session, workstation, "document")
    return printing._enqueue(session, actor, printer.id, "pick-list", payload)


def pick_list_title(locale: str, number: str) -> str:
    return translations(language_of(locale)).gettext("Pick list {number}").format(number=number)


def render_for(
    session: Session,
    printer: PrinterRow,
    doc: str,
    order_id: int,
    cashier: str = "",
    open_drawer: bool = False,
) -> Rendered:
    """The bytes of one order document in this printer's language."""
    from app.printing import pdf
    from app.printing.escpos import EscposTarget, render_receipt

    shop = company(session)
    if doc == "receipt":
        layout = layouts.receipt(shop, receipt_data(session, order_id, cashier), open_drawer)
        return Rendered(
            render_receipt(layout, EscposTarget(printer.profile, printer.paper_width_mm)), "escpos"
        )
    paper = str(get_setting(session, "document_paper"))
    if doc in ("invoice", "packing-slip", "delivery-note"):
        locale = document_locale(session, order_id) if doc == "invoice" else shop.locale
        document = pdf.order_document(doc, shop, doc_order(session, order_id), paper, locale)
        return Rendered(document, "pdf")
    if doc == "pick-list":
        title = pick_list_title(shop.locale, load_order(session, order_id).number)
        lines = pick_lines(session, [order_id])
        return Rendered(pdf.pick_list(lines, title, paper, shop.locale), "pdf")
    labels: list[Label]
    if doc == "shipping-label":
        labels = [layouts.shipping_label(d, shop.locale) for d in package_labels(session, order_id)]
    elif doc == "product-labels":
        order = load_order(session, order_id)
        labels = [  # a gift card is not a shelf item: no €0.00 label for it
            replace(
                layouts.product_label(product_label_data(session, ln.product_id)),
                copies=ln.quantity,
            )
            for ln in order.lines
            if ln.sku != GIFT_CARD_SKU
        ]
        if not labels:
            raise ValidationError(
                _("{number} has no items that take a shelf label.").format(number=order.number)
            )
    else:
        raise ValidationError(
            _("'{doc}' is not a document Kestrel prints for an order.").format(doc=doc)
        )
    return Rendered(
        label_payload(labels, printer), "zpl" if printer.language == "zpl" else "escpos"
    )


def render_test_page(printer: PrinterRow, shop: layouts.Company) -> Rendered:
    """A page that shows whether accents, money signs, barcodes and QR codes come out right."""
    from app.printing import pdf
    from app.printing.escpos import EscposTarget, render_receipt

    if printer.role == "receipt":
        page = layouts.printer_test_page(shop, printer.name)
        return Rendered(
            render_receipt(page, EscposTarget(printer.profile, printer.paper_width_mm)), "escpos"
        )
    if printer.role == "label":
        label = layouts.product_label(
            layouts.ProductLabelData(
                "Kestrel test label é ü ß €", "TEST-1", "€1.23", "4006381333931"
            )
        )
        return Rendered(
            label_payload([label], printer), "zpl" if printer.language == "zpl" else "escpos"
        )
    return Rendered(pdf.pdf_test_page(shop, printer.name), "pdf")


def print_test_page(session: Session, actor: Actor, printer_id: int) -> int:
    require(actor, Permission.SETTINGS_MANAGE)
    printer = printers.get_printer(session, printer_id)
    rendered = render_test_page(printer, company(session))
    return printing._enqueue(session, actor, printer.id, "test-page", rendered.payload)


def print_document(
    session: Session,
    actor: Actor,
    workstation: str,
    order_id: int,
    doc: str,
    printer_id: int | None = None,
    open_drawer: bool = False,
    deferred: bool = False,
) -> int:
    """Render an order document for the chosen (or default) printer and queue it.
    `deferred` leaves the drawing to the print worker (after the caller commits): a
    counter sale then commits without spending its time on receipt bytes."""
    require(actor, Permission.ORDERS_VIEW)
    if open_drawer:  # the drawer opens for a till operator only
        require(actor, Permission.TILL_OPERATE)
    if doc not in ORDER_DOCUMENTS:
        raise ValidationError(
            _("'{doc}' is not a document Kestrel prints; choose one of {value}.").format(
                doc=doc, value=", ".join(ORDER_DOCUMENTS)
            )
        )
    printer = (
        printers.get_printer(session, printer_id)
        if printer_id
        else printers.default_printer(session, workstation, ORDER_DOCUMENTS[doc])
    )
    if open_drawer:
        from app.core import audit

        audit.record(session, actor, "drawer.open", printing.order_row(session, order_id).number)
    if deferred:
        spec = json.dumps(
            {
                "doc": doc,
                "order_id": order_id,
                "cashier": actor.display_name,
                "open_drawer": open_drawer,
            }
        )
        return printing._enqueue(session, actor, printer.id, doc, b"", order_id, spec)
    rendered = render_for(session, printer, doc, order_id, actor.display_name, open_drawer)
    return printing._enqueue(session, actor, printer.id, doc, rendered.payload, order_id)


def render_spec(session: Session, printer: PrinterRow, spec: str) -> bytes:
    """Draw a deferred job (see print_document) for its printer."""
    try:
        data = json.loads(spec)
        doc, order_id = str(data["doc"]), int(data["order_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            _("The job's description is damaged ({exc}).").format(exc=exc)
        ) from exc
    cashier, drawer = str(data.get("cashier", "")), bool(data.get("open_drawer"))
    rendered = render_for(session, printer, doc, order_id, cashier, drawer)
    if data.get("copy"):  # a reprint: marked COPY, never a drawer kick
        return mark_copy(rendered.payload, rendered.language)
    return rendered.payload


def print_refund_slip(
    session: Session,
    actor: Actor,
    order_id: int,
    lines: list[tuple[int, str, int]],
    amount: int,
    method: str,
) -> int:
    """A refund at the counter gets its slip, through the print queue like a receipt; a
    cash refund opens the drawer, so it is the refunding cashier's (sale.complete)."""
    from app.printing.escpos import EscposTarget, render_receipt

    require(actor, Permission.SALE_COMPLETE)
    order = load_order(session, order_id)
    printer = printers.default_printer(session, actor.workstation, "receipt")
    rates = {ln.name: ln.tax_rate_bp for ln in order.lines}  # the slip's lines are named
    data = layouts.RefundSlipData(
        order.number,
        utcnow(),
        actor.display_name,
        tuple(lines),
        amount,
        method,
        tuple(rates.get(name, 0) for _qty, name, _back in lines),
    )
    drawer = method == "cash"
    slip = layouts.refund_slip(company(session), data, open_drawer=drawer)
    payload = render_receipt(slip, EscposTarget(printer.profile, printer.paper_width_mm))
    if drawer:
        from app.core import audit

        audit.record(session, actor, "drawer.open", f"refund {order.number}")
    return printing._enqueue(session, actor, printer.id, "refund-slip", payload, order_id)


def print_z_report(
    session: Session, actor: Actor, workstation: str, report: ZReport
) -> tuple[int, str]:
    """Print the Z report on the receipt printer and keep it as a PDF; returns the job id
    and where the PDF is. Closing the till is a till operator's job."""
    from app import paths
    from app.printing import pdf
    from app.printing.escpos import EscposTarget, render_receipt

    require(actor, Permission.TILL_OPERATE)

    shop = company(session)
    data = layouts.ZReportData(
        report.till,
        report.session_id,
        report.opened_at,
        report.closed_at,
        report.opening_float,
        tuple(sorted(report.sales_by_method.items())),
        tuple(sorted(report.refunds_by_method.items())),
        report.cash_in,
        report.cash_out,
        report.sales_count,
        report.expected_cash,
        report.counted_cash,
    )
    printer = printers.default_printer(session, workstation, "receipt")
    payload = render_receipt(
        layouts.z_report(shop, data), EscposTarget(printer.profile, printer.paper_width_mm)
    )
    job = printing._enqueue(session, actor, printer.id, "z-report", payload)
    folder = paths.data_dir() / "z-reports"
    folder.mkdir(parents=True, exist_ok=True)
    title = layouts.z_report_title(shop, report.till, report.session_id)
    path = folder / f"z-{report.till}-{report.session_id}.pdf".replace(" ", "_")
    path.write_bytes(pdf.z_report_pdf(shop, layouts.z_report_rows(shop, data), title))
    return job, str(path)
