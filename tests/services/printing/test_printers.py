"""A workstation's printers: settings checked, preview printers on a fresh install."""

from __future__ import annotations

import pytest

from app.core.errors import ValidationError
from app.services.printing import printers
from app.services.printing.printers import PrinterInput

WS = "till-1"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PrinterInput("P", "http://x", "receipt"), "uri"),
        (PrinterInput("P", "preview:", "fax"), "role"),
        (PrinterInput("P", "preview:", "receipt", language="zpl"), "language"),
        (PrinterInput("P", "preview:", "receipt", paper_width_mm=62), "paper_width_mm"),
        (PrinterInput("P", "preview:", "label", dpi=150), "dpi"),
        (PrinterInput("P", "preview:", "receipt", profile="nope"), "profile"),
        (PrinterInput("", "preview:", "receipt"), "Printer name"),
    ],
)
def test_bad_printer_settings_are_refused(database, admin, data, field):
    with database.write() as s, pytest.raises(ValidationError) as err:
        printers.add_printer(s, admin, WS, data)
    assert err.value.field == field


def test_fresh_workstation_gets_preview_printers(database, admin):
    with database.write() as s:
        printer = printers.default_printer(s, "new-till", "receipt")
        assert printer.uri == "preview:"
        assert {p.role for p in printers.list_printers(s, "new-till")} == {
            "receipt",
            "label",
            "document",
        }
