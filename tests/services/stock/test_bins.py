"""Bins (services/stock/bins.py and bin_labels.py): the tree listed, bins and zones added
under the right parent, renamed, re-sequenced, retired only when empty; a bin's contents;
bin labels queued for the label printer. Both engines."""

from __future__ import annotations

import pytest

from app.core.auth import Role
from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.models import Location, PrintJob
from app.services.stock import bin_labels, bins, counts, inventory
from tests import factories
from tests.conftest import role_actor


def _tree(database, admin, warehouse="MAIN"):
    with database.read() as s:
        return {r.code: r for r in bins.list_bins(s, admin, warehouse)}


def test_zone_and_bins_go_into_the_walk(database, admin):
    with database.write() as s:
        bins.add_location(s, admin, "main-z", "main", name="Zone Z", kind="zone")
        bins.add_location(s, admin, "MAIN-Z01", "MAIN", parent_code="MAIN-Z")
        bins.add_location(s, admin, "MAIN-Z02", "MAIN", parent_code="MAIN-Z", sequence=0)
        bins.rename(s, admin, "MAIN-Z01", "Top shelf")
        bins.set_sequence(s, admin, "MAIN-Z01", 7)
    tree = _tree(database, admin)
    assert tree["MAIN-Z"].kind == "view" and tree["MAIN-Z"].parent == "MAIN"
    assert (tree["MAIN-Z01"].parent, tree["MAIN-Z01"].name, tree["MAIN-Z01"].pick_sequence) == (
        "MAIN-Z",
        "Top shelf",
        7,
    )
    codes = list(tree)
    assert codes.index("MAIN-Z02") < codes.index("MAIN-STOCK") < codes.index("MAIN-Z01")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"code": "MAIN-STOCK"}, ConflictError, "already a location MAIN-STOCK"),
        ({"code": "A B"}, ValidationError, "has a space"),
        ({"warehouse_code": "NOPE"}, NotFound, "no warehouse 'NOPE'"),
        ({"parent_code": "MAIN-STOCK"}, ValidationError, "a bin goes under a zone"),
        ({"kind": "shelf"}, ValidationError, "bin or a zone"),
        ({"sequence": -1}, ValidationError, "Pick sequence"),
    ],
)
def test_bad_bins_are_refused_in_words(database, admin, kwargs, error, words):
    args = {"code": "MAIN-NEW", "warehouse_code": "MAIN"} | kwargs
    with database.write() as s, pytest.raises(error, match=words):
        bins.add_location(s, admin, args.pop("code"), args.pop("warehouse_code"), **args)
    assert "MAIN-NEW" not in _tree(database, admin)


def test_only_an_empty_bin_out_of_any_count_is_retired(database, admin):
    pid = factories.product(database, admin)
    with database.write() as s:
        extra = bins.add_location(s, admin, "MAIN-X1", "MAIN")
        inventory.receive(s, admin, pid, extra, 2)
    with database.write() as s, pytest.raises(ConflictError, match="holds 2 unit"):
        bins.deactivate(s, admin, "MAIN-X1")
    with database.read() as s:
        [content] = bins.bin_contents(s, admin, "main-x1")
    assert (content.product_id, content.on_hand, content.reserved) == (pid, 2, 0)
    with database.write() as s:
        inventory.transfer(s, admin, pid, extra, factories.main_bin(s), 2)
        count = counts.start(s, admin, bin_code="MAIN-X1")
    with database.write() as s, pytest.raises(ConflictError, match="being counted"):
        bins.deactivate(s, admin, "MAIN-X1")
    with database.write() as s:
        counts.cancel(s, admin, count)
        bins.deactivate(s, admin, "MAIN-X1")
        assert not s.get(Location, extra).active
    with database.write() as s, pytest.raises(ValidationError, match="already out of use"):
        bins.deactivate(s, admin, "MAIN-X1")


def test_a_picker_reads_the_tree_but_changes_nothing(database, admin):
    picker = role_actor(Role.PICKER)
    with database.read() as s:
        assert "MAIN-STOCK" in {r.code for r in bins.list_bins(s, picker)}
    with database.write() as s, pytest.raises(PermissionDenied):
        bins.add_location(s, picker, "MAIN-P", "MAIN")


def test_bin_labels_are_one_job_on_the_label_printer(database, admin):
    import zxingcpp
    from PIL import ImageOps

    from app.printing.preview import receipt_image

    with database.write() as s:
        job_id = bin_labels.print_bin_labels(s, admin, "bench-1", ["MAIN-STOCK"])
        job = s.get(PrintJob, job_id)
    assert job.document == "bin-labels"
    picture = receipt_image(job.payload, {}, 80)  # the preview printer speaks ESC/POS raster
    found = zxingcpp.read_barcodes(ImageOps.expand(picture, border=20, fill=255))
    assert [b.text for b in found] == ["MAIN-STOCK"]
    with database.write() as s, pytest.raises(NotFound, match="no bin 'NOPE'"):
        bin_labels.print_bin_labels(s, admin, "bench-1", ["NOPE"])
