"""The suite fails on unexpected log records at WARNING or above (qutebrowser's logfail);
a test allows the ones it provokes with @pytest.mark.allow_log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CASES = """
import logging, threading
import pytest

log = logging.getLogger("kestrel.test")

def test_unexpected_warning():
    log.warning("nobody expected this")

def test_unexpected_error_on_a_thread():
    t = threading.Thread(target=log.error, args=("from a worker",))
    t.start(); t.join()

@pytest.mark.allow_log(logging.ERROR, logger="kestrel.test", match="expected")
def test_allowed():
    log.error("this was expected")

@pytest.mark.allow_log(logging.WARNING)
def test_allowed_level_is_a_ceiling():
    log.error("above what was allowed")

def test_info_is_fine():
    log.info("chatter")
"""


# the inner run logs in this process: its records are this test's expected ones
@pytest.mark.allow_log(logging.ERROR, logger="kestrel.test")
def test_unexpected_log_records_fail_the_test(pytester):
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text())
    pytester.makeini("[pytest]\nmarkers =\n    allow_log: expected log records\n")
    pytester.makepyfile(test_cases=CASES)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, errors=3)
    result.stdout.fnmatch_lines(["*unexpected log records*", "*nobody expected this*"])
    assert "from a worker" in result.stdout.str()
    assert "above what was allowed" in result.stdout.str()
