"""The fulfilment queue's list model: pages read in the background, the next one as the
view scrolls, and the answer to a query that was replaced meanwhile dropped."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.views.fulfilment.queue_model import BackgroundPageModel
from app.views.table_models import Column


def _rows(prefix: str, total: int):
    return lambda _s, offset, limit: [
        f"{prefix}{n}" for n in range(offset, min(total, offset + limit))
    ]


def test_pages_arrive_in_the_background(qtbot, qtmodeltester, ctx, settle):
    owner = QWidget()
    qtbot.addWidget(owner)
    said: list[str] = []
    model = BackgroundPageModel([Column("Row", str)], owner, ctx, said.append, page_size=2)
    assert model.rowCount() == 0 and not model.canFetchMore()
    model.set_source(_rows("a", 5))
    assert model.rowCount() == 0  # not read on the GUI thread
    settle()
    assert model.rows() == ["a0", "a1"] and model.canFetchMore()
    model.fetchMore()
    assert not model.canFetchMore()  # one page in flight
    settle()
    model.fetchMore()
    settle()
    assert model.rows() == ["a0", "a1", "a2", "a3", "a4"] and not model.canFetchMore()
    qtmodeltester.check(model)
    model.set_source(_rows("b", 9))
    model.set_source(_rows("c", 1))  # replaced before the answer: b's is dropped
    settle()
    assert model.rows() == ["c0"] and not model.canFetchMore() and said == []
