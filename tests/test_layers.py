"""Layers are one-way (STYLE habit 1): models and services never import Qt or views."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
FORBIDDEN = {
    "models": ("PySide6", "shiboken6", "app.services", "app.views"),
    "services": ("PySide6", "shiboken6", "app.views"),
    "printing": ("PySide6", "shiboken6", "app.views"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer):
    files = sorted((APP / layer).rglob("*.py"))
    assert files
    offenders = [
        f"{path.relative_to(APP)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert offenders == []
