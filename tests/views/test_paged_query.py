"""QueryPageModel: pages arrive from background reads (one in flight), an older query's
answer is dropped, a refusal goes to the screen's message line."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel, QWidget

from app.core.errors import ValidationError
from app.views.paged_query import QueryPageModel
from app.views.table_models import Column


def _model(qtbot, ctx, load, page_size=10):
    owner = QWidget()
    qtbot.addWidget(owner)
    message = QLabel(owner)
    model = QueryPageModel(
        [Column("N", str)], owner, ctx, load, message=message.setText, page_size=page_size
    )
    return model, message


def _numbers(upto, seen=None):
    def load(_session, offset, limit):
        if seen is not None:
            seen.append((offset, limit, threading.current_thread() is threading.main_thread()))
        return list(range(offset, min(offset + limit, upto)))

    return load


def test_pages_arrive_in_the_background_one_at_a_time(qtbot, ctx, settle, qtmodeltester):
    seen = []
    model, _ = _model(qtbot, ctx, _numbers(25, seen))
    model.refresh()
    assert model.rowCount() == 0 and model.loading() and not model.canFetchMore()
    settle()
    assert model.rows() == list(range(10)) and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()  # while one page is on its way, no second
    settle()
    assert model.rows() == list(range(20))
    model.fetchMore()
    settle()
    assert model.rows() == list(range(25)) and not model.canFetchMore()
    assert [(o, n) for o, n, _ in seen] == [(0, 10), (10, 10), (20, 10)]
    assert not any(on_gui for _, _, on_gui in seen)  # never read on the GUI thread
    model.refresh()  # a change notice: as many rows as were shown, in one read
    settle()
    assert model.rows() == list(range(25)) and seen[-1][:2] == (0, 25)
    qtmodeltester.check(model)


def test_an_older_query_answer_is_dropped(qtbot, ctx, settle):
    release = threading.Event()

    def slow(_session, offset, limit):
        release.wait(5)
        return ["old"] * limit

    model, _ = _model(qtbot, ctx, slow)
    model.refresh()
    model.set_source(lambda _s, _offset, _limit: ["new"])
    release.set()
    settle()
    assert model.rows() == ["new"] and not model.loading() and not model.canFetchMore()


def test_a_refusal_goes_to_the_message_line_and_keeps_the_rows(qtbot, ctx, settle):
    model, message = _model(qtbot, ctx, _numbers(3))
    model.refresh()
    settle()

    def refuse(_session, offset, limit):
        raise ValidationError("Type at least two letters.")

    model.set_source(refuse)
    settle()
    assert message.text() == "Type at least two letters."
    assert model.rows() == [0, 1, 2] and not model.loading()


def _rows(prefix: str, total: int):
    return lambda _s, offset, limit: [
        f"{prefix}{n}" for n in range(offset, min(total, offset + limit))
    ]


def test_a_model_without_a_source_waits_then_pages_arrive_in_the_background(
    qtbot, qtmodeltester, ctx, settle
):
    owner = QWidget()
    qtbot.addWidget(owner)
    said: list[str] = []
    model = QueryPageModel([Column("Row", str)], owner, ctx, message=said.append, page_size=2)
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
