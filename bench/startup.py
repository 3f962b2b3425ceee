"""Start-up (issue 20, target 1): process start to an interactive sign-in window, next to
an empty PySide6 window's start measured in the same run (the floor), and sign-in
(Argon2 included) to an interactive main window with its first page.

Each run is a fresh process: `python -m app --sign-in manager --exit-when-ready` prints
its milestones ('sign-in window', 'loaded', 'signing in', 'ready', each after the event
loop has handled the show) and the floor prints 'shown' the same way. The start is timed
here, from spawning the process to reading the line, so the interpreter's own start counts
for both; the sign-in is timed inside the process (from 'signing in' to 'ready': the
check, the audit row, the main window, its first page and the status bar read). The app
and the floor runs alternate, so a neighbour's load falls on both alike.

`python -m bench.startup [--runs N] [--database URL] [--importtime] [--bundle PATH]` runs
it alone on a `kestrel demo` store in bench/.cache (made on first use, migrated when an
older Kestrel made it); `make bench` on the bench store. `--bundle dist/kestrel/kestrel`
times the PyInstaller bundle (`make package`) against the same floor instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
PASSWORD = "demo1234"  # app/admin/demo/data.py DEMO_PASSWORD (not imported: it loads the ORM)
FLOOR = (
    "import sys, time\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication(sys.argv); w = QMainWindow(); w.resize(1280, 800); w.show()\n"
    "QTimer.singleShot(0, lambda: (print('shown 0', time.process_time()), app.quit()))\n"
    "app.exec()\n"
)
FORBIDDEN = ("sqlalchemy.orm", "reportlab", "escpos", "PIL")


def _env() -> dict[str, str]:
    env = {**os.environ, "KESTREL_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    env["KESTREL_HOME"] = str(CACHE / "home")
    # An installed Kestrel has its bytecode (pip compiles it, the bundle holds it): a shell
    # that forbids writing it would have every run compile app/ from source again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: list[str]) -> dict[str, tuple[float, float, float]]:
    """name -> (ms from spawn to reading its line, the wall and CPU seconds the process
    printed)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    seen: dict[str, tuple[float, float, float]] = {}
    for line in proc.stdout:
        arrived = (time.perf_counter() - started) * 1000
        name, *values = line.strip().rsplit(" ", 2)
        try:
            numbers = [float(v) for v in values]
        except ValueError:
            continue
        seen[name] = (arrived, numbers[0], numbers[-1])
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"start-up run failed ({proc.returncode}): {err[-2000:]}")
    return seen


def app_command(url: str, *extra: str, bundle: str = "") -> list[str]:
    """`python -m app ...`, or the PyInstaller bundle's executable `bundle`."""
    return [
        *([bundle] if bundle else [sys.executable, "-m", "app"]),
        "--database",
        url,
        "--sign-in",
        "manager",
        "--exit-when-ready",
        *extra,
    ]


def run(url: str, runs: int, bundle: str = "") -> list[tuple[Any, ...]]:
    """(name, value, unit, floor name, floor value, target) rows for bench/run.py;
    `bundle`: the PyInstaller bundle's executable instead of `python -m app`."""
    floor_cmd = [sys.executable, "-c", FLOOR]
    timed(app_command(url, bundle=bundle))  # warm the page cache and the compiled modules
    timed(floor_cmd)
    shown, loaded, signed, floors = [], [], [], []
    shown_cpu, signed_cpu, floors_cpu = [], [], []
    for _ in range(runs):
        floor_seen = timed(floor_cmd)["shown"]
        floors.append(floor_seen[0])
        floors_cpu.append(floor_seen[2] * 1000)
        seen = timed(app_command(url, bundle=bundle))
        shown.append(seen["sign-in window"][0])
        shown_cpu.append(seen["sign-in window"][2] * 1000)
        loaded.append((seen["loaded"][1] - seen["sign-in window"][1]) * 1000)
        signed.append((seen["ready"][1] - seen["signing in"][1]) * 1000)
        signed_cpu.append((seen["ready"][2] - seen["signing in"][2]) * 1000)
    floor = statistics.median(floors)
    cpu = "CPU, all threads (a loaded machine's wall clock is its neighbours')"
    rows: list[tuple[Any, ...]] = [
        (
            "start to sign-in window",
            statistics.median(shown),
            "ms",
            "empty PySide6 window",
            floor,
            "<= 1.3x floor",
        ),
        (
            "sign-in to main window, first page",
            statistics.median(signed),
            "ms",
            "",
            None,
            "<= 300 ms",
        ),
        (
            "start to sign-in window, CPU",
            statistics.median(shown_cpu),
            "ms",
            "empty PySide6 window, CPU",
            statistics.median(floors_cpu),
            cpu,
        ),
        ("sign-in to main window, CPU", statistics.median(signed_cpu), "ms", "", None, cpu),
        ("models + database loaded behind sign-in", statistics.median(loaded), "ms", "", None, ""),
    ]
    if bundle:
        rows = [(f"bundle: {name}", *rest) for name, *rest in rows]
        return rows
    memory = timed(app_command(url, "--open-every-screen"))
    if "rss" in memory:
        rows.append(
            ("resident memory, every screen open", memory["rss"][1], "MB", "", None, "<= 200 MB")
        )
    return rows


def importtime(url: str, top: int = 15) -> None:
    """The biggest imports before the sign-in window shows (`python -X importtime`)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *app_command(url)[1:]],
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, total_us, name = (part.strip() for part in line[12:].split("|"))
        rows.append((int(self_us), int(total_us), name))
    for self_us, total_us, name in sorted(rows, reverse=True)[:top]:
        print(f"{self_us / 1000:8.1f} ms self {total_us / 1000:8.1f} ms total  {name}")


def demo_store() -> str:
    """A `kestrel demo` store (300 products, 400 orders, the demo sign-ins)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / "startup-demo.sqlite"
    url = f"sqlite:///{path}"
    if not path.with_suffix(".ready").exists():
        path.unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-m", "app", "demo", "--database", url],
            env=_env(),
            check=True,
            capture_output=True,
        )
        path.with_suffix(".ready").write_text("ok")
    else:  # made by an older Kestrel: offscreen, the GUI would wait on "Upgrade?" forever
        subprocess.run(
            [sys.executable, "-m", "app", "migrate", "--database", url],
            env=_env(),
            check=True,
            capture_output=True,
        )
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", default="")
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument(
        "--bundle", default="", help="the PyInstaller bundle's executable (dist/kestrel/kestrel)"
    )
    args = parser.parse_args()
    url = args.database or demo_store()
    if args.importtime:
        importtime(url)
        return 0
    for name, value, unit, floor_name, floor, target in run(url, args.runs, args.bundle):
        against = (
            f"  floor {floor:,.1f} {unit} ({floor_name}), {value / floor:.2f}x" if floor else ""
        )
        print(f"{name:<42}{value:>9,.1f} {unit}{against}  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
