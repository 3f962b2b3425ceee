"""All or nothing, whatever the file: hypothesis writes broken CSV and XLSX files (bad
cells, stray quotes, extra cells, control characters, bytes dropped in), and an import
without skip-bad either writes every row or none, never part of a file or of a row."""

from __future__ import annotations

import uuid

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core import auth
from app.core.errors import ValidationError
from app.models import Barcode, Product
from app.services.transfer import imports
from tests.factories import make_ean

HEAD = ["SKU", "Name", "Price", "Tax %", "Barcode"]
GOOD_PRICE = st.sampled_from(["1.00", "12,50", "€3.20", "1.234,50", "0"])
BAD_PRICE = st.sampled_from(["-1", "abc", "1e9", "12.345", "", "(5)"])
NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12)
TAX = st.sampled_from(["0", "23", "13.5", "101", "-3", "x"])
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def rows(draw, prefix):
    count = draw(st.integers(1, 12))
    out = []
    for i in range(count):
        price = draw(st.one_of(GOOD_PRICE, BAD_PRICE))
        code = draw(st.sampled_from(["", make_ean(900_000 + i), "4006381333932", "X Y"]))
        row = [f"{prefix}-{i}", draw(NAME), price, draw(TAX), code]
        if draw(st.booleans()) and draw(st.booleans()):
            row.append(draw(NAME))  # an extra cell past the header
        out.append(row)
    return out


def count(database, prefix):
    with database.read() as s:
        products = s.scalar(select(func.count(Product.id)).where(Product.sku.like(f"{prefix}-%")))
        codes = s.scalar(
            select(func.count(Barcode.id))
            .join(Product, Product.id == Barcode.product_id)
            .where(Product.sku.like(f"{prefix}-%"))
        )
    return products, codes


def attempt(database, path, prefix, expected_rows):
    actor = auth.SYSTEM
    try:
        with database.read() as s:
            preview = imports.preview(s, actor, "products", path)
        with database.write() as s:
            result = imports.apply(s, actor, preview)
    except imports.ImportRefused as refused:
        assert refused.result.refused_total > 0
        assert count(database, prefix) == (0, 0)
        return
    except ValidationError:  # the file as a whole cannot be read: nothing either
        assert count(database, prefix) == (0, 0)
        return
    assert result.refused_total == 0
    products, _codes = count(database, prefix)
    assert products == result.added <= expected_rows


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 3)  # early chunks are written before a bad one


@SETTINGS
@given(data=st.data())
def test_broken_csv_writes_all_or_nothing(sqlite_db, tmp_path, small_chunks, data):
    prefix = uuid.uuid4().hex[:8]
    body = data.draw(rows(prefix))
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=data.draw(st.sampled_from([",", ";"]))).writerows([HEAD, *body])
    text = out.getvalue()
    if data.draw(st.booleans()):  # damage: a stray quote, a NUL, a lone CR, a BOM inside
        at = data.draw(st.integers(len(text) // 3, len(text)))
        text = (
            text[:at] + data.draw(st.sampled_from(['"', "\x00", "\r", "\ufeff", ";;"])) + text[at:]
        )
    path = tmp_path / f"{prefix}.csv"
    path.write_bytes(
        text.encode(data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")
    )
    attempt(sqlite_db, path, prefix, len(body))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_broken_xlsx_writes_all_or_nothing(sqlite_db, tmp_path, small_chunks, data):
    prefix = uuid.uuid4().hex[:8]
    body = data.draw(rows(prefix))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    for row in body:
        sheet.append(["".join(ch for ch in c if ch.isprintable()) for c in row])
    damage = data.draw(st.sampled_from(["none", "formula", "merge", "number"]))
    last = len(body) + 1
    if damage == "formula":
        sheet.cell(row=last, column=3, value="=1+1")
    elif damage == "merge":
        sheet.merge_cells(f"B{last}:C{last}")
    elif damage == "number":
        sheet.cell(row=last, column=3, value=-4.5)
    path = tmp_path / f"{prefix}.xlsx"
    book.save(path)
    attempt(sqlite_db, path, prefix, len(body))
