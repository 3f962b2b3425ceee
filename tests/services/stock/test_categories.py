"""app/services/stock/categories.py's management on SQLite and PostgreSQL: add, rename,
move and delete an empty category, each refused in words when it would break the tree;
the products list filtered by a category takes in its sub-categories."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core import changes
from app.core.auth import Role
from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.models import AuditEntry, Category
from app.services.stock import catalogue, categories, products
from app.services.stock.products import BulkEdit, ProductForm
from tests.conftest import role_actor


def _paths(database, admin) -> dict[str, int]:
    with database.read() as s:
        return {n.path: n.products for n in categories.tree(s, admin)}


def _ids(database) -> dict[str, int]:
    with database.read() as s:
        loaded = categories.CategoryTree.load(s)
        return {loaded.path(cid): cid for cid in s.scalars(select(Category.id))}


def _product(database, admin, sku, category="") -> int:
    with database.write() as s:
        return products.save(s, admin, ProductForm(sku, f"Item {sku}", 100, category=category))


def test_add_rename_move_and_delete(database, admin):
    seen: list[changes.ChangeSet] = []
    changes.subscribe(seen.append)
    try:
        with database.write() as s:
            drinks = categories.add_category(s, admin, "  Drinks ")
            tea = categories.add_category(s, admin, "Tea", drinks)
            categories.add_category(s, admin, "Green", tea)
    finally:
        changes.unsubscribe(seen.append)
    assert categories.CHANGED in seen[-1].kinds
    _product(database, admin, "T-1", "Drinks > Tea > Green")
    assert _paths(database, admin) == {
        "Drinks": 0,
        "Drinks > Tea": 0,
        "Drinks > Tea > Green": 1,
    }
    with database.write() as s:
        categories.rename_category(s, admin, tea, "Teas")
        categories.move_category(s, admin, tea, None)
    assert _paths(database, admin) == {"Drinks": 0, "Teas": 0, "Teas > Green": 1}
    with database.write() as s:
        categories.delete_category(s, admin, drinks)
    assert _paths(database, admin) == {"Teas": 0, "Teas > Green": 1}
    with database.read() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("category.%"))
        ).all()
    assert sorted(set(actions)) == [
        "category.added",
        "category.deleted",
        "category.moved",
        "category.renamed",
    ]


def test_what_would_break_the_tree_is_refused_in_words(database, admin):
    with database.write() as s:
        coffee = categories.add_category(s, admin, "Coffee")
        beans = categories.add_category(s, admin, "Beans", coffee)
        categories.add_category(s, admin, "Tea")
    _product(database, admin, "B-1", "Coffee > Beans")
    cases = [
        (lambda s: categories.add_category(s, admin, "coffee"), "a category 'coffee' in the top"),
        (lambda s: categories.add_category(s, admin, "A > B"), "no '>'"),
        (lambda s: categories.add_category(s, admin, " "), "required"),
        (lambda s: categories.rename_category(s, admin, beans, "BEANS "), None),
        (lambda s: categories.move_category(s, admin, coffee, beans), "under itself"),
        (lambda s: categories.move_category(s, admin, coffee, coffee), "under itself"),
        (lambda s: categories.rename_category(s, admin, coffee, "tea"), "'tea' in the top level"),
        (lambda s: categories.delete_category(s, admin, beans), "holds 1 product"),
        (lambda s: categories.delete_category(s, admin, coffee), "categories under it"),
    ]
    for work, words in cases:
        with database.write() as s:
            if words is None:
                work(s)  # its own name in another case: allowed
                continue
            with pytest.raises(ValidationError, match=words):
                work(s)
    with database.write() as s, pytest.raises(NotFound, match="no longer exists"):
        categories.delete_category(s, admin, 999_999)
    assert set(_paths(database, admin)) == {"Coffee", "Coffee > BEANS", "Tea"}


def test_the_depth_stays_within_ten_levels(database, admin):
    parent = None
    with database.write() as s:
        for level in range(categories.MAX_DEPTH):
            parent = categories.add_category(s, admin, f"L{level}", parent)
        other = categories.add_category(s, admin, "Other")
        categories.add_category(s, admin, "Below", other)
    with database.write() as s, pytest.raises(ValidationError, match="at most 10 levels"):
        categories.add_category(s, admin, "Deeper", parent)
    with database.write() as s, pytest.raises(ValidationError, match="at most 10 levels"):
        categories.move_category(
            s, admin, other, _ids(database)["L0 > L1 > L2 > L3 > L4 > L5 > L6 > L7 > L8"]
        )


def test_the_list_filtered_by_a_category_takes_in_what_is_under_it(database, admin):
    a = _product(database, admin, "A-1", "Coffee")
    b = _product(database, admin, "B-1", "Coffee > Beans")
    c = _product(database, admin, "C-1", "Tea")
    d = _product(database, admin, "D-1")
    ids = _ids(database)
    with database.read() as s:

        def page(text, category):
            return [r.id for r in catalogue.products_page(s, text, 0, 50, category)]

        assert page("", ids["Coffee"]) == [a, b]
        assert page("", ids["Coffee > Beans"]) == [b]
        assert page("item", ids["Coffee"]) == [a, b]  # words and a category together
        assert page("item", ids["Tea"]) == [c]
        assert page("", None) == [a, b, c, d]
        assert page("D-1", ids["Tea"]) == [d]  # an exact code is found wherever it is
        assert page("", 999_999) == []  # a category deleted meanwhile holds nothing


def test_bulk_set_category_and_clear_it(database, admin):
    a = _product(database, admin, "A-1")
    b = _product(database, admin, "B-1", "Old")
    with database.write() as s:
        assert products.bulk_edit(s, admin, [a, b], BulkEdit(category="New > Shelf")) == 2
    assert _paths(database, admin) == {"New": 0, "New > Shelf": 2, "Old": 0}
    with database.write() as s:
        products.bulk_edit(s, admin, [a, b], BulkEdit(category=""))
    assert _paths(database, admin) == {"New": 0, "New > Shelf": 0, "Old": 0}


def test_managing_needs_catalogue_edit(database, admin):
    cashier = role_actor(Role.CASHIER)
    with database.write() as s, pytest.raises(PermissionDenied):
        categories.add_category(s, cashier, "Coffee")
    assert _paths(database, admin) == {}
