"""The README's map of the folders (Development) is how a newcomer finds a room: it must
name every folder of app/, every domain package of services and views, every top-level
module and every command module, and nothing that is gone (issue 14: "the README map
matches the folders")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"


def _map_text() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    development = readme[readme.index("## Development") :]
    rows = [line for line in development.splitlines() if line.startswith("| `")]
    assert rows, "the Development section has no folder table"
    return "\n".join(rows)


def _named(text: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", text))


def _packages(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists())


def test_every_folder_of_app_is_in_the_map():
    named = _named(_map_text())
    missing = [
        f"app/{name}/" for name in _packages(APP) + ["locale"] if f"app/{name}/" not in named
    ]
    assert missing == [], "add a row to README.md's Development table"


def test_every_domain_package_is_in_the_map():
    text = _map_text()
    named = _named(text)
    services = [n for n in _packages(APP / "services") if f"app/services/{n}/" not in named]
    views_row = next(line for line in text.splitlines() if line.startswith("| `app/views/`"))
    views = [n for n in _packages(APP / "views") if f"{n}/" not in _named(views_row)]
    assert services == [] and views == []


def test_every_top_level_module_is_in_the_map():
    named = _named(_map_text())
    plain = {name.removeprefix("app/") for name in named}
    missing = [
        p.name
        for p in sorted(APP.glob("*.py"))
        if p.stem not in {"__init__", "__main__"} and p.name not in plain
    ]
    assert missing == []


def test_every_command_module_is_in_the_map():
    cli_row = next(line for line in _map_text().splitlines() if line.startswith("| `app/cli/`"))
    named = _named(cli_row)
    missing = [
        p.stem
        for p in sorted((APP / "cli").glob("*.py"))
        if p.stem != "__init__" and p.stem not in named
    ]
    assert missing == []


def test_nothing_in_the_map_is_gone():
    gone = [
        name
        for name in _named(_map_text())
        if name.startswith("app/") and not (ROOT / name.rstrip("/")).exists()
    ]
    assert gone == []
