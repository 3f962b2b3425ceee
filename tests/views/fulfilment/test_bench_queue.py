"""The bench queue: steps run one at a time, in the order they came; the next starts
only when the one before has reported back, and a step may answer on the spot."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from app.views.fulfilment.bench_queue import BenchQueue
from app.views.ops import op, query


def test_steps_run_one_after_another_in_order(qtbot, ctx, settle):
    owner = QWidget()
    qtbot.addWidget(owner)
    bench = BenchQueue()
    events: list[str] = []
    first_may_end = threading.Event()

    def work(name: str, hold: threading.Event | None = None):
        def in_worker(_session):
            events.append(f"start {name}")
            if hold is not None:
                assert hold.wait(10)
            return name

        return in_worker

    def step(name: str, hold: threading.Event | None = None):
        def start():
            events.append(f"step {name}")
            return query(owner, ctx, work(name, hold)).on_success(
                lambda done: events.append(f"end {done}")
            )

        return start

    bench.submit(step("one", first_may_end))
    bench.submit(step("two"))
    bench.submit(lambda: events.append("on the spot") or None)  # noqa: PLW0108
    bench.submit(step("three"))
    qtbot.waitUntil(lambda: "start one" in events)
    qtbot.wait(50)
    assert bench.busy and events == ["step one", "start one"]  # the rest wait their turn
    first_may_end.set()
    settle()
    assert events == [
        "step one",
        "start one",
        "end one",
        "step two",
        "start two",
        "end two",
        "on the spot",
        "step three",
        "start three",
        "end three",
    ]
    assert not bench.busy


def test_a_refused_step_lets_the_next_run_and_a_step_may_queue_another(qtbot, ctx, settle):
    owner = QWidget()
    qtbot.addWidget(owner)
    bench = BenchQueue()
    said: list[str] = []

    def refused():
        from app.core.errors import ValidationError

        def work(_session):
            raise ValidationError("Wrong bin.")

        return op(owner, ctx, work).message(said.append)

    def queues_another():
        bench.submit(lambda: query(owner, ctx, lambda _s: "later").on_success(said.append))
        return query(owner, ctx, lambda _s: "first").on_success(said.append)

    bench.submit(refused)
    bench.submit(queues_another)
    settle()
    assert said == ["Wrong bin.", "first", "later"]
