"""PDF documents with ReportLab: pick list, packing slip, delivery note, invoice,
purchase order, test page. A4 or Letter. The font is the bundled DejaVu Sans (fonts.py),
embedded, so Polish, Czech, Romanian, Greek and Cyrillic names print on any machine (Vera
printed "Łód□"). Every page of a document names it and says "page n of m", so a dropped
page of a 42-page pick list still says which wave it belongs to."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core import i18n
from app.core.dates import document_date
from app.core.errors import PrinterError
from app.core.i18n import language_of, translations
from app.core.money import format_money, format_number, format_rate
from app.core.tax import EXCLUSIVE, TaxedLine, breakdown, shown_price, shown_totals
from app.printing.doc_data import DocOrder, PickLine, PurchaseDoc
from app.printing.documents import Company
from app.printing.fonts import font_path
from app.printing.pdf_flowables import CodeBarcode, TickBox
from app.printing.textfit import glyphs

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
_FONTS_READY = False


REGULAR, BOLD = "KestrelSans", "KestrelSans-Bold"


def _fonts() -> None:
    global _FONTS_READY  # noqa: PLW0603 (registering fonts is process-wide in ReportLab)
    if not _FONTS_READY:
        pdfmetrics.registerFont(TTFont(REGULAR, str(font_path())))
        pdfmetrics.registerFont(TTFont(BOLD, str(font_path(bold=True))))
        _FONTS_READY = True


class _NumberedCanvas(Canvas):
    """Draws each page's footer once the page count is known: title, 'page n of m' (as
    `page_label` words it, in the document's language)."""

    def __init__(
        self, *args: object, page_label: str = "page {number} of {total}", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pages: list[dict[str, object]] = []
        self._page_label = page_label

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's private page reset

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width, _height = self._pagesize  # type: ignore[attr-defined]  # restored page state
            self.setFont(REGULAR, 8)
            page = self._page_label.format(number=number, total=total)
            footer = f"{self._doc.info.title} — {page}"  # type: ignore[attr-defined]
            self.drawRightString(width - 15 * mm, 8 * mm, footer)
            super().showPage()
        super().save()


def _canvas(gettext: Callable[[str], str]) -> Callable[..., Canvas]:
    """The numbered canvas with its footer in the document's language."""
    return functools.partial(_NumberedCanvas, page_label=gettext("page {number} of {total}"))


def _gettext(locale: str) -> Callable[[str], str]:
    return translations(language_of(locale)).gettext


def _safe(text: str) -> str:
    """Shop data as paragraph text: markup characters escaped ('Tea <hot> & cold' broke
    the document), and a letter the font lacks spelled (never an empty box)."""
    return escape(glyphs(text))


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20),
        "h": ParagraphStyle("h", fontName=BOLD, fontSize=10, leading=13),
        "p": ParagraphStyle("p", fontName=REGULAR, fontSize=9, leading=12),
        "small": ParagraphStyle("small", fontName=REGULAR, fontSize=8, leading=10),
    }


def _doc(buffer: io.BytesIO, page: str, title: str) -> SimpleDocTemplate:
    if page not in PAGE_SIZES:
        raise PrinterError(
            i18n._("Paper '{page}' is not supported (A4 or Letter).").format(page=page)
        )
    return SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZES[page],
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Kestrel",
    )


def _grid(
    rows: Sequence[list[Any] | tuple[Any, ...]], widths: list[float], right_from: int = 99
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9),
                ("FONT", (0, 0), (-1, 0), BOLD, 9),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (right_from, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def pick_list(
    lines: list[PickLine], title: str = "Pick list", page: str = "A4", locale: str = "en_IE"
) -> bytes:
    """Lines grouped by location in pick sequence, a checkbox each; every order's number
    as a Code 128 to scan at the packing bench. Its words in `locale`'s language (the
    caller translates the title)."""
    tr = translations(language_of(locale))
    _ = tr.gettext
    styles = _styles()
    buffer = io.BytesIO()
    doc = _doc(buffer, page, title)
    orders = sorted({ln.order_number for ln in lines})
    units = sum(ln.quantity for ln in lines)
    counts = ", ".join(
        (
            tr.ngettext("{count} order", "{count} orders", len(orders)).format(
                count=format_number(len(orders), locale)
            ),
            tr.ngettext("{count} unit", "{count} units", units).format(
                count=format_number(units, locale)
            ),
        )
    )
    story: list[Flowable] = [
        Paragraph(_safe(title), styles["title"]),
        Paragraph(
            _safe(counts),
            styles["p"],
        ),
        Spacer(1, 4 * mm),
    ]
    codes = [
        [CodeBarcode(number, 8, 0.25) for number in orders[i : i + 3]]
        for i in range(0, len(orders), 3)
    ]
    if codes:
        story += [Table(codes, hAlign="LEFT"), Spacer(1, 4 * mm)]
    ordered = sorted(
        lines, key=lambda ln: (ln.pick_sequence, ln.location_code, ln.sku, ln.order_number)
    )
    rows: list[list[object]] = [["", _("Location"), _("SKU"), _("Product"), _("Qty"), _("Order")]]
    for ln in ordered:
        rows.append(
            [
                TickBox(),
                ln.location_code,
                ln.sku,
                Paragraph(_safe(ln.name), styles["p"]),
                format_number(ln.quantity, locale),
                ln.order_number,
            ]
        )
    width = doc.width
    story.append(_grid(rows, [8 * mm, 30 * mm, 30 * mm, width - 118 * mm, 14 * mm, 36 * mm], 4))
    doc.build(story, canvasmaker=_canvas(_))
    return buffer.getvalue()


def _header(
    company: Company, styles: dict[str, ParagraphStyle], _: Callable[[str], str]
) -> list[Flowable]:
    parts: list[Flowable] = [Paragraph(_safe(company.name), styles["title"])]
    for line in company.address.splitlines():
        if line.strip():
            parts.append(Paragraph(_safe(line.strip()), styles["small"]))
    if company.tax_id:
        tax_id = _("Tax id {tax_id}").format(tax_id=company.tax_id)
        parts.append(Paragraph(_safe(tax_id), styles["small"]))
    parts.append(Spacer(1, 6 * mm))
    return parts


def _addresses(
    order: DocOrder, styles: dict[str, ParagraphStyle], _: Callable[[str], str]
) -> Table:
    ship = "<br/>".join(_safe(line) for line in order.ship_to) or _safe(order.customer)
    customer = f"{_safe(order.customer)}<br/>{_safe(order.email)}"
    left = Paragraph(f"<b>{_safe(_('Customer'))}</b><br/>{customer}", styles["p"])
    right = Paragraph(f"<b>{_safe(_('Ship to'))}</b><br/>{ship}", styles["p"])
    table = Table([[left, right]], colWidths=[90 * mm, 90 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _invoice_lines(
    order: DocOrder,
    styles: dict[str, ParagraphStyle],
    locale: str,
    width: float,
    _: Callable[[str], str],
    exclusive: bool = False,
) -> list[Flowable]:
    """The invoice's lines (with tax, or net where the shop shows net prices) and its
    tax per rate: rate, net, tax, gross, and the sums (core/tax.py: the gross add up to
    the charged total)."""

    def money(minor: int) -> str:
        return format_money(minor, order.currency, locale)

    taxed = [TaxedLine(ln.tax_rate_bp, ln.total - ln.tax, ln.tax, ln.total) for ln in order.lines]
    shown = shown_totals(taxed, exclusive, order.gross_stored)
    amount_head = _("Net") if exclusive else _("Total")
    rows: list[list[object]] = [
        [_("SKU"), _("Product"), _("Qty"), _("Price"), _("Tax"), amount_head]
    ]
    for ln, amount in zip(order.lines, shown, strict=True):
        unit = shown_price(ln.unit_price, ln.tax_rate_bp, order.gross_stored, exclusive)
        rows.append(
            [
                ln.sku,
                Paragraph(_safe(ln.name), styles["p"]),
                format_number(ln.quantity, locale),
                money(unit),
                f"{format_rate(ln.tax_rate_bp, locale)} %",
                money(amount),
            ]
        )
    lines = _grid(rows, [28 * mm, width - 106 * mm, 14 * mm, 24 * mm, 16 * mm, 24 * mm], 2)
    rates = breakdown(taxed, order.gross_stored)
    table: list[list[object]] = [[_("Tax rate"), _("Net"), _("Tax"), _("Total")]]
    for r in rates:
        shown_rate = f"{format_rate(r.rate_bp, locale)} %"
        table.append([shown_rate, money(r.net), money(r.tax), money(r.gross)])
    table.append(
        [
            _("Total"),
            money(sum(r.net for r in rates)),
            money(sum(r.tax for r in rates)),
            money(sum(r.gross for r in rates)),
        ]
    )
    grid = _grid(table, [40 * mm, 30 * mm, 30 * mm, 30 * mm], 1)
    grid.setStyle(TableStyle([("FONT", (0, -1), (-1, -1), BOLD, 9)]))
    note = (
        _("Prices exclude tax: tax is added per rate.") if exclusive else _("Prices include tax.")
    )
    return [
        lines,
        Spacer(1, 6 * mm),
        grid,
        Spacer(1, 2 * mm),
        Paragraph(_safe(note), styles["small"]),
    ]


def order_document(
    kind: str, company: Company, order: DocOrder, page: str = "A4", locale: str = "en_IE"
) -> bytes:
    """'invoice' (prices, tax breakdown), 'packing-slip' or 'delivery-note' (quantities),
    in `locale`'s language and money format (the customer's, where known)."""
    _ = _gettext(locale)
    titles = {
        "invoice": _("Invoice"),
        "packing-slip": _("Packing slip"),
        "delivery-note": _("Delivery note"),
    }
    if kind not in titles:
        raise PrinterError(i18n._("'{kind}' is not a document Kestrel prints.").format(kind=kind))
    styles = _styles()
    buffer = io.BytesIO()
    doc = _doc(buffer, page, f"{titles[kind]} {order.number}")
    story = _header(company, styles, _)
    story += [
        Paragraph(_safe(f"{titles[kind]} {order.number}"), styles["h"]),
        Paragraph(_safe(document_date(order.date, locale, company.timezone)), styles["p"]),
        Spacer(1, 3 * mm),
        CodeBarcode(order.number, 9, 0.3),
        Spacer(1, 3 * mm),
        _addresses(order, styles, _),
        Spacer(1, 6 * mm),
    ]
    width = doc.width
    if kind == "invoice":
        story += _invoice_lines(order, styles, locale, width, _, company.prices == EXCLUSIVE)
    else:
        rows: list[list[object]] = [["", _("SKU"), _("Product"), _("Qty")]]
        for ln in order.lines:
            name = Paragraph(_safe(ln.name), styles["p"])
            rows.append([TickBox(), ln.sku, name, format_number(ln.quantity, locale)])
        story.append(_grid(rows, [8 * mm, 30 * mm, width - 56 * mm, 18 * mm], 3))
    if company.footer:
        story += [Spacer(1, 8 * mm), Paragraph(_safe(company.footer), styles["small"])]
    doc.build(story, canvasmaker=_canvas(_))
    return buffer.getvalue()


def pdf_test_page(company: Company, printer_name: str, page: str = "A4") -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = _doc(buffer, page, "Kestrel test page")
    doc.build(
        canvasmaker=_NumberedCanvas,
        flowables=[
            Paragraph("Kestrel test page", styles["title"]),
            Paragraph(_safe(f"{printer_name} — {company.name}"), styles["p"]),
            Paragraph("Accents: é ü ß ñ å ø ç ł   Money: € £ $", styles["p"]),
            Spacer(1, 5 * mm),
            CodeBarcode("KESTREL-TEST"),
        ],
    )
    return buffer.getvalue()


def z_report_pdf(company: Company, rows: list[tuple[str, str]], title: str) -> bytes:
    """The Z report kept as a PDF: the same rows as the printed one, in the shop's
    language (the rows and the title come translated)."""
    _ = _gettext(company.locale)
    styles = _styles()
    buffer = io.BytesIO()
    doc = _doc(buffer, "A4", title)
    story: list[Flowable] = [
        *_header(company, styles, _),
        Paragraph(_safe(title), styles["h"]),
        Spacer(1, 4 * mm),
    ]
    story.append(
        _grid([["", ""], *[[label, value] for label, value in rows]], [60 * mm, 40 * mm], 1)
    )
    doc.build(story, canvasmaker=_canvas(_))
    return buffer.getvalue()


def purchase_order(
    company: Company, order: PurchaseDoc, page: str = "A4", locale: str = "en_IE"
) -> bytes:
    """The purchase order as the supplier reads it: their codes first, our SKU beside
    them, quantities and costs, the total; the PO number as a barcode for their paperwork
    and our goods-in. In `locale`'s language."""
    _ = _gettext(locale)
    styles = _styles()
    buffer = io.BytesIO()
    title = _("Purchase order {number}").format(number=order.number)
    doc = _doc(buffer, page, title)

    def money(minor: int) -> str:
        return format_money(minor, order.currency, locale)

    supplier = "<br/>".join(_safe(line) for line in order.supplier if line)
    deliver = "<br/>".join(_safe(line) for line in order.deliver_to if line)
    parties = Table(
        [
            [
                Paragraph(f"<b>{_safe(_('Supplier'))}</b><br/>{supplier}", styles["p"]),
                Paragraph(f"<b>{_safe(_('Deliver to'))}</b><br/>{deliver}", styles["p"]),
            ]
        ],
        colWidths=[90 * mm, 90 * mm],
        hAlign="LEFT",
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = _header(company, styles, _)
    story += [
        Paragraph(_safe(title), styles["h"]),
        Paragraph(_safe(document_date(order.date, locale, company.timezone)), styles["p"]),
        Spacer(1, 3 * mm),
        CodeBarcode(order.number, 9, 0.3),
        Spacer(1, 3 * mm),
        parties,
        Spacer(1, 6 * mm),
    ]
    rows: list[list[object]] = [
        [_("Your code"), _("Our SKU"), _("Product"), _("Qty"), _("Cost"), _("Total")]
    ]
    for ln in order.lines:
        rows.append(
            [
                ln.supplier_sku,
                ln.sku,
                Paragraph(_safe(ln.name), styles["p"]),
                format_number(ln.quantity, locale),
                money(ln.unit_cost),
                money(ln.unit_cost * ln.quantity),
            ]
        )
    total = sum(ln.unit_cost * ln.quantity for ln in order.lines)
    quantity = format_number(sum(ln.quantity for ln in order.lines), locale)
    rows.append(["", "", _("Total"), quantity, "", money(total)])
    grid = _grid(rows, [26 * mm, 26 * mm, doc.width - 126 * mm, 14 * mm, 30 * mm, 30 * mm], 3)
    grid.setStyle(TableStyle([("FONT", (0, -1), (-1, -1), BOLD, 9)]))
    story.append(grid)
    if order.note:
        story += [Spacer(1, 6 * mm), Paragraph(_safe(order.note), styles["p"])]
    doc.build(story, canvasmaker=_canvas(_))
    return buffer.getvalue()
