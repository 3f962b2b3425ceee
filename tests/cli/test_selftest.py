"""app/cli/selftest.py: `kestrel selftest`."""

from __future__ import annotations

from tests.cli.process import run


def test_a_home_that_cannot_be_written_still_works_and_says_so(tmp_path):
    """A kiosk with a read-only profile: Kestrel works from a temporary folder and says
    what is wrong and how to fix it."""
    done = run(
        "selftest",
        "--database",
        f"sqlite:///{tmp_path / 'shop.sqlite'}",
        env={"KESTREL_HOME": "/proc/kestrel-cannot-be-here"},
    )
    assert done.returncode == 0, done.stderr
    assert "cannot write to /proc/kestrel-cannot-be-here" in done.stderr
    assert "KESTREL_HOME" in done.stderr and "receipt done" in done.stdout
