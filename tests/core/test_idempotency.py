"""No sale counted twice when the COMMIT's answer is lost (issue 13, item 1).

A real TCP proxy on loopback sits between Kestrel and PostgreSQL and cuts the connection
right after the server answered a COMMIT, before the answer reaches Kestrel: on the online
path (the server is reachable again at once) and on the offline path (it is not: the sale
is journaled under its key and synced later). Each ends with exactly one order, one
payment and the stock issued once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app import db
from app.core import auth, idempotency
from app.core.bootstrap import ensure_base_data
from app.core.errors import CommitUncertain, ValidationError
from app.models import GiftCardEntry, IdempotencyKey, OfflineSale, Payment, SalesOrder, StockMove
from app.services.sales import gift_cards, offline, refunds, till
from app.services.sales.cart import Cart
from app.services.sales.counter import Tender, complete_sale
from app.services.stock import catalogue
from app.services.stock.integrity import check
from tests import factories
from tests.pg_proxy import CuttingProxy


def _books(database: db.Database, product_id: int) -> tuple[int, int, int, int]:
    """(orders, payments, done stock moves of the product, units on hand)."""
    with database.read() as s:
        return (
            s.scalar(select(func.count()).select_from(SalesOrder)) or 0,
            s.scalar(select(func.count()).select_from(Payment)) or 0,
            s.scalar(
                select(func.count())
                .select_from(StockMove)
                .where(StockMove.product_id == product_id, StockMove.state == "done")
            )
            or 0,
            sum(r.on_hand for r in catalogue.product_stock(s, product_id)),
        )


def _cart(database: db.Database, product_id: int, quantity: int = 2) -> Cart:
    with database.read() as s:
        sku = catalogue.product_rows(s, [product_id])[0].sku
        cart = Cart()
        cart.add(catalogue.find_by_code(s, sku), quantity)
    return cart


def test_a_sale_retried_under_its_key_is_answered_not_sold_again(database, admin):
    pid = factories.product(database, admin, price=400, stock=10)
    with database.write() as s:
        till.open_session(s, admin, "till-1", 5000, "till-1")
    stocked = _books(database, pid)
    key = idempotency.new_key()
    sales = []
    for _ in range(2):
        with database.write() as s:
            cart = _cart(database, pid)
            sales.append(
                complete_sale(s, admin, cart, [Tender("cash", 1000)], "till-1", "till-1", key=key)
            )
    first, again = sales
    assert (first.replayed, again.replayed) == (False, True)
    assert (again.order_id, again.number, again.total, again.change) == (
        first.order_id,
        first.number,
        first.total,
        first.change,
    )
    assert again.receipt_job_id == first.receipt_job_id
    assert _books(database, pid)[:2] == (stocked[0] + 1, stocked[1] + 1)
    assert _books(database, pid)[3] == stocked[3] - 2
    with database.read() as s, pytest.raises(ValidationError, match="retry key"):
        idempotency.landed(s, "")


@pytest.fixture
def shop(pg_database) -> Iterator[tuple[db.Database, auth.Actor]]:
    from tests.conftest import _empty_pg

    _empty_pg(pg_database)
    with pg_database.write() as s:
        ensure_base_data(s)
        made = auth.create_user(s, None, "admin", "admin-pass", auth.Role.ADMIN, "Ada")
    actor = auth.Actor(made.user_id, "admin", "Ada", auth.Role.ADMIN, "till-9")
    with pg_database.write() as s:
        till.open_session(s, actor, "till-9", 5000, "till-9")
    yield pg_database, actor


@pytest.fixture
def proxied(pg_database) -> Iterator[tuple[db.Database, CuttingProxy]]:
    """The same database, reached through the cutting proxy."""
    url = pg_database.engine.url
    proxy = CuttingProxy(url.host or "127.0.0.1", url.port or 5432)
    through = db.Database.open(url.set(host="127.0.0.1", port=proxy.port))
    yield through, proxy
    through.dispose()
    proxy.close()


@pytest.mark.postgres
def test_a_lost_commit_answer_says_it_may_have_been_saved(shop, proxied):
    database, _admin = shop
    through, proxy = proxied
    proxy.cut_after_commit()
    with pytest.raises(CommitUncertain, match="may have been saved"):
        with through.write() as s:
            auth.create_user(s, auth.SYSTEM, "maybe", "maybe-pass", auth.Role.CLERK, "May")
    assert proxy.commits_cut == 1
    with database.read() as s:  # it was: the old message ("nothing was saved") was false
        assert auth.user_count(s) == 2


@pytest.mark.postgres
def test_online_sale_whose_commit_answer_is_lost_is_counted_once(shop, proxied):
    database, admin = shop
    through, proxy = proxied
    pid = factories.product(database, admin, price=400, stock=10)
    before = _books(database, pid)
    proxy.cut_after_commit()
    key = idempotency.new_key()
    sale = offline.sell_online(
        through, admin, _cart(database, pid), [Tender("cash", 1000)], "till-9", "till-9", key
    )
    assert proxy.commits_cut == 1
    assert sale.replayed  # the till asked; the server had it
    orders, payments, moves, on_hand = _books(database, pid)
    assert (orders, payments, moves) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert on_hand == before[3] - 2
    with database.read() as s:
        assert s.scalar(select(SalesOrder.number).where(SalesOrder.id == sale.order_id))
        assert check(s) == []


@pytest.mark.postgres
def test_offline_sale_whose_commit_answer_is_lost_is_synced_once(shop, proxied, tmp_path):
    database, admin = shop
    through, proxy = proxied
    pid = factories.product(database, admin, price=400, stock=10)
    before = _books(database, pid)
    journal = offline.OfflineJournal(tmp_path / "journal.sqlite")
    cart = _cart(database, pid)
    tenders = [Tender("cash", 1000)]
    key = idempotency.new_key()
    proxy.cut_after_commit(then_refuse=True)  # committed, then the server is away
    with pytest.raises(CommitUncertain, match="may have been saved"):
        offline.sell_online(through, admin, cart, tenders, "till-9", "till-9", key)
    journal.record_sale(cart, tenders, "till-9", "till-9", key=key)  # the SAME key
    assert journal.pending_count() == 1
    proxy.heal()
    report = journal.sync(through, admin)
    assert (report.synced, report.already, report.failed) == (0, 1, [])
    assert journal.pending_count() == 0
    orders, payments, moves, on_hand = _books(database, pid)
    assert (orders, payments, moves) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert on_hand == before[3] - 2
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(IdempotencyKey)) == 1
        assert s.scalar(select(func.count()).select_from(OfflineSale)) == 0
        assert check(s) == []
    journal.close()


@pytest.mark.postgres
def test_a_journal_sale_whose_sync_commit_answer_is_lost_is_not_synced_twice(
    shop, proxied, tmp_path
):
    database, admin = shop
    through, proxy = proxied
    pid = factories.product(database, admin, price=400, stock=10)
    before = _books(database, pid)
    journal = offline.OfflineJournal(tmp_path / "journal.sqlite")
    journal.record_sale(_cart(database, pid), [Tender("card", 800)], "till-9", "till-9")
    proxy.cut_after_commit(skip=1)  # the sync's first look is a read: it commits too
    first = journal.sync(through, admin)  # committed; the answer was lost: kept, retried
    assert proxy.commits_cut == 1 and first.synced == 0 and len(first.failed) == 1
    assert "may have been saved" in first.failed[0]
    second = journal.sync(through, admin)
    assert (second.synced, second.already) == (0, 1)
    assert _books(database, pid)[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)
    journal.close()


@pytest.mark.postgres
def test_gift_card_spend_and_its_refund_apply_once_when_their_answers_are_lost(shop, proxied):
    database, admin = shop
    through, proxy = proxied
    pid = factories.product(database, admin, price=400, stock=10)
    with database.write() as s:
        code = gift_cards.new_code(s)
        gift_cards.issue(s, admin, code, 5000, None)
    before = _books(database, pid)

    proxy.cut_after_commit()  # the spend
    cart = _cart(database, pid)
    sale = offline.sell_online(
        through,
        admin,
        cart,
        [Tender("gift_card", cart.totals()[2], code)],
        "till-9",
        "till-9",
        idempotency.new_key(),
    )
    assert proxy.commits_cut == 1 and sale.replayed
    with database.read() as s:
        assert gift_cards.card_info(s, code).balance == 5000 - 800
        (line,) = refunds.refundable_lines(s, sale.order_id)

    proxy.cut_after_commit()  # the refund back onto the card
    key, refunded = idempotency.new_key(), []
    idempotency.run_once(
        through,
        lambda s: refunded.append(
            refunds.refund_sale(s, admin, sale.order_id, {line.line_id: 2}, "till-9", None, key)
        ),
    )
    assert proxy.commits_cut == 2 and refunded == [800, 800]  # the second is the answer
    with database.read() as s:
        assert gift_cards.card_info(s, code).balance == 5000
        entries = s.scalars(select(GiftCardEntry.amount).order_by(GiftCardEntry.id)).all()
        assert entries == [5000, -800, 800]
        kinds = s.scalars(select(Payment.kind).order_by(Payment.id)).all()
        assert kinds == ["payment", "refund"]
        assert check(s) == []
    assert _books(database, pid)[3] == before[3]  # two out, two back: once each
