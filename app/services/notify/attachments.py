"""What an e-mail carries besides its words: the shop's logo inline, and the invoice PDF
rendered at send time from the attachment reference ("invoice:<order id>"), refused
when it is over the configured size."""

from __future__ import annotations

from email.message import Message

from sqlalchemy.orm import Session

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.settings import get_setting
from app.services.notify import mime
from app.services.notify.templates import LOGO_CID
from app.services.printing.document_data import company, doc_order, document_locale, load_order
from app.services.purchasing import po_document
from app.services.purchasing.orders import view
from app.services.shop import logo

INVOICE = "invoice:"
PURCHASE_ORDER = "po:"


def logo_part(session: Session, html: str) -> Message | None:
    """The logo as an inline image of the HTML part, when the HTML shows it."""
    if f"cid:{LOGO_CID}" not in html:
        return None
    picture = logo(session)
    if not picture:
        return None
    subtype = "png" if picture.startswith(b"\x89PNG") else "jpeg"
    return mime.image_part(picture, subtype, LOGO_CID)


def invoice_pdf(session: Session, order_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the order's invoice, as the printers would print it."""
    shop = company(session)
    paper = str(get_setting(session, "document_paper"))
    number = load_order(session, order_id).number
    locale = document_locale(session, order_id)  # the customer's language where known
    from app.printing import pdf  # ReportLab only when a PDF is drawn

    data = pdf.order_document("invoice", shop, doc_order(session, order_id), paper, locale)
    return f"Invoice {number}.pdf", data


def purchase_order_pdf(session: Session, po_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of a purchase order as the supplier gets it (drawn as it is now)."""
    order = view(session, po_id)
    return f"Purchase order {order.number}.pdf", po_document.render(session, order)


DRAWN = {INVOICE: ("invoice", invoice_pdf), PURCHASE_ORDER: ("purchase order", purchase_order_pdf)}


def attachment_part(session: Session, reference: str, limit_kb: int) -> Message:
    """The PDF `reference` names, drawn now; ValidationError when it is over the limit."""
    prefix, _colon, ref_id = reference.partition(":")
    what, draw = DRAWN.get(prefix + ":", ("", None))
    if draw is None or not ref_id.isascii() or not ref_id.isdigit():
        raise ValidationError(
            _("Kestrel does not know the attachment '{reference}'.").format(reference=reference)
        )
    name, data = draw(session, int(ref_id))
    if len(data) > limit_kb * 1024:
        raise ValidationError(
            _(
                "The {what} PDF is {value:,} KB; at most {limit_kb:,} KB may be "
                "attached (raise the limit with `kestrel smtp set --attachment-limit`, "
                "then retry)."
            ).format(what=what, value=len(data) // 1024, limit_kb=limit_kb)
        )
    return mime.pdf_part(data, name)
