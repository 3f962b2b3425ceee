"""The row-cached paged model on its own: pages arrive in the background as the view asks
for more, stale rows are re-read by id, and a row that cannot keep its place reloads."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget

from app.services.sales import order_actions, order_detail
from app.services.sales.order_list import OrderQuery, list_orders, order_rows
from app.views.cached_rows import CachedPageModel
from app.views.table_models import Column

COLUMNS = [Column("Number", lambda r: r.number), Column("Status", lambda r: r.status)]


def _model(qtbot, ctx, **options) -> CachedPageModel:
    owner = QWidget()
    qtbot.addWidget(owner)
    asked: list[list[int]] = options.pop("asked", [])

    def rows(session, ids):
        asked.append(list(ids))
        return order_rows(session, ids)

    return CachedPageModel(
        COLUMNS,
        owner,
        ctx,
        lambda s, offset, limit: list_orders(s, OrderQuery(), offset, limit),
        rows,
        **options,
    )


def test_pages_arrive_in_the_background_as_the_view_asks(qtbot, qtmodeltester, ctx, settle):
    model = _model(qtbot, ctx, page_size=100)
    assert model.rowCount() == 0 and not model.canFetchMore()
    model.refresh()
    settle()
    assert model.rowCount() == 100 and model.canFetchMore()
    model.fetchMore()
    assert not model.canFetchMore()  # one page in flight at a time
    model.fetchMore()  # asked again while loading: nothing more
    settle()
    assert model.rowCount() == 200
    model.fetchMore()
    settle()
    assert model.rowCount() == 250 and not model.canFetchMore()
    assert [model.row(i).number for i in (0, 249)] == ["SO-000250", "SO-000001"]
    assert model.shown_ids() == {model.row(i).id for i in range(250)}
    qtmodeltester.check(model)


def test_stale_rows_are_re_read_in_one_batch_and_others_are_left_alone(qtbot, ctx, settle):
    asked: list[list[int]] = []
    model = _model(qtbot, ctx, asked=asked)
    model.refresh()
    settle()
    first, second = model.row(3), model.row(7)
    assert not model.mark_stale([999_999])  # not on the page: nothing to read
    settle()
    assert asked == []
    changed = []
    model.dataChanged.connect(lambda top, bottom: changed.append((top.row(), bottom.row())))
    with ctx.database.write() as s:
        order_actions.add_note(s, ctx.actor, first.id, "rang twice")
    assert model.mark_stale([second.id, first.id, 999_999])
    assert model.mark_stale([first.id])  # marked again while the batch is in flight
    settle()
    assert asked[0] == sorted([first.id, second.id])
    assert all(ids == [first.id] for ids in asked[1:])  # ...read once more, alone
    assert {row for row, _ in changed} == {3, 7}
    assert model.row(3) == first  # the list's columns did not change: the same row again


def test_a_row_that_cannot_keep_its_place_reloads_the_page(qtbot, ctx, settle):
    def keeps(old, new):
        return new is not None and new.status == old.status

    model = _model(qtbot, ctx, keeps_place=keeps)
    model.refresh()
    settle()
    position = next(i for i in range(200) if model.row(i).status == "new")
    row = model.row(position)
    with ctx.database.write() as s:
        order_actions.hold(
            s, ctx.actor, row.id, "address unclear", order_detail.get_order(s, row.id).version
        )
    with qtbot.waitSignal(model.reloaded), qtbot.waitSignal(model.modelReset):
        model.mark_stale([row.id])
    settle()
    assert model.row(position) == replace(row, status="on_hold") and model.rowCount() == 200
