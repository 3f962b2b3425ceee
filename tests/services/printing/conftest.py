"""The printing fixtures (pinned local time, the printer emulator) for the print
queue's and documents' tests, shared with tests/printing rather than copied."""

from tests.printing.conftest import emulator, local_timezone

__all__ = ["emulator", "local_timezone"]
