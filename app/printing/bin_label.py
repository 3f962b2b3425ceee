"""A bin's shelf label: its code large enough to read from the aisle, its name, and the
code as a Code 128 barcode that a scanner reads into a count, a pick or a put-away."""

from __future__ import annotations

from app.printing.layout import Label, LabelBarcode, LabelText


def bin_label(code: str, name: str, warehouse: str, width_mm: float = 50.8) -> Label:
    """A 2" x 1" label (the product labels' roll): code, name and warehouse, barcode."""
    height_mm = 25.4
    return Label(
        width_mm,
        height_mm,
        (
            LabelText(2, 1.2, code, height_mm=4.2, width_mm=width_mm - 4, bold=True),
            LabelText(2, 6.6, f"{name} · {warehouse}", height_mm=2.4, width_mm=width_mm - 4),
            LabelBarcode(
                1, 10.6, code, "CODE128", height_mm=10, module_mm=0.375, width_mm=width_mm - 2
            ),
        ),
    )
