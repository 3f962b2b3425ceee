"""What goes on each document, read from the database as the renderers' plain data:
the company, receipts, order documents, pick lines, shipping and product labels.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound, ValidationError
from app.core.i18n import _, customer_locale
from app.core.money import format_money, line_amounts
from app.core.settings import get_setting
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
)
from app.printing import documents as layouts
from app.printing.address import PostalAddress, address_lines
from app.printing.doc_data import DocLine, DocOrder, PickLine
from app.services.shop import receipt_logo, shop_details


def company(session: Session) -> layouts.Company:
    """The shop as documents print it, read through the Shop tab's own reader."""
    shop = shop_details(session)
    return layouts.Company(
        name=shop.name,
        address=shop.address,
        footer=shop.receipt_footer,
        currency=shop.currency,
        locale=shop.locale,
        header=shop.receipt_header,
        tax_id=shop.tax_id,
        logo_png=receipt_logo(session) or b"",
        timezone=shop.timezone,
        prices=shop.prices,
    )


def document_locale(session: Session, order_id: int) -> str:
    """The locale an order's invoice and e-mails speak: the customer's language where it
    is known (in the shop's own region when they share its language: de -> de_AT for an
    Austrian shop), else the shop's locale."""
    shop_locale = shop_details(session).locale
    order = load_order(session, order_id)
    chosen = session.scalar(select(Party.language).where(Party.id == order.customer_id))
    return customer_locale(chosen or "", shop_locale)


def load_order(session: Session, order_id: int) -> SalesOrder:
    order = session.get(SalesOrder, order_id)
    if order is None:
        raise NotFound(_("Order {order_id} does not exist.").format(order_id=order_id))
    return order


def receipt_data(session: Session, order_id: int, cashier: str = "") -> layouts.ReceiptData:
    order = load_order(session, order_id)
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
        gross_stored=including,
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


def doc_order(session: Session, order_id: int) -> DocOrder:
    order = load_order(session, order_id)
    ship_to = ship_to_lines(order)
    return DocOrder(
        number=order.number,
        date=order.created_at,
        customer=order.customer_name,
        ship_to=ship_to,
        email=order.email,
        lines=tuple(
            DocLine(ln.sku, ln.name, ln.quantity, ln.unit_price, ln.total, ln.tax_rate_bp, ln.tax)
            for ln in order.lines
        ),
        subtotal=order.subtotal,
        tax_total=order.tax_total,
        total=order.total,
        currency=order.currency,
        gross_stored=bool(get_setting(session, "prices_include_tax")),
    )


def pick_lines(session: Session, order_ids: list[int]) -> list[PickLine]:
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
    lines = [PickLine(*row) for row in rows]
    if not lines:
        raise ValidationError(_("Nothing is reserved for these orders yet: confirm them first."))
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
    order = load_order(session, order_id)
    if not (order.ship_line1 and order.ship_city):
        raise ValidationError(
            _("Order {number} has no ship-to address for a label.").format(number=order.number)
        )
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


def product_label_data(session: Session, product_id: int) -> layouts.ProductLabelData:
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(_("Product {product_id} does not exist.").format(product_id=product_id))
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
