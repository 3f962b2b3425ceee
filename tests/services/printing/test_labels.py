"""Shelf labels for chosen products, a quantity each, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import NotFound, ValidationError
from app.models import PrintJob
from app.services.printing import labels, printers
from app.services.printing.printers import PrinterInput
from tests import factories


def _job(database, job_id):
    with database.read() as s:
        return s.scalar(select(PrintJob).where(PrintJob.id == job_id))


def test_labels_with_a_quantity_each_in_one_job(database, admin):
    mug = factories.product(database, admin, price=1299, name="Blue enamel mug")
    apron = factories.product(database, admin, price=2450, name="Linen apron")
    skipped = factories.product(database, admin, name="Not this one")
    with database.write() as s:
        job_id = labels.print_product_labels(
            s, admin, "till-1", [(mug, 3), (apron, 1), (skipped, 0)]
        )
    job = _job(database, job_id)
    assert job.document == "product-labels"
    assert job.payload.count(b"\x1dV") == 4  # ESC/POS preview label printer: a cut per label
    with database.write() as s:
        zpl = printers.add_printer(
            s, admin, "till-2", PrinterInput("Zebra", "preview:", "label", "zpl")
        )
        job_id = labels.print_product_labels(s, admin, "till-2", [(mug, 3), (apron, 2)])
    payload = _job(database, job_id).payload.decode()
    assert (payload.count("^XA"), payload.count("^PQ3"), payload.count("^PQ2")) == (2, 1, 1)
    assert "Blue enamel mug" in payload and zpl


@pytest.mark.parametrize(
    ("quantities", "error", "message"),
    [
        ([], ValidationError, "at least one product"),
        ([(1, 0)], ValidationError, "at least one product"),
        ([(1, 1000)], ValidationError, "between 1 and 999"),
        ([(1, -2)], ValidationError, "between 1 and 999"),
        ([(999_999, 1)], NotFound, "does not exist"),
    ],
)
def test_bad_label_requests_queue_nothing(database, admin, quantities, error, message):
    with database.write() as s, pytest.raises(error, match=message):
        labels.print_product_labels(s, admin, "till-1", quantities)
    with database.read() as s:
        assert s.scalar(select(PrintJob.id)) is None
