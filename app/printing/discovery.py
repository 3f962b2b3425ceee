"""Printers this machine can see, for the first-run wizard: CUPS queues, USB devices of
the printer class, serial ports. Each becomes an address Kestrel's transports take.
Finding nothing is normal (the preview printer is always there); nothing here raises."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Found:
    name: str
    uri: str
    how: str  # "CUPS queue", "USB printer", "serial port"


def cups_queues() -> list[Found]:
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return []
    try:
        out = subprocess.run(
            [lpstat, "-e"], capture_output=True, text=True, timeout=3, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Found(q, f"cups://{q}", "CUPS queue") for q in out.split() if q.strip()]


def usb_printers(root: str = "/sys/bus/usb/devices") -> list[Found]:
    """USB interfaces of class 07 (printer), with the device's vendor and product ids."""
    found = []
    for interface in glob.glob(f"{root}/*:*"):
        try:
            if Path(interface, "bInterfaceClass").read_text().strip() != "07":
                continue
            device = Path(interface).parent
            vendor = Path(device, "idVendor").read_text().strip()
            product = Path(device, "idProduct").read_text().strip()
            label = Path(device, "product")
            name = label.read_text().strip() if label.exists() else f"USB {vendor}:{product}"
        except OSError:
            continue
        found.append(Found(name, f"usb://{vendor}:{product}", "USB printer"))
    return list({f.uri: f for f in found}.values())


def serial_ports() -> list[Found]:
    if sys.platform == "win32":
        return [Found(f"COM{n}", f"serial://COM{n}", "serial port") for n in range(1, 5)]
    ports = sorted(glob.glob("/dev/ttyUSB*") + glob.glob("/dev/ttyACM*"))
    return [Found(Path(p).name, f"serial://{p}", "serial port") for p in ports]


def everything() -> list[Found]:
    return cups_queues() + usb_printers() + serial_ports()
