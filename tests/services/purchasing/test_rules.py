"""app/services/purchasing/rules.py: one rule per product and warehouse, checked in words;
the supplier by code or name, else the product's only or cheapest; a paged list."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.auth import Role
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.models import ReorderRule
from app.services.purchasing import rules
from app.services.purchasing.rules import RuleInput
from tests.conftest import role_actor
from tests.services.purchasing import reorder_case


def test_set_updates_in_place_and_names_the_supplier(database, admin):
    reorder_case.build(database, admin)
    with database.write() as s:
        first = rules.set_rule(s, admin, RuleInput("a-1", "main", 1, 9, 3, "Bolt Ltd", 2))
        again = rules.set_rule(s, admin, RuleInput("A-1", "MAIN", 2, 10))  # keeps Bolt, 2 days
        new = rules.set_rule(s, admin, RuleInput("A-1", "WEST", 2, 10))  # the cheapest: ACME
    with database.read() as s:
        listed = {r.sku: r for r in rules.list_rules(s, role_actor(Role.CLERK), "MAIN")}
        assert s.scalar(select(func.count()).select_from(ReorderRule)) == 8
        west = {r.sku: r for r in rules.list_rules(s, admin, "WEST")}
    assert first == again != new
    row = listed["A-1"]
    assert (row.min_qty, row.max_qty, row.multiple, row.supplier) == (2, 10, 1, "Bolt Ltd")
    assert row.lead_time_days == 2
    assert (west["A-1"].supplier, west["A-1"].lead_time_days) == ("ACME", 5)  # ACME's
    assert listed["N-1"].supplier == ""
    with database.read() as s:
        page = rules.list_rules(s, admin, offset=2, limit=2)
    assert [(r.sku, r.supplier) for r in west.values()] == [("A-1", "ACME"), ("B-1", "Bolt Ltd")]
    assert [r.sku for r in page] == ["A-3", "K-1"]  # MAIN's rules by SKU, the third and fourth


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (RuleInput("A-1", "MAIN", 5, 4), "maximum \\(4\\) must be at least the minimum \\(5\\)"),
        (RuleInput("A-1", "MAIN", 1, 4, 0), "Multiple must be from 1"),
        (RuleInput("A-1", "MAIN", -1, 4), "Minimum must be from 0"),
        (RuleInput("A-1", "MAIN", 1.5, 4), "Minimum must be a whole number"),  # type: ignore[arg-type]
        (RuleInput("A-1", "MAIN", True, 4), "Minimum must be a whole number"),  # type: ignore[arg-type]
        (RuleInput("NOPE", "MAIN", 1, 4), "no product with SKU NOPE"),
        (RuleInput("A-1", "EAST", 1, 4), "no warehouse EAST"),
        (RuleInput("A-1", "MAIN", 1, 4, 1, "ZED"), "no supplier ZED"),
        (RuleInput("A-1", "MAIN", 1, 4, 1, "", 400), "Lead time must be from 0 to 365"),
    ],
)
def test_bad_rules_are_refused_in_words(database, admin, data, words):
    reorder_case.build(database, admin)
    with database.write() as s, pytest.raises(ValidationError, match=words):
        rules.set_rule(s, admin, data)


def test_remove_and_who_may(database, admin):
    reorder_case.build(database, admin)
    with database.write() as s:
        rules.remove_rule(s, admin, "K-1", "MAIN")
        with pytest.raises(NotFound, match="K-1 has no reorder rule in MAIN"):
            rules.remove_rule(s, admin, "K-1", "MAIN")
    with database.write() as s, pytest.raises(PermissionDenied):
        rules.set_rule(s, role_actor(Role.CLERK), RuleInput("K-1", "MAIN", 1, 2))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    low=st.one_of(st.integers(-5, 2_000_000), st.floats(), st.text(max_size=3), st.none()),
    high=st.one_of(st.integers(-5, 2_000_000), st.booleans()),
    multiple=st.integers(-2, 50),
)
def test_any_numbers_are_a_rule_or_a_refusal(sqlite_db, low, high, multiple):
    """Typed input: whatever is given, a rule that keeps its CHECKs, or ValidationError."""
    with sqlite_db.write() as s:
        nested = s.begin_nested()
        try:
            rules.clean_rule(s, RuleInput("X", "MAIN", low, high, multiple))
        except ValidationError as exc:
            assert exc.message
        nested.rollback()
