"""What a scan at the fulfilment bench is."""

from __future__ import annotations

import pytest

from app.services.fulfilment.bench import scan_kind


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("PL-000012", "pick_list"),
        (" pl12 ", "pick_list"),
        ("RMA-000001", "return"),
        ("rma-000001", "return"),
        ("SO-000251", "order"),
        ("4006381333931", "other"),  # an item
        ("GUI-A-01", "other"),  # a bin label
    ],
)
def test_scan_kind(code, kind):
    assert scan_kind(code) == kind
