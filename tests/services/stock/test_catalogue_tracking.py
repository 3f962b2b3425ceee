"""A product's tracking (none, lots with expiry, serial numbers): set on create and edit,
refused in words when unknown, and kept while lots or serials are on hand."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.models import Product
from app.services.stock import catalogue, lots
from app.services.stock.catalogue import ProductInput
from app.services.stock.inventory import MoveRef
from tests import factories


def test_tracking_set_changed_and_kept_while_lots_are_on_hand(database, admin):
    with database.write() as s:
        pid = catalogue.create_product(
            s, admin, ProductInput("TRK-1", "Vials", 900, tracking="serial")
        )
        assert s.get(Product, pid).tracking == "serial"
        catalogue.update_product(s, admin, pid, tracking="lot")  # nothing on hand yet
        lots.receive_lot(
            s, admin, s.get(Product, pid), factories.main_bin(s), 3, "V-1", None, MoveRef()
        )
    for other in ("none", "serial"):
        with database.write() as s, pytest.raises(ValidationError, match="3 unit"):
            catalogue.update_product(s, admin, pid, tracking=other)
    with database.write() as s:
        catalogue.update_product(s, admin, pid, tracking="lot", name="Vials (10)")  # unchanged
        assert s.get(Product, pid).tracking == "lot"


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=12).filter(lambda t: t not in catalogue.TRACKING), st.none(), st.integers()
    )
)
def test_an_unknown_tracking_is_refused_in_words(database, admin, value):
    with database.write() as s, pytest.raises(ValidationError, match="Tracking is one of"):
        catalogue.create_product(s, admin, ProductInput("TRK-X", "Odd", 100, tracking=value))
