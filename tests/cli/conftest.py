"""The printer emulator for the printing commands."""

from tests.printing.conftest import emulator

__all__ = ["emulator"]
