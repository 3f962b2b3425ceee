"""A product's category chosen in the editor, on SQLite and PostgreSQL: a path from the
tree, a new path made on save, cleared, refused in words when a level is empty."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.auth import Role, create_user
from app.core.errors import PermissionDenied, ValidationError
from app.models import Category, Product
from app.services.stock import categories, products
from app.services.stock.products import ProductForm


def _save(database, actor, form, product_id=None, version=""):
    with database.write() as s:
        return products.save(s, actor, form, product_id, version)


def _detail(database, actor, pid):
    with database.read() as s:
        return products.detail(s, actor, pid)


def _count(database) -> int:
    with database.read() as s:
        return s.scalar(select(func.count()).select_from(Category))


def test_a_new_path_is_made_on_save_and_an_existing_one_is_reused(database, admin):
    pid = _save(database, admin, ProductForm("BEAN-1", "Beans", 900, category="Coffee > Beans"))
    assert _detail(database, admin, pid).category == "Coffee > Beans"
    assert _count(database) == 2
    form = ProductForm("BEAN-2", "More beans", 900, category="coffee>beans")
    other = _save(database, admin, form)
    assert _detail(database, admin, other).category == "Coffee > Beans"  # the same node
    assert _count(database) == 2
    with database.read() as s:
        assert categories.paths(s, admin) == ["Coffee", "Coffee > Beans"]


def test_moving_and_clearing_the_category_of_a_product(database, admin):
    pid = _save(database, admin, ProductForm("TEA-1", "Tea", 500, category="Tea"))
    before = _detail(database, admin, pid)
    form = ProductForm("TEA-1", "Tea", 500, category="Drinks > Tea")
    _save(database, admin, form, pid, before.version)
    moved = _detail(database, admin, pid)
    assert moved.category == "Drinks > Tea"
    _save(database, admin, ProductForm("TEA-1", "Tea", 500, category=""), pid, moved.version)
    assert _detail(database, admin, pid).category == ""
    with database.read() as s:
        assert s.get(Product, pid).category_id is None


def test_an_empty_level_is_refused_and_nothing_is_written(database, admin):
    with pytest.raises(ValidationError, match="Category") as caught:
        _save(database, admin, ProductForm("X-1", "x", 100, category="Coffee >  > Beans"))
    assert "Category" in caught.value.message
    assert _count(database) == 0
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(Product)) == 0


def test_listing_needs_catalogue_view_and_making_needs_edit(database, admin):
    with database.write() as s:
        packer = create_user(s, admin, "pat", "picker-pass-1", Role.PICKER, "Pat")
    with database.read() as s, pytest.raises(PermissionDenied):
        categories.resolve(s, packer, "Coffee")
    assert _count(database) == 0
