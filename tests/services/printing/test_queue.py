"""The persistent print queue against the emulator over real TCP, with injected faults."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select

from app import db
from app.admin.emulator import Faults, PrinterEmulator
from app.models import PrintJob
from app.printing.copies import mark_copy
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.printing import worker as print_worker
from app.services.printing.printers import PrinterInput
from app.services.printing.worker import PrintWorker
from app.services.sales import order_detail, order_entry
from app.services.sales.order_entry import LineInput, OrderInput
from tests import factories

WS = "till-1"


def _printer(database, admin, uri, role="receipt"):
    with database.write() as s:
        return printers.add_printer(s, admin, WS, PrinterInput("Counter", uri, role))


def _enqueue(database, admin, printer_id, payloads, order_id=None):
    with database.write() as s:
        return [printing.enqueue(s, admin, printer_id, "receipt", p, order_id) for p in payloads]


def _states(database):
    with database.read() as s:
        return [j.state for j in printing.list_jobs(s, WS, limit=10_000)]


def _drain(worker, database, count, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with database.read() as s:
            if printing.pending_count(s, WS) == 0:
                return
        worker.wake()
        time.sleep(0.05)
    raise AssertionError(f"queue not drained: {_states(database)[:20]}")


def test_500_jobs_under_faults_arrive_in_order_exactly_once_across_a_restart(
    database, admin, tmp_path
):
    faults = Faults(refuse=0.1, stall=0.03, reset=0.1, stall_seconds=0.4)
    with PrinterEmulator(port=0, faults=faults, seed=42) as printer:
        printer_id = _printer(database, admin, printer.uri + "?timeout=0.3")
        payloads = [f"JOB {n:04d}\n".encode() for n in range(500)]
        _enqueue(database, admin, printer_id, payloads)
        first = PrintWorker(database, WS, backoff_base=0.005, backoff_max=0.05, idle_poll=0.02)
        first.start()
        while len(printer.jobs) < 200:
            time.sleep(0.02)
        first.stop()  # the app closes in the middle of the run
        reopened = db.Database.open(database.engine.url)  # and starts again
        second = PrintWorker(reopened, WS, backoff_base=0.005, backoff_max=0.05, idle_poll=0.02)
        second.start()
        try:
            _drain(second, reopened, 500)
        finally:
            second.stop()
            reopened.dispose()
        assert printer.jobs == payloads  # all, in order, each exactly once
        assert printer.connections > 500  # faults really happened
    with database.read() as s:
        jobs = printing.list_jobs(s, WS, limit=1000)
    assert {j.state for j in jobs} == {"done"}
    assert max(j.attempts for j in jobs) > 1


def test_printer_off_delays_the_job_and_never_loses_it(database, admin):
    with PrinterEmulator(port=0) as probe:
        port = probe.port
    printer_id = _printer(database, admin, f"tcp://127.0.0.1:{port}?timeout=1")
    _enqueue(database, admin, printer_id, [b"RECEIPT 1\n", b"RECEIPT 2\n"])
    worker = PrintWorker(database, WS, backoff_base=0.01, backoff_max=0.05, idle_poll=0.02)
    assert worker.run_once()
    with database.read() as s:
        waiting = printing.list_jobs(s, WS)
    first = [j for j in waiting if j.attempts][0]
    assert first.state == "queued" and "refused the connection" in first.last_error
    assert _states(database) == ["queued", "queued"]
    with PrinterEmulator(port=port) as printer:  # switched on again
        worker.start()
        try:
            _drain(worker, database, 2)
        finally:
            worker.stop()
        assert printer.jobs == [b"RECEIPT 1\n", b"RECEIPT 2\n"]


def test_order_print_is_on_the_timeline_and_can_be_reprinted(database, admin, emulator):
    pid = factories.product(database, admin, stock=5)
    with database.write() as s:
        ref = order_entry.create_order(s, admin, OrderInput("counter", (LineInput(pid, 1),)))
    printer_id = _printer(database, admin, emulator.uri)
    (job_id,) = _enqueue(database, admin, printer_id, [b"SALE\n"], ref.id)
    with database.write() as s:
        again = printing.reprint(s, admin, job_id)
    worker = PrintWorker(database, WS, idle_poll=0.02)
    while worker.run_once():
        pass
    assert emulator.jobs == [b"SALE\n", mark_copy(b"SALE\n", "escpos")]  # issue 11: COPY
    assert emulator.reading(emulator.jobs[1]) == "*** COPY ***\nSALE\n"
    with database.read() as s:
        events = order_detail.get_order(s, ref.id).events
        assert [e.message for e in events if e.kind == "printed"] == [
            "Receipt sent to Counter",
            "Receipt sent to Counter",
        ]
        assert s.get(PrintJob, again).order_id == ref.id


def test_cancel_and_retry_rules(database, admin):
    printer_id = _printer(database, admin, "tcp://127.0.0.1:1?timeout=0.2")
    (job_id,) = _enqueue(database, admin, printer_id, [b"X"])
    with database.write() as s:
        printing.retry_now(s, admin, job_id)
        printing.cancel(s, admin, job_id)
    with database.write() as s, pytest.raises(Exception, match="cancelled"):
        printing.cancel(s, admin, job_id)
    with database.read() as s:
        assert s.scalar(select(PrintJob.state).where(PrintJob.id == job_id)) == "cancelled"


def test_a_deferred_receipt_is_drawn_by_the_worker_and_a_damaged_one_waits(
    database, admin, emulator
):
    from app.admin.emulator import read_escpos
    from app.services.printing import documents

    pid = factories.product(database, admin, stock=5, name="Drawn later")
    with database.write() as s:
        ref = order_entry.create_order(s, admin, OrderInput("counter", (LineInput(pid, 2),)))
    printer_id = _printer(database, admin, emulator.uri)
    with database.write() as s:
        drawn = documents.print_document(s, admin, WS, ref.id, "receipt", deferred=True)
        damaged = printing.enqueue(s, admin, printer_id, "receipt", b"", None, "{not json")
        reprinted = printing.reprint(s, admin, drawn)  # before drawing: it is drawn too
        assert s.get(PrintJob, drawn).payload == b""
        preview = read_escpos(print_worker.job_bytes(s, drawn))
    worker = PrintWorker(database, WS, idle_poll=0.02)
    while worker.run_once():
        pass
    copy = read_escpos(emulator.jobs[1])
    assert [read_escpos(emulator.jobs[0]), copy.replace("*** COPY ***\n", "")] == [preview] * 2
    assert copy.startswith("*** COPY ***\n")  # issue 11: a reprint says so
    assert "2 x Drawn later" in preview
    with database.read() as s:
        stored = {j.id: j for j in printing.list_jobs(s, WS)}
        assert stored[drawn].state == stored[reprinted].state == "done"
        assert stored[damaged].state == "held"
        assert "Could not draw the document: The job's description is damaged" in (
            stored[damaged].last_error
        )
        assert s.get(PrintJob, drawn).render_spec == ""  # drawn once, kept as sent
    with database.write() as s:
        printing.cancel(s, admin, damaged)


def _receipt_job(database, admin, printer_id, open_drawer=True, deferred=False):
    from app.services.printing import documents

    pid = factories.product(database, admin, stock=5, name="Kicked")
    with database.write() as s:
        ref = order_entry.create_order(s, admin, OrderInput("counter", (LineInput(pid, 1),)))
        return documents.print_document(
            s, admin, WS, ref.id, "receipt", printer_id, open_drawer=open_drawer, deferred=deferred
        )


def test_paper_out_keeps_the_job_queued_with_the_reason_then_it_prints_once(
    database, admin, emulator
):
    printer_id = _printer(database, admin, emulator.uri)
    (first, second) = _enqueue(database, admin, printer_id, [b"ONE\n", b"TWO\n"])
    emulator.paper_out = True
    worker = PrintWorker(database, WS, backoff_base=0, idle_poll=0.02)
    assert worker.run_once()
    assert emulator.jobs == []  # issue 13: it was marked done and never retried
    with database.read() as s:
        jobs = {j.id: j for j in printing.list_jobs(s, WS)}
        assert jobs[first].state == jobs[second].state == "queued"
        assert "paper" in jobs[first].last_error and "waits until it is ready" in (
            jobs[first].last_error
        )
        status = printing.queue_status(s, WS)
        assert "2 waiting" in status.text and "paper" in status.text
    emulator.paper_out = False
    while worker.run_once():
        pass
    assert emulator.jobs == [b"ONE\n", b"TWO\n"]  # once each, in order
    assert _states(database) == ["done", "done"]


def test_a_job_recovered_from_sending_is_a_harmless_copy(database, admin, emulator):
    """A worker that died after sending: the job goes again, marked COPY, no drawer kick."""
    printer_id = _printer(database, admin, emulator.uri)
    job_id = _receipt_job(database, admin, printer_id, open_drawer=True)
    with database.write() as s:
        claimed = print_worker.claim_next(s, WS)  # then the worker crashes
    assert claimed is not None and claimed.id == job_id
    assert "[DRAWER]" in emulator.reading(claimed.payload)
    with database.write() as s:
        assert printing.recover(s, WS) == 1
    worker = PrintWorker(database, WS, idle_poll=0.02)
    while worker.run_once():
        pass
    (printed,) = emulator.jobs
    reading = emulator.reading(printed)
    assert reading.startswith("*** COPY ***\n") and "1 x Kicked" in reading
    assert "[DRAWER]" not in reading and "[CUT]" in reading
    assert _states(database) == ["done"]


@pytest.mark.allow_log(logging.ERROR, logger="kestrel.print", match="could not be drawn")
def test_a_job_that_cannot_be_drawn_for_any_reason_is_held_and_the_next_one_goes(
    database, admin, emulator, monkeypatch, caplog
):
    """python-escpos raised its own ImageWidthError on every cycle: the job stayed queued
    with 0 attempts and no error, and every later receipt waited behind it."""
    from escpos.escpos import Escpos
    from escpos.exceptions import ImageWidthError

    printer_id = _printer(database, admin, emulator.uri)
    jammed = _receipt_job(database, admin, printer_id, deferred=True)
    (after,) = _enqueue(database, admin, printer_id, [b"NEXT\n"])

    def too_wide(*_args, **_kwargs):
        raise ImageWidthError("620 > 576")

    monkeypatch.setattr(Escpos, "qr", too_wide)  # the library's failure, as in the field
    worker = PrintWorker(database, WS, idle_poll=0.02)
    while worker.run_once():
        pass
    assert emulator.jobs == [b"NEXT\n"]
    with database.read() as s:
        jobs = {j.id: j for j in printing.list_jobs(s, WS)}
        assert jobs[after].state == "done"
        assert jobs[jammed].state == "held" and jobs[jammed].attempts == 1
        assert "Could not draw the document" in jobs[jammed].last_error
        assert "620 > 576" in jobs[jammed].last_error
        assert "1 held" in printing.queue_status(s, WS).text
    assert any(r.exc_info for r in caplog.records if "could not be drawn" in r.getMessage())
