"""A job printed again says so: "COPY" on a receipt, a label or a document, and a receipt
printed again never opens the cash drawer again.

Raw TCP printing is at-least-once: a job whose confirmation was lost (a crash of the
print worker, a printer that ran out of paper mid-job) is sent again. Marking the bytes
here makes such a repeat harmless, whatever produced them.
"""

from __future__ import annotations

import io
import re

COPY = "COPY"
ESCPOS_INIT = b"\x1b@"
DRAWER_KICKS = (b"\x1bp\x0022", b"\x1bp\x0122", b"\x1bp\x00\x19\xfa", b"\x1bp\x01\x19\xfa")
ESCPOS_MARK = b"\x1ba\x01\x1b!\x30\x1bE\x01*** COPY ***\n\x1bE\x00\x1b!\x00\x1ba\x00"
ZPL_MARK = "^FX kestrel-copy^FS"


def mark_copy(payload: bytes, language: str) -> bytes:
    """The same job marked as a copy, without any drawer kick; marking twice is once."""
    if language == "escpos":
        return _escpos(payload)
    if language == "zpl":
        return _zpl(payload)
    if language == "pdf":
        return _pdf(payload)
    return payload


def _escpos(payload: bytes) -> bytes:
    for kick in DRAWER_KICKS:
        while payload.endswith(kick):
            payload = payload[: -len(kick)]
    if ESCPOS_MARK in payload:
        return payload
    if payload.startswith(ESCPOS_INIT):
        return ESCPOS_INIT + ESCPOS_MARK + payload[len(ESCPOS_INIT) :]
    return ESCPOS_MARK + payload


_WIDTH = re.compile(rb"\^PW(\d+)")


def _zpl(payload: bytes) -> bytes:
    if ZPL_MARK.encode() in payload:
        return payload
    labels = payload.split(b"^XZ")
    out = []
    for label in labels[:-1]:
        found = _WIDTH.search(label)
        width = int(found[1]) if found else 812
        size = max(24, width // 14)  # about 7 mm on a 4" label
        box_w, box_h = 4 * size, size + size // 2
        x, y = width - box_w - size // 3, size // 4
        field = (  # white letters in a black box, top right
            f"{ZPL_MARK}^FO{x},{y}^GB{box_w},{box_h},{box_h}^FS"
            f"^FO{x},{y + size // 4}^A0N,{size},{size}^FB{box_w},1,0,C,0^FR^FD{COPY}^FS"
        )
        out.append(label + field.encode())
    out.append(labels[-1])
    return b"^XZ".join(out)


def _pdf(payload: bytes) -> bytes:
    """Every page stamped COPY in its top right corner (pypdf merges a ReportLab stamp)."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from app.printing.fonts import font_path

    reader = PdfReader(io.BytesIO(payload))
    if reader.metadata and reader.metadata.get("/KestrelCopy") == "yes":
        return payload
    if "KestrelSans-Bold" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("KestrelSans-Bold", str(font_path(bold=True))))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp = io.BytesIO()
        pen = canvas.Canvas(stamp, pagesize=(width, height))
        text_width = pen.stringWidth(COPY, "KestrelSans-Bold", 22)
        pen.setFont("KestrelSans-Bold", 22)
        pen.drawRightString(width - 40, height - 34, COPY)
        pen.rect(width - 48 - text_width, height - 42, text_width + 16, 32)
        pen.save()
        page.merge_page(PdfReader(io.BytesIO(stamp.getvalue())).pages[0])
    writer.add_metadata({"/KestrelCopy": "yes"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
