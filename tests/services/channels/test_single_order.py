"""single_order.take (the push API's and the webhooks' path) writes what import_parsed
writes for a body of one order: every order of every test file taken one a transaction
both ways into two identical stores leaves the same verdicts and the same rows
(customers found or made, addresses, search words, orders, lines, timeline, e-mails,
audit lines), apart from what is random or a clock's. Then the same orders again
(duplicates), changed (reported, not applied), and one statement count. SQLite and
PostgreSQL."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from sqlalchemy import event

from app import db
from app.core import auth
from app.core.settings import set_setting
from app.services.channels import formats, order_import, single_order, sources
from app.services.channels.external import ExternalOrder, Parsed
from tests.services.channels import test_bulk_writer
from tests.services.channels.test_bulk_writer import FILES, IMPORTS, SHARED, TABLES, _rows

two_stores = test_bulk_writer.two_stores  # two identical fresh stores (a fixture)


def _orders(folder: Path) -> list[tuple[str, str, str, ExternalOrder]]:
    found = []
    for name, fmt, currency in IMPORTS:
        _chosen, parsed = formats.read_file(folder / name, fmt, {}, currency)
        found += [(name, fmt, currency, order) for order in parsed.orders]
    return found


def _take_all(
    database: db.Database,
    admin: auth.Actor,
    orders: list[tuple[str, str, str, ExternalOrder]],
    single: bool,
) -> list[str]:
    outcomes = []
    for name, fmt, currency, order in orders:
        with database.write() as s:
            set_setting(s, admin, "currency", currency)
        with database.write() as s:
            source = sources.source_named(s, fmt)
            if single:
                taken = single_order.take(s, admin, source, fmt, order)
                result = taken.result
            else:
                result = order_import.import_parsed(s, admin, source, fmt, Parsed([order]))
        outcomes += [
            f"{name} {v.reference} {v.outcome} {v.number} {v.reasons} {v.rows} {result.written}"
            for v in result.verdicts
        ]
    return outcomes


def test_single_and_import_paths_write_the_same_rows(two_stores, tmp_path):
    for name, _fmt, _currency in IMPORTS[:-1]:
        shutil.copy(FILES / name, tmp_path / name)
    (tmp_path / "shared_emails.csv").write_text(SHARED, encoding="utf-8")
    orders = _orders(tmp_path)
    (bulk_db, bulk_admin), (one_db, one_admin) = two_stores
    bulk = _take_all(bulk_db, bulk_admin, orders, single=False)
    one = _take_all(one_db, one_admin, orders, single=True)
    assert bulk == one
    outcomes = " ".join(bulk)
    for outcome in (" new SO-", " refused ", " skipped "):
        assert outcome in outcomes, "\n".join(bulk)
    bulk_rows, one_rows = _rows(bulk_db), _rows(one_db)
    for table in TABLES:
        assert bulk_rows[table] == one_rows[table], table
    # the same orders again: duplicates; changed at the source: reported, left as it was
    changed = [
        (name, fmt, currency, replace(order, email="changed@example.org"))
        for name, fmt, currency, order in orders
    ]
    again = orders + changed
    bulk = _take_all(bulk_db, bulk_admin, again, single=False)
    one = _take_all(one_db, one_admin, again, single=True)
    assert bulk == one
    assert " duplicate SO-" in " ".join(one) and " changed SO-" in " ".join(one)
    assert " new " not in " ".join(one)
    bulk_rows, one_rows = _rows(bulk_db), _rows(one_db)
    for table in TABLES:
        assert bulk_rows[table] == one_rows[table], table


def test_an_order_of_a_known_customer_is_a_handful_of_statements(two_stores, tmp_path):
    (tmp_path / "shared_emails.csv").write_text(SHARED, encoding="utf-8")
    _chosen, parsed = formats.read_file(tmp_path / "shared_emails.csv", "mapped", {}, "EUR")
    first, order = parsed.orders[2], parsed.orders[0]  # a new customer's, then Eva's
    assert order.email.lower().startswith("eva@")
    database, admin = two_stores[0]
    with database.write() as s:
        set_setting(s, admin, "currency", "EUR")
    with database.write() as s:  # the shipping item is made on the first order's first use
        single_order.take(s, admin, sources.source_named(s, "mapped"), "mapped", first)
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.write() as s:
            source = sources.source_named(s, "mapped")
            del sent[:]
            taken = single_order.take(s, admin, source, "mapped", order)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert taken.verdict.outcome == "new"
    # products, settings, customer, number, order, lines, the e-mail settings, outbox,
    # timeline; at commit the audit chain's three (head, entries, head), and on PostgreSQL
    # the NOTIFY (on SQLite the read of (source, external id) before the insert instead)
    assert len(sent) <= 14, "\n".join(sent)
