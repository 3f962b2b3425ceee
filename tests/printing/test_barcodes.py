"""Barcodes that fit and scan: real carriers' tracking numbers on 4x6 labels and long codes
on 2x1 labels at 203 and 300 dpi, gift cards on 58 and 80 mm receipts; decoded by zxing
at the printer's own resolution. A code that cannot fit is refused before printing."""

from __future__ import annotations

import re
import string

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from app.core.errors import PrinterError
from app.printing import code128
from app.printing.bar_images import barcode_image
from app.printing.documents import ProductLabelData, product_label, shipping_label
from app.printing.escpos import EscposTarget, render_receipt
from app.printing.escpos_reader import BarcodeRun, walk
from app.printing.layout import Barcode, Receipt
from app.printing.preview import receipt_image
from app.printing.raster import render_bitmap, render_label_escpos
from app.printing.zpl import render_label
from tests.printing.conftest import SHIPMENT
from tests.printing.raster import raster_images

TRACKING = {
    "UPS": "1Z999AA10123456784",  # 18
    "DHL Express": "1234567890",  # 10
    "DHL Parcel": "JJD000390007736538741",  # 21, as Kestrel's demo template makes them
    "DHL eCommerce": "GM29511732251744941234",  # 22
    "USPS 20": "94001118992231234567",
    "USPS 22": "9400111899223197428490",
    "Royal Mail": "AB123456789GB",  # 13
}


def decode(image: Image.Image) -> list[tuple[str, str]]:
    found = zxingcpp.read_barcodes(ImageOps.expand(image.convert("L"), border=8, fill=255))
    return sorted((str(b.format).replace(" ", "").replace("-", ""), b.text) for b in found)


def zpl_barcode(data: bytes) -> tuple[int, int, int]:
    """(x, module, bar field) of the ^BC in a ZPL label."""
    found = re.search(rb"\^FO(\d+),\d+\^BY(\d+)\^BCN[^\^]*\^FH\^FD([^\^]*)\^FS", data)
    assert found, data
    return int(found[1]), int(found[2]), len(found[3])


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("carrier", TRACKING)
def test_tracking_numbers_of_every_carrier_scan_on_the_4x6_label(carrier, dpi):
    number = TRACKING[carrier]
    label = shipping_label(SHIPMENT.__class__(**{**SHIPMENT.__dict__, "tracking": number}))
    image = render_bitmap(label, dpi)
    assert ("Code128", number) in decode(image)
    # the ZPL the printer gets: the same module, the bars and both quiet zones on the label
    zpl = render_label(label, dpi)
    x, module, _ = zpl_barcode(zpl)
    parts, modules = code128.segments(number)
    quiet = code128.QUIET_MODULES * module
    assert x - quiet >= 0 and x + modules * module + quiet <= round(101.6 * dpi / 25.4)
    assert module >= code128.min_module(dpi)
    if number.isdigit() and len(number) % 2 == 0:
        assert parts == (("C", number),)  # all digits: subset C throughout


def test_the_demo_dhl_number_no_longer_runs_off_the_label():
    """It was 798 dots wide from x=48 on an 812-dot label at 3 dots per module."""
    label = shipping_label(
        SHIPMENT.__class__(**{**SHIPMENT.__dict__, "tracking": "JJD" + "7" * 18})
    )
    x, module, _ = zpl_barcode(render_label(label, 203))
    _, modules = code128.segments("JJD" + "7" * 18)
    assert x + modules * module + code128.QUIET_MODULES * module <= 812


@pytest.mark.parametrize("dpi", [203, 300])
def test_a_long_sku_on_the_2x1_label_scans_or_is_refused(dpi):
    sku = "SKU-12345678901234"
    image = render_bitmap(product_label(ProductLabelData("Widget", sku, "€1.00", sku)), dpi)
    assert ("Code128", sku) in decode(image)
    too_long = "LONG-SKU-" + "X" * 30
    label = product_label(ProductLabelData("Widget", too_long, "€1.00", too_long))
    for render in (render_bitmap, render_label, render_label_escpos):
        with pytest.raises(PrinterError, match="too long to print readably"):
            render(label, dpi)


@pytest.mark.parametrize("paper", [58, 80])
@pytest.mark.parametrize("profile", ["default", "TM-T20II", "POS-5890", "Sunmi-V2"])
def test_gift_card_codes_scan_on_receipts(profile, paper):
    for code in ("GC123456789015", "GIFT-ABCDEFGHJKLMNPQRSTU"[:25]):
        block = Barcode(code, qr_if_too_long=True)
        data = render_receipt(Receipt((block,)), EscposTarget(profile, paper))
        images = raster_images(data) or [receipt_image(data, None, paper)]
        found = [c for image in images for c in decode(image)]
        assert ("Code128", code) in found or ("QRCode", code) in found, (profile, code, found)
        head = EscposTarget(profile, paper).head_dots
        for image in raster_images(data):
            assert image.width <= head
        for run in (e for e in walk(data) if isinstance(e, BarcodeRun)):  # native bars
            modules = code128.segments(run.data)[1] + 2 * code128.QUIET_MODULES
            assert 2 <= run.module and modules * run.module <= head


def test_a_barcode_wider_than_the_head_is_refused_before_printing():
    with pytest.raises(PrinterError, match="too long"):
        render_receipt(Receipt((Barcode("X" * 30),)), EscposTarget("default", 58))


def _bands(image: Image.Image) -> tuple[int, int]:
    """(last row of the bars, first row of ink below them)."""
    grey = image.convert("L")
    first = bytes(grey.crop((0, 0, grey.width, 1)).tobytes())
    row = 0
    while row + 1 < grey.height and grey.crop((0, row + 1, grey.width, row + 2)).tobytes() == first:
        row += 1
    below = row + 1
    while below < grey.height and min(grey.crop((0, below, grey.width, below + 1)).tobytes()) > 128:
        below += 1
    return row, below


CODES = st.text(alphabet=string.ascii_uppercase + string.digits + "-./", min_size=1, max_size=16)


@settings(max_examples=40, deadline=None)
@given(code=CODES, dpi=st.sampled_from([203, 300]))
def test_text_under_bars_never_touches_them(code, dpi):
    """Receipt images, raster labels and the scanner test code all draw through here."""
    image = barcode_image(Barcode(code, height_mm=10), module=2, dpi=dpi)
    bars_end, text_start = _bands(image)
    assert bars_end + 1 >= round(10 * dpi / 25.4)  # every bar row is whole
    assert text_start - bars_end > 2  # a white band between the bars and the text
    assert text_start < image.height  # and the text is there
    assert ("Code128", code) in decode(image)


TRACKINGS = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=10, max_size=22)


@settings(max_examples=25, deadline=None)
@given(number=TRACKINGS, dpi=st.sampled_from([203, 300]))
def test_any_tracking_number_of_a_carriers_length_scans_on_the_label(number, dpi):
    label = shipping_label(SHIPMENT.__class__(**{**SHIPMENT.__dict__, "tracking": number}))
    assert ("Code128", number) in decode(render_bitmap(label, dpi))
    x, module, _ = zpl_barcode(render_label(label, dpi))
    _, modules = code128.segments(number)
    assert x + (modules + code128.QUIET_MODULES) * module <= round(101.6 * dpi / 25.4)
