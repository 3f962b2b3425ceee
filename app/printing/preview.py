"""A picture of what a job puts on paper, at the printer's own resolution, for the preview
printer's window: receipts drawn from their ESC/POS bytes (text, codes, images, cut), PDF
pages rendered with pdfium. ZPL has no renderer here; its fields are shown as text."""

from __future__ import annotations

import io

import qrcode
from PIL import Image, ImageDraw

from app.printing.escpos_reader import QR, BarcodeRun, Mark, RasterImage, TextRun, walk
from app.printing.fonts import font

DOTS_PER_MM = 8
PAPER_DOTS = {58: 384, 80: 576}
COLUMNS = {58: 32, 80: 48}


class _Paper:
    def __init__(self, width_mm: int) -> None:
        self.width = PAPER_DOTS.get(width_mm, 576)
        self.cell = self.width / COLUMNS.get(width_mm, 48)
        self.parts: list[tuple[int, Image.Image]] = []  # (x, image) stacked downwards
        self.line: list[tuple[str, bool, bool, bool]] = []
        self.align = "left"

    def text(self, run: TextRun) -> None:
        for char in run.text:
            if char == "\n":
                self.flush(run.align)
            elif char != "\r":
                self.line.append((char, run.bold, run.double_width, run.double_height))
                self.align = run.align

    def flush(self, align: str | None = None) -> None:
        chars = self.line
        self.line = []
        tall = any(c[3] for c in chars)
        wide = any(c[2] for c in chars)
        height = round(self.cell * (4 if tall else 3 if wide else 2))
        image = Image.new("L", (self.width, height), 255)
        draw = ImageDraw.Draw(image)
        widths = [self.cell * (2 if dw else 1) for _, _, dw, _ in chars]
        total = sum(widths)
        x = {"center": (self.width - total) / 2, "right": self.width - total}.get(
            align or self.align, 0
        )
        for (char, bold, dw, dh), w in zip(chars, widths, strict=True):
            face = font(round(self.cell * (3.4 if dh else 2.6 if dw else 1.7)), bold)
            glyph = face.getlength(char)
            draw.text((x + (w - glyph) / 2, 0), char, font=face, fill=0)
            x += w
        self.parts.append((0, image))

    def paste(self, image: Image.Image) -> None:
        if self.line:
            self.flush()
        image = image.convert("L")
        self.parts.append((max(0, (self.width - image.width) // 2), image))

    def cut(self) -> None:
        if self.line:
            self.flush()
        image = Image.new("L", (self.width, 24), 255)
        draw = ImageDraw.Draw(image)
        for x in range(0, self.width, 12):
            draw.line((x, 12, x + 6, 12), fill=0, width=2)
        self.parts.append((0, image))

    def render(self) -> Image.Image:
        if self.line:
            self.flush()
        height = sum(part.height for _, part in self.parts) or 1
        width = max([self.width, *(part.width for _, part in self.parts)])  # a label is wider
        page = Image.new("L", (width, height), 255)
        y = 0
        for x, part in self.parts:
            page.paste(part, (x, y))
            y += part.height
        return page


def receipt_image(
    payload: bytes, codepages: dict[int, str] | None = None, width_mm: int = 80
) -> Image.Image:
    paper = _Paper(width_mm)
    for event in walk(payload, codepages):
        match event:
            case TextRun():
                paper.text(event)
            case QR():
                code = qrcode.QRCode(box_size=max(1, event.module), border=2)
                code.add_data(event.data)
                paper.paste(code.make_image().get_image())
            case BarcodeRun():
                paper.paste(_barcode(event))
            case RasterImage():
                paper.paste(event.image)
            case Mark(what="cut"):
                paper.cut()
            case Mark():
                pass
    return paper.render()


def _barcode(run: BarcodeRun) -> Image.Image:
    """The bars a printer draws for GS k: its module width and height, in printer dots."""
    from app.printing.bar_images import bars_with_text

    try:
        return bars_with_text(
            run.data,
            run.symbology,
            max(1, run.module),
            run.height / DOTS_PER_MM,
            203,
            run.show_text,
        )
    except Exception:  # a code the library refuses is shown as its text
        image = Image.new("L", (300, 40), 255)
        ImageDraw.Draw(image).text((4, 10), f"[{run.symbology} {run.data}]", fill=0)
        return image


def pdf_pages(payload: bytes, dpi: int = 96) -> list[Image.Image]:
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(payload))
    return [page.render(scale=dpi / 72).to_pil() for page in document]
