"""Before Qt starts on a Linux desktop: are the system libraries its X11 (xcb) platform
plugin needs installed? Without them Qt aborts with "reinstalling the application may fix
this problem", which tells a new shop nothing. This says which packages to install, in
words, for the distribution it runs on. Standard library only: it runs before PySide6 is
imported.

What is missing is read from the plugin itself (`ldd` of Qt's libqxcb.so and its xcb QPA
library), plus libxcb-cursor, which Qt 6.5+ loads at run time and ldd cannot see.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

# soname -> package, per distribution family.
PACKAGES: dict[str, dict[str, str]] = {
    "debian": {
        "libxcb-icccm.so.4": "libxcb-icccm4",
        "libxcb-keysyms.so.1": "libxcb-keysyms1",
        "libxcb-cursor.so.0": "libxcb-cursor0",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
        "libxkbcommon.so.0": "libxkbcommon0",
        "libxcb-image.so.0": "libxcb-image0",
        "libxcb-render-util.so.0": "libxcb-render-util0",
        "libxcb-shape.so.0": "libxcb-shape0",
        "libxcb-randr.so.0": "libxcb-randr0",
        "libxcb-xkb.so.1": "libxcb-xkb1",
        "libxcb-xfixes.so.0": "libxcb-xfixes0",
        "libxcb-sync.so.1": "libxcb-sync1",
        "libxcb-shm.so.0": "libxcb-shm0",
        "libxcb-render.so.0": "libxcb-render0",
        "libxcb-xinput.so.0": "libxcb-xinput0",
        "libxcb-util.so.1": "libxcb-util1",
        "libxcb.so.1": "libxcb1",
        "libX11-xcb.so.1": "libx11-xcb1",
        "libX11.so.6": "libx11-6",
        "libSM.so.6": "libsm6",
        "libICE.so.6": "libice6",
        "libEGL.so.1": "libegl1",
        "libGL.so.1": "libgl1",
        "libOpenGL.so.0": "libopengl0",
        "libfontconfig.so.1": "libfontconfig1",
        "libfreetype.so.6": "libfreetype6",
        "libdbus-1.so.3": "libdbus-1-3",
        "libglib-2.0.so.0": "libglib2.0-0",
    },
    "fedora": {
        "libxcb-icccm.so.4": "xcb-util-wm",
        "libxcb-keysyms.so.1": "xcb-util-keysyms",
        "libxcb-cursor.so.0": "xcb-util-cursor",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11",
        "libxkbcommon.so.0": "libxkbcommon",
        "libxcb-image.so.0": "xcb-util-image",
        "libxcb-render-util.so.0": "xcb-util-renderutil",
        "libxcb-util.so.1": "xcb-util",
        "libX11-xcb.so.1": "libX11-xcb",
        "libX11.so.6": "libX11",
        "libSM.so.6": "libSM",
        "libICE.so.6": "libICE",
        "libEGL.so.1": "libglvnd-egl",
        "libGL.so.1": "libglvnd-glx",
        "libOpenGL.so.0": "libglvnd-opengl",
        "libfontconfig.so.1": "fontconfig",
        "libfreetype.so.6": "freetype",
        "libdbus-1.so.3": "dbus-libs",
        "libglib-2.0.so.0": "glib2",
    },
    "arch": {
        "libxcb-icccm.so.4": "xcb-util-wm",
        "libxcb-keysyms.so.1": "xcb-util-keysyms",
        "libxcb-cursor.so.0": "xcb-util-cursor",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11",
        "libxkbcommon.so.0": "libxkbcommon",
        "libxcb-image.so.0": "xcb-util-image",
        "libxcb-render-util.so.0": "xcb-util-renderutil",
        "libxcb-util.so.1": "xcb-util",
        "libX11.so.6": "libx11",
        "libSM.so.6": "libsm",
        "libICE.so.6": "libice",
        "libEGL.so.1": "libglvnd",
        "libGL.so.1": "libglvnd",
        "libOpenGL.so.0": "libglvnd",
        "libfontconfig.so.1": "fontconfig",
        "libfreetype.so.6": "freetype2",
        "libdbus-1.so.3": "dbus",
        "libglib-2.0.so.0": "glib2",
    },
    "suse": {
        "libxcb-icccm.so.4": "libxcb-icccm4",
        "libxcb-keysyms.so.1": "libxcb-keysyms1",
        "libxcb-cursor.so.0": "libxcb-cursor0",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
        "libxkbcommon.so.0": "libxkbcommon0",
        "libxcb-image.so.0": "libxcb-image0",
        "libxcb-render-util.so.0": "libxcb-render-util0",
        "libEGL.so.1": "libEGL1",
        "libGL.so.1": "libGL1",
        "libOpenGL.so.0": "libOpenGL0",
        "libfontconfig.so.1": "fontconfig",
        "libdbus-1.so.3": "libdbus-1-3",
    },
}
INSTALL = {
    "debian": "sudo apt-get install {packages}",
    "fedora": "sudo dnf install {packages}",
    "arch": "sudo pacman -S {packages}",
    "suse": "sudo zypper install {packages}",
}
FAMILIES = {
    "debian": "debian",
    "ubuntu": "debian",
    "linuxmint": "debian",
    "pop": "debian",
    "raspbian": "debian",
    "fedora": "fedora",
    "rhel": "fedora",
    "centos": "fedora",
    "rocky": "fedora",
    "almalinux": "fedora",
    "arch": "arch",
    "manjaro": "arch",
    "endeavouros": "arch",
    "opensuse": "suse",
    "suse": "suse",
    "sles": "suse",
}
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
RUNTIME_LOADED = ("libxcb-cursor.so.0",)  # dlopened by Qt 6.5+, invisible to ldd


def parse_ldd(output: str) -> list[str]:
    """The libraries ldd reports as 'not found', each once, in order."""
    return list(dict.fromkeys(NOT_FOUND.findall(output)))


def read_os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"')
    return fields


def family(os_release: Mapping[str, str]) -> str | None:
    """debian, fedora, arch or suse, from ID and ID_LIKE; None when it cannot tell."""
    for name in [os_release.get("ID", ""), *os_release.get("ID_LIKE", "").split()]:
        for prefix, found in FAMILIES.items():
            if name.lower().startswith(prefix):
                return found
    return None


def advice(missing: Iterable[str], os_release: Mapping[str, str]) -> str:
    """What to tell a person whose system lacks `missing` (sonames)."""
    missing = list(missing)
    kind = family(os_release)
    table = PACKAGES.get(kind or "", {})
    packages = list(dict.fromkeys(table[lib] for lib in missing if lib in table))
    unknown = [lib for lib in missing if lib not in table]
    name = os_release.get("PRETTY_NAME", "this system")
    lines = [
        "Kestrel cannot open its window: the system lacks libraries that Qt needs to "
        "draw on an X11 desktop:",
        "  " + ", ".join(missing),
    ]
    if packages and kind is not None:
        lines += [
            f"On {name}, install them with:",
            "  " + INSTALL[kind].format(packages=" ".join(packages)),
        ]
    if unknown or kind is None:
        lines.append(
            "Install the package that provides "
            + ", ".join(unknown or missing)
            + " with your system's package manager (the README lists them per system)."
        )
    lines.append("Then start Kestrel again.")
    return "\n".join(lines)


def xcb_plugin() -> Path | None:
    """Qt's X11 platform plugin inside PySide6, found without importing PySide6."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def _runtime_missing() -> list[str]:
    import ctypes.util  # here and below: only an X11 start pays for them

    return [lib for lib in RUNTIME_LOADED if ctypes.util.find_library(lib[3:-5]) is None]


def missing_libraries(plugin: Path) -> list[str]:
    """Sonames the xcb plugin (and what it links) cannot find on this system."""
    import shutil
    import subprocess

    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    found: list[str] = []
    targets = [plugin, plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6"]
    for target in targets:
        if not target.exists():
            continue
        try:
            done = subprocess.run(
                [ldd, str(target)], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return []
        found += parse_ldd(done.stdout)
    return list(dict.fromkeys(found + _runtime_missing()))


def wants_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt would start on X11: asked for, or a desktop without Wayland."""
    platform = environ.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0].split(";")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def gui_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """A message in words when Qt's X11 plugin cannot start here, else None."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or not wants_xcb(environ):
        return None
    if not environ.get("DISPLAY"):
        return (
            "Kestrel needs a desktop to open its window, and none is here (DISPLAY is not "
            "set). Start it from the desktop session, or over ssh with -X."
        )
    plugin = xcb_plugin()
    if plugin is None:
        return None
    missing = missing_libraries(plugin)
    return advice(missing, read_os_release()) if missing else None


def main() -> int:
    """`python -m app.syscheck`: exit 1 with the advice when something is missing."""
    problem = gui_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print("Qt's X11 libraries are all here.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
