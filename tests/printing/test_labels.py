"""Labels never clip, never overprint, never print a wrong glyph: each item of a label is
drawn on its own at the printer's dpi and its ink must stay in its box and clear of every
other item's ink; the ZPL gets the same measured lines. Real long address lines, then
hypothesis over names and addresses."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageOps

from app.admin.emulator import read_zpl
from app.printing import textfit
from app.printing.copies import mark_copy
from app.printing.documents import ProductLabelData, product_label, shipping_label
from app.printing.fonts import font, has_glyph
from app.printing.layout import Label, LabelText
from app.printing.raster import fitted_text, render_bitmap, render_label_escpos
from app.printing.zpl import dots, render_label
from tests.printing.conftest import SHIPMENT
from tests.printing.raster import raster_images

LONG_LINES = (  # real places and streets
    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "Avenida Presidente Juscelino Kubitschek de Oliveira 1909, Torre Norte, 12º andar",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsstraße 117, Hinterhaus",
    "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu",
    "ul. Grzegórzecka 67d/12, klatka schodowa B, piętro 4, Kraków-Śródmieście",
)


def ink(label: Label, item, dpi: int):  # type: ignore[no-untyped-def]
    image = render_bitmap(Label(label.width_mm, label.height_mm, (item,)), dpi)
    return ImageOps.invert(image).getbbox()


def check_label(label: Label, dpi: int) -> None:
    boxes = []
    for item in label.items:
        found = ink(label, item, dpi)
        if found is None:
            continue
        x0, y0, x1, y1 = found
        assert x1 <= dots(label.width_mm, dpi) and y1 <= dots(label.height_mm, dpi)  # on it
        if isinstance(item, LabelText):  # within its own box: nothing clipped or spilled
            fitted = fitted_text(item, label, dpi)
            left, top = dots(item.x_mm, dpi), dots(item.y_mm, dpi)
            width = dots(item.width_mm or (label.width_mm - item.x_mm - 1), dpi)
            assert left <= x0 and x1 <= left + width + 1, (item.text, found)
            assert top <= y0 and y1 <= top + fitted.height + 1, (item.text, found)
            assert len(fitted.lines) <= item.max_lines
            assert all(has_glyph(c) for line in fitted.lines for c in line if c != " ")
        boxes.append((found, item))
    for (a, item_a), (b, item_b) in combinations(boxes, 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, ("overprint", item_a, item_b)


def check_zpl(label: Label, dpi: int) -> None:
    """Every ^FB gets at most its lines, each measured to fit (font 0 is narrower)."""
    data = render_label(label, dpi).decode()
    fields = re.findall(r"\^A0N,(\d+),\d+\^FB(\d+),(\d+),-?\d+,L,0\^FH\^FD(.*?)\^FS", data)
    assert len(fields) == sum(isinstance(i, LabelText) for i in label.items)
    for (size, width, count, text), item in zip(
        fields, (i for i in label.items if isinstance(i, LabelText)), strict=True
    ):
        lines = text.split("\\&")
        assert len(lines) == int(count) <= item.max_lines
        face = font(int(size), True)
        for line in lines:
            plain = re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m[1], 16)), line)
            assert face.getlength(plain) <= int(width)
            assert all(ord(c) < 256 or c in textfit.ZPL_EXTRA for c in plain)


def _shipment(recipient: tuple[str, ...]):  # type: ignore[no-untyped-def]
    return SHIPMENT.__class__(**{**SHIPMENT.__dict__, "recipient": recipient})


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("line", LONG_LINES)
def test_the_longest_real_address_lines_never_overprint(line, dpi):
    recipient = ("Orla Walsh-" + line[:30], line, line, "Dublin D02 X285", "IRELAND")
    label = shipping_label(_shipment(recipient))
    check_label(label, dpi)
    check_zpl(label, dpi)
    product = product_label(ProductLabelData(line, "SKU-1", "€1,234.56", "4006381333931"))
    check_label(product, dpi)
    check_zpl(product, dpi)


def test_a_long_street_wraps_and_pushes_the_postcode_down_not_over_it():
    label = shipping_label(_shipment(("Orla Walsh", LONG_LINES[1], "Dublin D02 X285", "IE")))
    fields = read_zpl(render_label(label, 203))
    assert "Dublin D02 X285" in fields.splitlines()  # a line of its own, whole
    assert "…" not in fields


def test_text_that_does_not_fit_ends_in_an_ellipsis():
    label = Label(50.8, 25.4, (LabelText(2, 2, "word " * 100, height_mm=3, max_lines=2),))
    fitted = fitted_text(label.items[0], label, 203)
    assert len(fitted.lines) == 2 and fitted.lines[-1].endswith("…")
    check_label(label, 203)


def test_zpl_spells_what_its_resident_font_lacks():
    label = Label(101.6, 20, (LabelText(2, 2, "Łódź Ελλάδα Щука Café €5"),))
    (text,) = read_zpl(render_label(label, 203)).splitlines()
    assert text == "Lódz Ellada Shchuka Café €5"  # ó, é and € are in its font; Ł, ź are not


NAMES = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("Lu", "Ll", "Nd", "Zs", "Pd", "Po"),
        max_codepoint=0x52F,  # Latin, Greek, Cyrillic
    ),
    min_size=1,
    max_size=120,
)


@settings(max_examples=30, deadline=None)
@given(name=NAMES, street=NAMES, city=NAMES, dpi=st.sampled_from([203, 300]))
def test_any_name_and_address_never_clips_overprints_or_loses_a_glyph(name, street, city, dpi):
    label = shipping_label(_shipment((name, street, f"{city} 12345", "IE")))
    check_label(label, dpi)
    check_zpl(label, dpi)
    check_label(product_label(ProductLabelData(name, "SKU", "€1.00", "4006381333931")), dpi)


def test_reprinted_labels_say_copy():
    label = shipping_label(SHIPMENT)
    zpl = render_label(label, 203)
    copy = mark_copy(zpl, "zpl")
    assert "COPY" in read_zpl(copy) and "COPY" not in read_zpl(zpl)
    assert mark_copy(copy, "zpl") == copy and copy.count(b"^XZ") == zpl.count(b"^XZ")
    raster = render_label_escpos(label, 203)
    marked = mark_copy(raster, "escpos")
    assert raster_images(marked)[0].size == raster_images(raster)[0].size  # the label whole
    assert b"*** COPY ***" in marked
