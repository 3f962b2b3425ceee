"""A fresh Linux desktop without Qt's xcb libraries: `make run` says which packages to
install, per distribution family, before Qt aborts with its own generic words."""

from __future__ import annotations

import os
import subprocess
import sys

from app import syscheck

# What ldd printed for PySide6's libqxcb.so on a Debian 12 machine without the xcb utils.
LDD_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007ffd2b5f2000)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x7f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2c4b0a0000)
\tlibxcb-icccm.so.4 => not found
"""
DEBIAN = {"ID": "debian", "PRETTY_NAME": "Debian GNU/Linux 12 (bookworm)"}
UBUNTU = {"ID": "ubuntu", "ID_LIKE": "debian", "PRETTY_NAME": "Ubuntu 24.04 LTS"}
FEDORA = {"ID": "fedora", "PRETTY_NAME": "Fedora Linux 41"}
ARCH = {"ID": "arch", "PRETTY_NAME": "Arch Linux"}
MINT = {"ID": "linuxmint", "ID_LIKE": "ubuntu debian", "PRETTY_NAME": "Linux Mint 22"}


def test_ldd_output_gives_each_missing_library_once():
    assert syscheck.parse_ldd(LDD_DEBIAN) == [
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxkbcommon-x11.so.0",
    ]


def test_advice_names_the_packages_of_each_family():
    missing = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"]
    debian = syscheck.advice(missing, DEBIAN)
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0" in debian
    assert "Debian GNU/Linux 12" in debian
    assert "apt-get install libxcb-icccm4" in syscheck.advice(missing, UBUNTU)
    assert "apt-get install libxcb-icccm4" in syscheck.advice(missing, MINT)
    assert "dnf install xcb-util-wm xcb-util-keysyms xcb-util-cursor" in syscheck.advice(
        missing, FEDORA
    )
    assert "pacman -S xcb-util-wm xcb-util-keysyms xcb-util-cursor" in syscheck.advice(
        missing, ARCH
    )
    unknown = syscheck.advice(missing, {"ID": "gentoo"})
    assert "libxcb-icccm.so.4" in unknown and "package manager" in unknown
    assert "sudo" not in unknown


def test_no_check_where_qt_does_not_start_on_x11():
    assert syscheck.gui_problem({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}) is None
    assert syscheck.gui_problem({"WAYLAND_DISPLAY": "wayland-0"}) is None
    assert "DISPLAY is not set" in (syscheck.gui_problem({}) or "")


def test_kestrel_says_in_words_what_this_machine_lacks(tmp_path):
    """The real command on this machine: either it names what is missing (and never
    reaches Qt's own abort), or the check says everything is there."""
    plugin = syscheck.xcb_plugin()
    assert plugin is not None  # PySide6 ships it on Linux
    missing = syscheck.missing_libraries(plugin)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": ":93",  # nothing listens there: with every library, Qt would fail later
        "KESTREL_HOME": str(tmp_path),
    }
    if missing:
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main([]))"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 3, done.stderr
        assert all(lib in done.stderr for lib in missing)
        assert "install" in done.stderr
        assert "reinstalling" not in done.stderr.lower()
    else:
        done = subprocess.run(
            [sys.executable, "-m", "app.syscheck"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and "all here" in done.stdout
