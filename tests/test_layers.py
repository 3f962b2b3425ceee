"""Layers are one-way (STYLE habit 1, DESIGN.md "Layers"), checked on the source.

Every `import` counts, wherever it is written: at the top, inside a function, under
`if TYPE_CHECKING:`. A function-level import is still an arrow between two modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
QT = ("PySide6", "shiboken6")
UP = ("app.services", "app.views", "app.cli", "app.admin", "app.api", "app.live")
# app.paths, app.config, app.secrets and app.logs are the process's plumbing (folders,
# workstation options, keyring, logging); they import nothing of the domain.
PLUMBING = ("app.paths", "app.config", "app.secrets", "app.logs")

# layer (a folder under app/, or one module) -> imports it must not make
FORBIDDEN = {
    "core": (*QT, *UP, "app.db", "app.printing"),
    "models": (*QT, *UP, "app.core", "app.db", "app.printing"),
    "db.py": (*QT, *UP, "app.printing"),
    "db_roles.py": (*QT, *UP, "app.printing"),
    "services": (*QT, "app.views", "app.cli", "app.api", "app.admin", "app.live"),
    "printing": (*QT, *UP, "app.db", "app.models"),
    "admin": (*QT, "app.views", "app.cli", "app.api"),
    "live.py": (*QT, *UP, "app.printing"),
}
# layer -> the only parts of app/ it may import (besides itself)
ONLY = {
    "db.py": ("app.core", "app.models", *PLUMBING),
    "db_roles.py": ("app.core", "app.models", *PLUMBING),
    "printing": ("app.core", "app.printing", *PLUMBING),
}
VIEWS_FORBIDDEN = ("sqlalchemy", "app.models")
# Views that touch the ORM, build SQL or parse database URLs: none since issue 14. A view
# that must (it should not) is listed here with its reason.
VIEWS_ALLOWED: set[str] = set()


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every name an import in the module makes: `from a.b import c` gives `a.b.c`, which
    is a module or a name in module a.b (resolved below)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _module_of(name: str) -> str | None:
    """The app module an imported name lives in (the longest module prefix)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _layer_files(layer: str) -> list[tuple[str, Path]]:
    target = APP / layer
    return [
        (name, path) for name, path in MODULES.items() if path == target or target in path.parents
    ]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer):
    files = _layer_files(layer)
    assert files
    offenders = sorted(
        {
            f"{path.relative_to(APP)} imports {_module_of(imported) or imported}"
            for name, path in files
            for imported in _imports(name, path)
            if _within(imported, FORBIDDEN[layer])
            or (
                layer in ONLY
                and imported.startswith("app.")
                and not _within(imported, ONLY[layer])
                and not _within(imported, (name,))
            )
        }
    )
    assert offenders == []


def test_views_do_not_touch_the_orm():
    offenders = {
        f"{path.relative_to(APP)} imports {prefix}"
        for name, path in _layer_files("views")
        for imported in _imports(name, path)
        for prefix in VIEWS_FORBIDDEN
        if _within(imported, (prefix,))
    }
    assert offenders - VIEWS_ALLOWED == set(), "new ORM or SQL use in a view"
    assert VIEWS_ALLOWED - offenders == set(), "no longer needed: remove from VIEWS_ALLOWED"


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for imported in _imports(name, path):
            target = _module_of(imported) if imported.startswith("app") else None
            if target is not None and target != name:
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles():
    graph = _graph()
    assert "app.services.sales.orders" in graph["app.services.fulfilment.picking"]
    cycles = [
        " <-> ".join(cycle)
        + ": "
        + "; ".join(f"{a} -> {b}" for a in cycle for b in sorted(graph[a]) if b in cycle)
        for cycle in _cycles(graph)
    ]
    assert cycles == []


def test_the_cycle_finder_finds_a_function_level_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_money_is_formatted_only_at_the_edge_and_never_as_a_float():
    """Amounts are integer minor units until Babel formats them (format_money/to_decimal
    with the shop's currency): no `/ 100` into a float printed with `:.2f` anywhere."""
    import re

    float_money = re.compile(r"/\s*100(?!\d)[^\n]*:\.2f")
    found = [
        f"{path.relative_to(APP.parent)}:{n}"
        for path in sorted(APP.rglob("*.py"))
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if float_money.search(line)
    ]
    assert found == []


# One state machine, one event writer (issue 14 item 4): outside app/services/sales/orders.py
# nothing builds an OrderEvent or assigns a `.status` but the rows named here.
EVENTS_HOME = "services/sales/orders.py"
STATUS_ASSIGNMENTS_ALLOWED = {
    ("services/sales/till.py", "row"): "a cash session, not an order",
    ("services/fulfilment/returns.py", "rma"): "a return (RMA), not an order",
    ("services/fulfilment/packing.py", "current"): "a package",
    ("services/fulfilment/packing.py", "row"): "a package",
    ("services/fulfilment/picking.py", "pick"): "a pick line",
    ("services/fulfilment/picking.py", "wave"): "a pick list",
    ("services/fulfilment/shipping.py", "package"): "a package",
    ("services/fulfilment/shipping.py", "shipment"): "a shipment",
    ("views/orders/detail.py", "self"): "a QLabel named status",
    ("printing/transports.py", "self"): "a transport's status text",
    ("services/printing/worker.py", "self"): "the print worker's last word from each printer",
    ("services/purchasing/order_status.py", "po"): "a purchase order (order_status._set)",
}
# The demo builder (app/admin/demo/orders.py) writes its history of orders and their events as
# bulk rows (core.bulk, thousands per statement, no actor, no audit): a loader of a made-up
# past, not a status change, so it constructs no OrderEvent and assigns no `.status`.


def _status_targets(tree: ast.AST) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for item in target.elts if isinstance(target, ast.Tuple) else [target]:
                if isinstance(item, ast.Attribute) and item.attr == "status":
                    yield item.value


def test_order_status_and_events_are_written_in_orders_py_only():
    events, statuses = set(), set()
    for path in sorted(APP.rglob("*.py")):
        where = str(path.relative_to(APP))
        if where.startswith("migrations/") or where == EVENTS_HOME:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else None
                name = node.func.id if isinstance(node.func, ast.Name) else name
                if name == "OrderEvent":
                    events.add(f"{where}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr == "__table__":
                if isinstance(node.value, ast.Name) and node.value.id in (
                    "OrderEvent",
                    "SalesOrder",
                ):
                    events.add(f"{where}:{node.lineno} {node.value.id}.__table__")
        for owner in _status_targets(tree):
            key = (where, ast.unparse(owner))
            if key not in STATUS_ASSIGNMENTS_ALLOWED:
                statuses.add(f"{where}:{owner.lineno} {key[1]}.status =")
    assert events == set(), "order events are written by orders.record_event only"
    assert statuses == set(), "an order's status changes through orders.change_status only"
    assert all(reason for reason in STATUS_ASSIGNMENTS_ALLOWED.values())


def test_the_status_scan_finds_an_order_status_assignment():
    tree = ast.parse("order.status = 'packed'\nbefore, order.status = 1, 2\nrow.status += 'x'")
    assert [ast.unparse(t) for t in _status_targets(tree)] == ["order", "order", "row"]


# Small modules, short functions (STYLE habit 12, issue 14): no module of app/ over 500
# lines (Alembic revisions excepted: one revision is one unit), no function or method over 80.
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# Modules and functions over the limits, with the reason each may stay so: none since
# issue 14 split the last ones. Never add to these without a reason a reviewer accepts.
LONG_MODULES_ALLOWED: set[str] = set()
LONG_FUNCTIONS_ALLOWED: set[tuple[str, str]] = set()


def _long_functions(tree: ast.AST, limit: int) -> Iterator[tuple[str, int]]:
    """(qualified name, lines) of every function and method longer than `limit` lines,
    nested ones included, decorators not counted."""

    def visit(node: ast.AST, prefix: str) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    length = (child.end_lineno or child.lineno) - child.lineno + 1
                    if length > limit:
                        yield name, length
                yield from visit(child, f"{name}.")
            else:
                yield from visit(child, prefix)

    yield from visit(tree, "")


def _app_modules() -> Iterator[tuple[str, str]]:
    for path in sorted(APP.rglob("*.py")):
        where = path.relative_to(APP).as_posix()
        if not where.startswith("migrations/"):
            yield where, path.read_text(encoding="utf-8")


def test_no_module_is_over_500_lines():
    long = {where for where, text in _app_modules() if len(text.splitlines()) > MAX_MODULE_LINES}
    assert long - LONG_MODULES_ALLOWED == set(), "split these by purpose"
    assert LONG_MODULES_ALLOWED - long == set(), "these are short now: take them off the list"


def test_no_function_is_over_80_lines():
    long = {
        (where, name)
        for where, text in _app_modules()
        for name, _length in _long_functions(ast.parse(text), MAX_FUNCTION_LINES)
    }
    assert long - LONG_FUNCTIONS_ALLOWED == set(), "cut these into well-named pieces"
    assert LONG_FUNCTIONS_ALLOWED - long == set(), "these are short now: take them off the list"


def test_the_length_scan_finds_long_functions_and_methods():
    body = "\n".join(f"    x = {n}" for n in range(79))  # with its def: 80 lines
    tree = ast.parse(
        f"def short():\n{body}\n\n\nclass C:\n    def long(self):\n"
        + "\n".join(f"        x = {n}" for n in range(80))
        + "\n\n    async def inner(self):\n        pass\n"
    )
    assert list(_long_functions(tree, 80)) == [("C.long", 81)]
    assert list(_long_functions(tree, 1)) == [("short", 80), ("C.long", 81), ("C.inner", 2)]


# Every transaction of a screen goes through views/ops.py (issue 14 item 3): off the GUI
# thread, domain errors to the message line, bugs to the bug dialog. A database opened
# directly in a view is listed here with why it is not on the GUI thread's event loop.
TRANSACTIONS_ALLOWED = {
    ("views/ops.py", "Op._in_worker"): "the operation helper itself, on its worker",
    ("views/app.py", "prepare_database"): "start-up, before any window exists",
    ("views/app.py", "open_quietly"): "start-up's worker, behind the sign-in window",
    ("views/app.py", "warm_up"): "start-up's worker, behind the sign-in window",
    ("views/app.py", "expected_actor"): "sign-in: the name's user, before any main window",
    ("views/app.py", "sign_in_interactive"): "start-up: the user count before any window",
    ("views/app.py", "build_context"): "start-up: the main window is built from it",
    ("views/app.py", "start_printing"): "start-up, before the main window is shown",
    ("views/counter/offline.py", "OfflineController.cache_catalogue.work"): "a worker",
    ("views/setup_wizard.py", "SetupWizard._build_store.work"): "a worker, with progress",
}


def _transactions(tree: ast.AST) -> Iterator[str]:
    """The qualified name of each function that calls `<...>database.read/write/transact`."""

    def visit(node: ast.AST, prefix: str, inside: str) -> Iterator[str]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                yield from visit(child, f"{name}.", name)
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in {"read", "write", "transact"}
                and ast.unparse(child.func.value).split(".")[-1] in {"database", "_database"}
            ):
                yield inside
            yield from visit(child, prefix, inside)

    yield from visit(tree, "", "<module>")


def test_views_open_transactions_only_through_the_operation_helper():
    seen = {
        (where, name)
        for where, text in _app_modules()
        if where.startswith("views/")
        for name in _transactions(ast.parse(text))
    }
    assert seen - TRANSACTIONS_ALLOWED.keys() == set(), "use views/ops.py query()/op()"
    assert TRANSACTIONS_ALLOWED.keys() - seen == set(), "gone: take them off the list"


def test_the_transaction_scan_finds_a_view_that_writes():
    tree = ast.parse(
        "class S:\n    def save(self):\n        with self.ctx.database.write() as s:\n"
        "            pass\n"
    )
    assert list(_transactions(tree)) == ["S.save"]
