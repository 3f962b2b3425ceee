"""Builders: frozen service rows -> layouts. Receipts, product labels, shipping labels and
test pages, the same for every printer; renderers decide the bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.core.dates import document_datetime
from app.core.i18n import N_, language_of, translations
from app.core.money import format_money, format_number, format_rate
from app.core.tax import (
    EXCLUSIVE,
    INCLUSIVE,
    TaxedLine,
    breakdown,
    net_of,
    shown_price,
    shown_totals,
)
from app.printing.layout import (
    Align,
    Barcode,
    Block,
    Feed,
    Label,
    LabelBarcode,
    LabelBox,
    LabelItem,
    LabelQR,
    LabelText,
    Logo,
    QRCode,
    Receipt,
    Row,
    Rule,
    Text,
)
from app.printing.tax_table import tax_table


@dataclass(frozen=True)
class Company:
    name: str
    address: str = ""
    footer: str = ""
    currency: str = "EUR"
    locale: str = "en_IE"
    header: str = ""  # receipts: under the address
    tax_id: str = ""
    logo_png: bytes = b""  # receipts: at most receipt width (services/shop.py makes it)
    timezone: str = "Europe/Dublin"  # dates and times print in the shop's zone
    prices: str = INCLUSIVE  # or EXCLUSIVE: how documents show prices (core/tax.py)


@dataclass(frozen=True)
class ReceiptLine:
    quantity: int
    name: str
    unit_price: int
    total: int  # after the discount
    tax_rate_bp: int
    tax: int
    discount: int = 0  # what the discount took off `total`, printed as a line of its own

    @property
    def taxed(self) -> TaxedLine:
        return TaxedLine(self.tax_rate_bp, self.total - self.tax, self.tax, self.total)


@dataclass(frozen=True)
class ReceiptData:
    number: str
    at: datetime
    cashier: str
    lines: tuple[ReceiptLine, ...]
    subtotal: int
    tax_total: int
    total: int
    payments: tuple[tuple[str, int], ...] = ()
    change: int = 0
    customer: str = ""  # empty for a walk-in
    gift_cards: tuple[str, ...] = ()  # codes of cards sold: the receipt carries them
    gross_stored: bool = True  # the sale's prices included tax (core/tax.py)


METHOD_NAMES = {
    "cash": N_("Cash"),
    "card": N_("Card"),
    "store_credit": N_("Store credit"),
    "gift_card": N_("Gift card"),
}
# The Z report's rows name the method inside a phrase ("Sales cash")
Z_METHOD_NAMES = {
    "cash": N_("cash"),
    "card": N_("card"),
    "store_credit": N_("store credit"),
    "gift_card": N_("gift card"),
    "on_account": N_("on account"),
    "bank_transfer": N_("bank transfer"),
}


def _tr(company: Company) -> Callable[[str], str]:
    """The shop's language (its locale's): receipts, labels and Z reports speak it."""
    return translations(language_of(company.locale)).gettext


def method_name(method: str, gettext: Callable[[str], str]) -> str:
    """A payment method as a receipt prints it, in the document's language."""
    return gettext(METHOD_NAMES[method]) if method in METHOD_NAMES else method.title()


def _item_rows(
    data: ReceiptData, company: Company, money: Callable[[int], str], _: Callable[[str], str]
) -> tuple[list[Row], int]:
    """Each line at its price before discount (with or without tax, as the shop shows
    prices), and its discount as a row of its own; and the discounts' sum as shown."""
    exclusive, locale = company.prices == EXCLUSIVE, company.locale
    rows = []
    saved = 0
    shown = shown_totals([line.taxed for line in data.lines], exclusive, data.gross_stored)
    for line, amount in zip(data.lines, shown, strict=True):
        name = line.name
        for code in data.gift_cards:  # the card's code prints once, under its barcode
            name = name.replace(f" {code}", "")
        label = f"{format_number(line.quantity, locale)} x {name}"
        if line.quantity > 1:
            unit = shown_price(line.unit_price, line.tax_rate_bp, data.gross_stored, exclusive)
            label += f" @ {money(unit)}"
        before = line.total + line.discount
        if exclusive:
            gross_free = line.quantity * line.unit_price
            before = net_of(before, line.tax_rate_bp) if data.gross_stored else gross_free
        discount = max(0, before - amount) if line.discount else 0
        saved += discount
        rows.append(Row(label, money(amount + discount)))
        if discount:
            rows.append(Row("  " + _("Discount"), f"-{money(discount)}"))
    return rows, saved


def _totals(
    company: Company, data: ReceiptData, money: Callable[[int], str], _: Callable[[str], str]
) -> list[Block]:
    """Inclusive: the total, then the tax it includes per rate. Exclusive: the net, the
    tax added per rate, then the total. Then the table per rate; its gross add up to the
    charged total (core/tax.py)."""
    rates = breakdown([line.taxed for line in data.lines], data.gross_stored)
    total = Row(_("TOTAL"), money(data.total), bold=True)
    blocks: list[Block] = []
    if company.prices == EXCLUSIVE:
        blocks.append(Row(_("Net total"), money(sum(r.net for r in rates))))
        for r in rates:
            label = _("plus tax {rate} %").format(rate=format_rate(r.rate_bp, company.locale))
            blocks.append(Row("  " + label, money(r.tax)))
        blocks.append(total)
    else:
        blocks.append(total)
        for r in rates:
            label = _("incl. tax {rate} %").format(rate=format_rate(r.rate_bp, company.locale))
            blocks.append(Row("  " + label, money(r.tax)))
    blocks.append(Rule())
    blocks += tax_table(rates, company.currency, company.locale, _)
    return blocks


def _receipt_head(company: Company) -> list[Block]:
    """Logo, name, address, tax id and the shop's header lines, centred."""
    _ = _tr(company)
    blocks: list[Block] = [Logo(company.logo_png)] if company.logo_png else []
    blocks.append(Text(company.name or _("Receipt"), Align.CENTER, bold=True, double_width=True))
    lines = company.address.splitlines()
    lines += [_("Tax id {tax_id}").format(tax_id=company.tax_id)] if company.tax_id else []
    lines += company.header.splitlines()
    blocks += [Text(line.strip(), Align.CENTER) for line in lines if line.strip()]
    return blocks


def receipt(company: Company, data: ReceiptData, open_drawer: bool = False) -> Receipt:
    """The customer's receipt, in the shop's language and money format."""
    _ = _tr(company)

    def money(minor: int) -> str:
        return format_money(minor, company.currency, company.locale)

    blocks = _receipt_head(company)
    blocks += [
        Rule(),
        Text(f"{data.number}   {document_datetime(data.at, company.locale, company.timezone)}"),
        Text(_("Served by {name}").format(name=data.cashier)) if data.cashier else Feed(0),
        Text(_("Customer: {name}").format(name=data.customer)) if data.customer else Feed(0),
        Rule(),
    ]
    items, saved = _item_rows(data, company, money, _)
    blocks += items
    if saved:
        blocks += [Rule(), Row(_("Discounts"), f"-{money(saved)}")]
    blocks.append(Rule())
    blocks += _totals(company, data, money, _)
    blocks.append(Rule())
    for method, amount in data.payments:
        blocks.append(Row(method_name(method, _), money(amount)))
    if data.change:
        blocks.append(Row(_("Change"), money(data.change), bold=True))
    for code in data.gift_cards:  # bars (or a QR where they cannot fit), the code once
        blocks += [Rule(), Text(_("GIFT CARD"), Align.CENTER, bold=True)]
        blocks += [Barcode(code, show_text=False, qr_if_too_long=True), Text(code, Align.CENTER)]
    blocks += [Feed(1), QRCode(data.number, size_mm=22), Text(data.number, Align.CENTER)]
    if company.footer:
        blocks += [Feed(1), Text(company.footer, Align.CENTER)]
    blocks.append(Feed(2))
    return Receipt(tuple(b for b in blocks if b != Feed(0)), cut=True, open_drawer=open_drawer)


@dataclass(frozen=True)
class RefundSlipData:
    number: str  # the sale's order number
    at: datetime
    cashier: str
    lines: tuple[tuple[int, str, int], ...]  # quantity, name, amount back (with its tax)
    amount: int
    method: str
    rates: tuple[int, ...] = ()  # each line's tax rate (bp): the slip's tax per rate

    def taxed(self) -> list[TaxedLine]:
        """The lines' money back as stored amounts (gross: what went back)."""
        lines = []
        for (_qty, _name, back), rate in zip(self.lines, self.rates, strict=True):
            net = net_of(back, rate)
            lines.append(TaxedLine(rate, net, back - net, back))
        return lines


def refund_slip(company: Company, data: RefundSlipData, open_drawer: bool = False) -> Receipt:
    """What came back and how the money went back: the customer's proof of a refund."""
    _ = _tr(company)

    def money(minor: int) -> str:
        return format_money(minor, company.currency, company.locale)

    blocks: list[Block] = [
        Text(company.name or _("Refund"), Align.CENTER, bold=True, double_width=True)
    ]
    blocks += [Text(ln.strip(), Align.CENTER) for ln in company.address.splitlines() if ln.strip()]
    blocks += [
        Rule(),
        Text(_("REFUND"), Align.CENTER, bold=True, double_width=True, double_height=True),
        Text(_("Sale {number}").format(number=data.number)),
        Text(document_datetime(data.at, company.locale, company.timezone)),
        Text(_("Refunded by {name}").format(name=data.cashier)) if data.cashier else Feed(0),
        Rule(),
    ]
    blocks += [Row(f"{qty} x {name}", f"-{money(amount)}") for qty, name, amount in data.lines]
    blocks += [
        Rule(),
        Row(_("REFUND TOTAL"), f"-{money(data.amount)}", bold=True),
        Row(
            _("Paid back: {method}").format(method=method_name(data.method, _)),
            money(data.amount),
        ),
    ]
    if data.rates:
        rates = breakdown(data.taxed())
        blocks += [Rule(), *tax_table(rates, company.currency, company.locale, _)]
    blocks += [
        Feed(1),
        QRCode(data.number, size_mm=18),
        Text(data.number, Align.CENTER),
        Feed(2),
    ]
    return Receipt(tuple(b for b in blocks if b != Feed(0)), cut=True, open_drawer=open_drawer)


def printer_test_page(company: Company, printer_name: str) -> Receipt:
    return Receipt(
        (
            Text("Kestrel test page", Align.CENTER, bold=True, double_width=True),
            Text(printer_name, Align.CENTER),
            Rule("="),
            Text("Accents: é ü ß ñ å ø ç   Money: € £ $"),
            Row("Left text that is long enough to wrap onto a second line", "12.34"),
            Rule(),
            Barcode("KESTREL-TEST"),
            QRCode(f"kestrel:test:{company.name}"),
            Feed(2),
        )
    )


@dataclass(frozen=True)
class ProductLabelData:
    name: str
    sku: str
    price: str
    barcode: str  # an EAN-13, or any code for Code 128


def product_label(data: ProductLabelData, width_mm: float = 50.8, height_mm: float = 25.4) -> Label:
    """A 2" x 1" shelf label: name (two lines at most), price, SKU, barcode; each in a box
    of its own, so nothing overprints."""
    ean = data.barcode.isdigit() and len(data.barcode) == 13
    return Label(
        width_mm,
        height_mm,
        (
            LabelText(2, 1.2, data.name, height_mm=2.8, width_mm=width_mm - 4, max_lines=2),
            LabelText(2, 8.4, data.price, height_mm=4.2, width_mm=23, bold=True),
            LabelText(26, 9.4, data.sku, height_mm=2.2, width_mm=width_mm - 28),
            LabelBarcode(
                1,
                14.2,
                data.barcode,
                "EAN13" if ean else "CODE128",
                height_mm=6.5,
                module_mm=0.375,
                width_mm=width_mm - 2,
            ),
        ),
    )


@dataclass(frozen=True)
class ShippingLabelData:
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    order_number: str
    tracking: str
    carrier: str
    package: int = 1
    packages: int = 1
    weight_g: int = 0


def shipping_label(data: ShippingLabelData, locale: str = "en_IE") -> Label:
    """A 4" x 6" shipping label: addresses, tracking as Code 128 (as wide as the label
    allows), the order as a QR code. Address blocks wrap by measure, never overprint.
    Its words in the shop's language (`locale`)."""
    _ = translations(language_of(locale)).gettext
    w, h = 101.6, 152.4
    package = _("package {number} of {count}").format(number=data.package, count=data.packages)
    weight = format_number(data.weight_g / 1000, locale, "0.00")
    recipient = data.recipient or ("",)
    items: list[LabelItem] = [
        LabelText(4, 3, _("FROM"), height_mm=2.5, bold=True),
        LabelText(4, 7, "\n".join(data.sender), height_mm=3, width_mm=62, max_lines=5),
        LabelBox(2, 28, w - 4, 0.1, 0.4),
        LabelText(4, 30, _("TO"), height_mm=3, bold=True),
        LabelText(4, 35, recipient[0], height_mm=5, width_mm=w - 8, bold=True),
        LabelText(4, 41.5, "\n".join(recipient[1:]), height_mm=4.5, width_mm=w - 8, max_lines=6),
        LabelBox(2, 76, w - 4, 0.1, 0.4),
        LabelText(4, 78, f"{data.carrier}   {package}", 4),
        LabelText(4, 84, _("Weight {weight} kg").format(weight=weight), 3.5),
        LabelBarcode(2, 91, data.tracking, "CODE128", height_mm=22, module_mm=0.5, width_mm=w - 4),
        LabelText(4, 124, _("Order {number}").format(number=data.order_number), 4, width_mm=60),
        LabelQR(70, 122, data.order_number, module_mm=0.75),
    ]
    return Label(w, h, tuple(items))


@dataclass(frozen=True)
class ZReportData:
    till: str
    session_id: int
    opened_at: datetime
    closed_at: datetime
    opening_float: int
    sales_by_method: tuple[tuple[str, int], ...]
    refunds_by_method: tuple[tuple[str, int], ...]
    cash_in: int
    cash_out: int
    sales_count: int
    expected_cash: int
    counted_cash: int

    @property
    def difference(self) -> int:
        return self.counted_cash - self.expected_cash


def z_report_rows(company: Company, data: ZReportData) -> list[tuple[str, str]]:
    """The Z report as label/amount rows: the receipt and the PDF show the same lines; the
    last two (counted cash, difference) are the ones a manager checks."""
    _ = _tr(company)

    def money(minor: int) -> str:
        return format_money(minor, company.currency, company.locale)

    def method(name: str) -> str:
        return _(Z_METHOD_NAMES[name]) if name in Z_METHOD_NAMES else name

    rows = [
        (_("Opened"), document_datetime(data.opened_at, company.locale, company.timezone)),
        (_("Closed"), document_datetime(data.closed_at, company.locale, company.timezone)),
        (_("Sales"), format_number(data.sales_count, company.locale)),
        (_("Opening float"), money(data.opening_float)),
    ]
    rows += [
        (_("Sales {method}").format(method=method(name)), money(amount))
        for name, amount in data.sales_by_method
    ]
    rows += [
        (_("Refunds {method}").format(method=method(name)), money(amount))
        for name, amount in data.refunds_by_method
    ]
    rows += [
        (_("Cash in"), money(data.cash_in)),
        (_("Cash out"), money(data.cash_out)),
        (_("Expected cash"), money(data.expected_cash)),
        (_("Counted cash"), money(data.counted_cash)),
        (_("Difference"), money(data.difference)),
    ]
    return rows


def z_report_title(company: Company, till: str, session_id: int) -> str:
    """The Z report's title (the PDF's name for it), in the shop's language."""
    _ = _tr(company)
    return _("Z report {till} #{session}").format(till=till, session=session_id)


def z_report(company: Company, data: ZReportData) -> Receipt:
    _ = _tr(company)
    heading = _("{shop} - {till} - session {session}").format(
        shop=company.name, till=data.till, session=data.session_id
    )
    blocks: list[Block] = [
        Text(_("Z report"), Align.CENTER, bold=True, double_width=True),
        Text(heading, Align.CENTER),
        Rule(),
    ]
    rows = z_report_rows(company, data)
    checked = len(rows) - 2  # counted cash and the difference print bold
    blocks += [Row(label, value, bold=n >= checked) for n, (label, value) in enumerate(rows)]
    blocks += [Rule(), Feed(2)]
    return Receipt(tuple(blocks), cut=True)
