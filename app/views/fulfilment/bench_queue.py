"""The bench's scans and keys, one at a time, in the order they came.

Each scan is a write on a worker thread (views/ops.py), and its answer comes back a
moment later; a scanner does not wait. A scan that arrives while one is in flight waits
here and starts when that one has reported back, so three items scanned back to back
count three, in order, each against the state the one before left — never dropped, never
reordered. The bench's keys (F6, F10, F12 …) queue behind scans the same way: F10 right
after the last item packs that item first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from app.views.ops import Op

# A step starts its operation (not yet run; the queue runs it and owns its `finally_`),
# or returns None when it had nothing to ask the database (it answered on the spot).
Step = Callable[[], "Op[Any] | None"]


class BenchQueue:
    def __init__(self) -> None:
        self._waiting: deque[Step] = deque()
        self._running = False

    @property
    def busy(self) -> bool:
        """A step is in flight (or waiting)."""
        return self._running or bool(self._waiting)

    def submit(self, step: Step) -> None:
        self._waiting.append(step)
        if not self._running:
            self._next()

    def _next(self) -> None:
        # While a step decides (or its operation runs) the queue counts as running, so a
        # step that submits another only queues it behind itself.
        while self._waiting and not self._running:
            step = self._waiting.popleft()
            self._running = True
            try:
                started = step()
            except BaseException:
                self._running = False
                raise
            if started is None:
                self._running = False
                continue
            started.finally_(self._done).run()

    def _done(self) -> None:
        self._running = False
        self._next()
