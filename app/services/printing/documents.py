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
from app.core.money import format_money, line_amounts
from app.core.settings import all_settings, get_setting
from app.models import (
    Barcode,
    GiftCard,
    Location,
    OrderLine,
    Party,
    Payment,
    Product,
    SalesOrder,
    StockMove,
    utcnow,
)
from app.printing import documents as layouts
from app.printing import pdf
from app.printing.address import PostalAddress, address_lines
from app.printing.copies import mark_copy
from app.printing.escpos import EscposTarget, render_receipt
from app.printing.layout import Label
from app.printing.raster import render_label_escpos
from app.printing.zpl import render_label
from app.services import shop
from app.services.printing import queue as printing
from app.services.printing.queue import ORDER_DOCUMENTS, PrinterRow
from app.services.sales.gift_cards import GIFT_CARD_SKU
from app.services.sales.till import ZReport


@dataclass(frozen=True)
class Rendered:
    payload: bytes
    language: str


def company(session: Session) -> layouts.Company:
    shared = all_settings(session)
    return layouts.Company(
        name=str(shared["company_name"]),
        address=str(shared["company_address"]),
        footer=str(shared["receipt_footer"]),
        currency=str(shared["currency"]),
        locale=str(shared["locale"]),
        header=str(shared["receipt_header"]),
        tax_id=str(shared["company_tax_id"]),
        logo_png=shop.receipt_logo(session) or b"",
    )


def _order(session: Session, order_id: int) -> SalesOrder:
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(f"Order {order_id} does not exist.")
    return order


def receipt_data(session: Session, order_id: int, cashier: str = "") -> layouts.ReceiptData:
    order = _order(session, order_id)
    payments = session.execute(
        select(Payment.method, Payment.amount, Payment.change)
        .where(Payment.order_id == order_id, Payment.kind == "payment")
        .order_by(Payment.id)
    ).all()
    walk_in = session.scalar(select(Party.is_walk_in).where(Party.id == order.customer_id))
    including = bool(get_setting(session, "prices_include_tax"))

    def discount(ln: OrderLine) -> int:
        """The discount in the line's printed terms (with tax where the total has it)."""
        if not ln.discount:
            return 0
        whole = line_amounts(ln.quantity, ln.unit_price, 0, ln.tax_rate_bp, including)
        return whole.total - ln.total

    return layouts.ReceiptData(
        number=order.number,
        at=order.created_at,
        cashier=cashier,
        lines=tuple(
            layouts.ReceiptLine(
                ln.quantity,
                ln.name,
                ln.unit_price,
                ln.total,
                ln.tax_rate_bp,
                ln.tax,
                discount(ln),
            )
            for ln in order.lines
        ),
        subtotal=order.subtotal,
        tax_total=order.tax_total,
        total=order.total,
        payments=tuple((p.method, p.amount + (p.change or 0)) for p in payments),
        change=sum(p.change or 0 for p in payments),
        customer="" if walk_in else order.customer_name,
        gift_cards=tuple(
            session.scalars(
                select(GiftCard.code).where(GiftCard.order_id == order_id).order_by(GiftCard.id)
            )
        ),
    )


def ship_to_lines(order: SalesOrder) -> tuple[str, ...]:
    """The order's ship-to block as the destination country writes addresses."""
    if not (order.ship_line1 or order.ship_city):
        return ()
    return address_lines(
        PostalAddress(
            order.ship_name or order.customer_name,
            order.ship_line1,
            order.ship_line2,
            order.ship_city,
            order.ship_postcode,
            order.ship_region,
            order.ship_country,
        )
    )


def doc_order(session: Session, order_id: int) -> pdf.DocOrder:
    order = _order(session, order_id)
    ship_to = ship_to_lines(order)
    return pdf.DocOrder(
        number=order.number,
        date=order.created_at,
        customer=order.customer_name,
        ship_to=ship_to,
        email=order.email,
        lines=tuple(
            pdf.DocLine(
                ln.sku, ln.name, ln.quantity, ln.unit_price, ln.total, ln.tax_rate_bp, ln.tax
            )
            for ln in order.lines
        ),
        subtotal=order.subtotal,
        tax_total=order.tax_total,
        total=order.total,
        currency=order.currency,
    )


def pick_lines(session: Session, order_ids: list[int]) -> list[pdf.PickLine]:
    """Where each unit to pick lies: the bins of the orders' reservations."""
    rows = session.execute(
        select(
            Location.code,
            Location.pick_sequence,
            OrderLine.sku,
            OrderLine.name,
            StockMove.quantity,
            SalesOrder.number,
        )
        .join(
            OrderLine,
            (StockMove.origin_type == "order_line") & (StockMove.origin_id == OrderLine.id),
        )
        .join(SalesOrder, SalesOrder.id == OrderLine.order_id)
        .join(Location, Location.id == StockMove.from_location_id)
        .where(SalesOrder.id.in_(order_ids), StockMove.state == "reserved")
    ).all()
    lines = [pdf.PickLine(*row) for row in rows]
    if not lines:
        raise ValidationError("Nothing is reserved for these orders yet: confirm them first.")
    return lines


def shipping_label_data(
    session: Session,
    order_id: int,
    tracking: str = "",
    carrier: str = "",
    package: int = 1,
    packages: int = 1,
    weight_g: int | None = None,
) -> layouts.ShippingLabelData:
    order = _order(session, order_id)
    if not (order.ship_line1 and order.ship_city):
        raise ValidationError(f"Order {order.number} has no ship-to address for a label.")
    shop = company(session)
    weight = weight_g
    if weight is None:
        weight = sum(
            ln.quantity * (session.get_one(Product, ln.product_id).weight_g or 0)
            for ln in order.lines
        )
    return layouts.ShippingLabelData(
        sender=(shop.name, *[ln for ln in shop.address.splitlines() if ln.strip()]),
        recipient=ship_to_lines(order),
        order_number=order.number,
        tracking=tracking or order.number,
        carrier=carrier or "Carrier",
        package=package,
        packages=packages,
        weight_g=weight,
    )


def package_labels(session: Session, order_id: int) -> list[layouts.ShippingLabelData]:
    """One label per package of the order's latest shipment, each with its own tracking
    number; before shipping, one label for the whole order."""
    from app.models import Carrier, Package, Shipment

    latest = session.execute(
        select(Shipment.id, Carrier.name, Carrier.service)
        .outerjoin(Carrier, Carrier.id == Shipment.carrier_id)
        .where(Shipment.order_id == order_id)
        .order_by(Shipment.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return [shipping_label_data(session, order_id)]
    packages = session.execute(
        select(Package.number, Package.weight_g, Package.tracking_number)
        .where(Package.shipment_id == latest.id)
        .order_by(Package.number)
    ).all()
    carrier = f"{latest.name or ''} {latest.service or ''}".strip()
    return [
        shipping_label_data(
            session, order_id, p.tracking_number, carrier, n, len(packages), p.weight_g
        )
        for n, p in enumerate(packages, start=1)
    ]


def print_return_label(session: Session, actor: Actor, workstation: str, return_id: int) -> int:
    """A label for the customer's parcel back to the shop: addresses swapped, the RMA
    number as its barcode so goods-in opens the return with one scan."""
    from app.models import ReturnOrder

    require(actor, Permission.ORDERS_VIEW)
    rma = session.get(ReturnOrder, return_id)
    if rma is None:
        raise NotFound(f"Return {return_id} does not exist.")
    if not company(session).address.strip():
        raise ValidationError(
            "The shop's address is empty, so a return label would have nowhere to send the "
            "parcel: fill in the company address in Settings first."
        )
    outbound = shipping_label_data(session, rma.order_id, rma.number, "Return", 1, 1, 0)
    label = layouts.shipping_label(
        replace(outbound, sender=outbound.recipient, recipient=outbound.sender)
    )
    printer = printing.default_printer(session, workstation, "label")
    payload = (
        render_label(label, printer.dpi)
        if printer.language == "zpl"
        else render_label_escpos(label, printer.dpi, printer.profile)
    )
    return printing._enqueue(session, actor, printer.id, "return-label", payload, rma.order_id)


def print_pick_list(session: Session, actor: Actor, workstation: str, pick_list_id: int) -> int:
    """A wave's pick list as a PDF, in walking order, on the document printer."""
    from app.models import PickLine, PickList

    require(actor, Permission.ORDERS_VIEW)
    wave = session.get(PickList, pick_list_id)
    if wave is None:
        raise NotFound(f"Pick list {pick_list_id} does not exist.")
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
        raise ValidationError(f"{wave.number} has nothing left to pick.")
    paper = str(get_setting(session, "document_paper"))
    payload = pdf.pick_list([pdf.PickLine(*r) for r in rows], f"Pick list {wave.number}", paper)
    printer = printing.default_printer(session, workstation, "document")
    return printing._enqueue(session, actor, printer.id, "pick-list", payload)


def product_label_data(session: Session, product_id: int) -> layouts.ProductLabelData:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"Product {product_id} does not exist.")
    code = session.scalar(
        select(Barcode.code)
        .where(Barcode.product_id == product_id)
        .order_by(Barcode.pack_qty, Barcode.id)
    )
    shop = company(session)
    return layouts.ProductLabelData(
        product.name,
        product.sku,
        format_money(product.price, shop.currency, shop.locale),
        code or product.sku,
    )


def render_for(
    session: Session,
    printer: PrinterRow,
    doc: str,
    order_id: int,
    cashier: str = "",
    open_drawer: bool = False,
) -> Rendered:
    """The bytes of one order document in this printer's language."""
    shop = company(session)
    if doc == "receipt":
        layout = layouts.receipt(shop, receipt_data(session, order_id, cashier), open_drawer)
        return Rendered(
            render_receipt(layout, EscposTarget(printer.profile, printer.paper_width_mm)), "escpos"
        )
    paper = str(get_setting(session, "document_paper"))
    if doc in ("invoice", "packing-slip", "delivery-note"):
        document = pdf.order_document(doc, shop, doc_order(session, order_id), paper, shop.locale)
        return Rendered(document, "pdf")
    if doc == "pick-list":
        number = _order(session, order_id).number
        lines = pick_lines(session, [order_id])
        return Rendered(pdf.pick_list(lines, f"Pick list {number}", paper), "pdf")
    labels: list[Label]
    if doc == "shipping-label":
        labels = [layouts.shipping_label(d) for d in package_labels(session, order_id)]
    elif doc == "product-labels":
        order = _order(session, order_id)
        labels = [  # a gift card is not a shelf item: no €0.00 label for it
            replace(
                layouts.product_label(product_label_data(session, ln.product_id)),
                copies=ln.quantity,
            )
            for ln in order.lines
            if ln.sku != GIFT_CARD_SKU
        ]
        if not labels:
            raise ValidationError(f"{order.number} has no items that take a shelf label.")
    else:
        raise ValidationError(f"'{doc}' is not a document Kestrel prints for an order.")
    if printer.language == "zpl":
        return Rendered(b"".join(render_label(label, printer.dpi) for label in labels), "zpl")
    return Rendered(
        b"".join(render_label_escpos(label, printer.dpi, printer.profile) for label in labels),
        "escpos",
    )


def render_test_page(printer: PrinterRow, shop: layouts.Company) -> Rendered:
    """A page that shows whether accents, money signs, barcodes and QR codes come out right."""
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
        if printer.language == "zpl":
            return Rendered(render_label(label, printer.dpi), "zpl")
        return Rendered(render_label_escpos(label, printer.dpi, printer.profile), "escpos")
    return Rendered(pdf.pdf_test_page(shop, printer.name), "pdf")


def print_test_page(session: Session, actor: Actor, printer_id: int) -> int:
    require(actor, Permission.SETTINGS_MANAGE)
    printer = printing.get_printer(session, printer_id)
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
            f"'{doc}' is not a document Kestrel prints; choose one of {', '.join(ORDER_DOCUMENTS)}."
        )
    printer = (
        printing.get_printer(session, printer_id)
        if printer_id
        else printing.default_printer(session, workstation, ORDER_DOCUMENTS[doc])
    )
    if open_drawer:
        from app.core import audit

        audit.record(session, actor, "drawer.open", _order(session, order_id).number)
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
        raise ValidationError(f"The job's description is damaged ({exc}).") from exc
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
    require(actor, Permission.SALE_COMPLETE)
    order = _order(session, order_id)
    printer = printing.default_printer(session, actor.workstation, "receipt")
    data = layouts.RefundSlipData(
        order.number, utcnow(), actor.display_name, tuple(lines), amount, method
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
    printer = printing.default_printer(session, workstation, "receipt")
    payload = render_receipt(
        layouts.z_report(shop, data), EscposTarget(printer.profile, printer.paper_width_mm)
    )
    job = printing._enqueue(session, actor, printer.id, "z-report", payload)
    folder = paths.data_dir() / "z-reports"
    folder.mkdir(parents=True, exist_ok=True)
    title = f"Z report {report.till} #{report.session_id}"
    path = folder / f"z-{report.till}-{report.session_id}.pdf".replace(" ", "_")
    path.write_bytes(pdf.z_report_pdf(shop, layouts.z_report_rows(shop, data), title))
    return job, str(path)
