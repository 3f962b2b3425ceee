"""Watched folders (app/services/channels/watch.py) on SQLite and PostgreSQL: files dropped
in a source's folder are imported oldest first and filed in done/ or failed/ with their
report; a file still being written waits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.auth import Role
from app.core.errors import PermissionDenied
from app.models import SalesOrder
from app.services.channels import watch
from tests.conftest import role_actor
from tests.services.channels.conftest import FILES, drop, report_of


def test_files_are_imported_oldest_first_and_filed_with_reports(database, admin, inbox):
    drop(inbox, "later.csv", 2_000_000_000)
    drop(inbox, "first.csv", 1_900_000_000)
    drop(inbox, "broken.csv", 1_950_000_000, "this,is,not\nan,order,export\n")
    drop(inbox, "upload.csv.part", 1_800_000_000)  # still being uploaded
    filed = watch.watch_once(database, admin, settle=0)
    assert [(f.name, f.outcome) for f in filed] == [
        ("first.csv", "done"),
        ("broken.csv", "failed"),
        ("later.csv", "done"),
    ]
    first, broken, later = (report_of(f.report) for f in filed)
    assert first["created"] == 1 and first["outcome"] == "done"
    assert later["created"] == 0 and later["duplicates"] == 1  # the same order, not twice
    assert broken["outcome"] == "failed" and broken["error"]
    assert sorted(p.name for p in (inbox / "done").iterdir()) == [
        "first.csv",
        "first.csv.report.json",
        "later.csv",
        "later.csv.report.json",
    ]
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == [
        "broken.csv",
        "broken.csv.report.json",
    ]
    assert [p.name for p in inbox.iterdir() if p.is_file()] == ["upload.csv.part"]
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == 1
    assert watch.watch_once(database, admin, settle=0) == []  # nothing new: nothing done


def test_a_file_still_growing_waits_for_a_quiet_look(database, admin, inbox):
    path = drop(inbox, "growing.csv", 1_900_000_000, "Name,Email\n")
    looks: watch.Looks = {}
    assert watch.watch_once(database, admin, looks) == []  # first seen: wait
    with path.open("a", encoding="utf-8") as more:
        more.write("#1,a@example.com\n")
    assert watch.watch_once(database, admin, looks) == []  # it grew: wait again
    path.write_text((FILES / "shopify_orders.csv").read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(path, (1_900_000_100, 1_900_000_100))
    assert watch.watch_once(database, admin, looks) == []
    (filed,) = watch.watch_once(database, admin, looks)
    assert (filed.name, filed.outcome) == ("growing.csv", "done")


def test_a_name_taken_in_done_gets_the_time_and_rights_are_checked(database, admin, inbox):
    drop(inbox, "orders.csv", 1_900_000_000)
    watch.watch_once(database, admin, settle=0)
    drop(inbox, "orders.csv", 1_900_000_100)
    (again,) = watch.watch_once(database, admin, settle=0)
    moved = Path(again.moved_to)
    assert moved.parent.name == "done" and moved.name != "orders.csv"
    assert moved.name.startswith("orders.") and moved.suffix == ".csv"
    assert Path(again.report).name == moved.name + ".report.json"
    drop(inbox, "more.csv", 1_900_000_200)
    with pytest.raises(PermissionDenied):
        watch.watch_once(database, role_actor(Role.CASHIER), settle=0)
    assert (inbox / "more.csv").exists()  # a refused user files nothing away


def test_a_file_with_a_refused_order_goes_to_failed_with_the_reason(database, admin, inbox):
    text = (FILES / "shopify_orders.csv").read_text(encoding="utf-8")
    drop(inbox, "bad-sku.csv", 1_900_000_000, text.replace("MUG-BLUE", "NO-SUCH-MUG"))
    (filed,) = watch.watch_once(database, admin, settle=0)
    assert filed.outcome == "failed" and Path(filed.moved_to).parent.name == "failed"
    report = report_of(filed.report)
    assert report["refused"] == 1 and report["created"] == 0
    (refused,) = (o for o in report["orders"] if o["outcome"] == "refused")
    assert "NO-SUCH-MUG is not in the catalogue" in "; ".join(refused["reasons"])
