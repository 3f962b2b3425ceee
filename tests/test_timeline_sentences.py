"""Every timeline sentence is a marked message (issue 21, app/core/sentence.py), checked
on the source: a call that writes an order's timeline passes its message as `said(...)`,
`said_n(...)`, `verbatim(...)` or a variable holding one (mypy checks its type in the
services), never an f-string, a plain literal or a string built with `+`, `.format` or
`.join` — those could not be looked up in a catalogue. And every `said`/`said_n` gives
its msgids as plain literals, so `make i18n` extracts them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
# the timeline's writers and where their message goes: (position, keyword)
WRITERS = {
    "record_event": 4,
    "timeline_rows": 4,
    "change_status": 5,
    "move_orders": 5,
    "_record_events": 4,
    "_set_status": 5,
    "_on_timeline": 3,
}
LOCAL_WRITERS = {  # helpers of one module with a name another module uses otherwise
    "services/sales/counter.py": {"_timeline": 4},
    "services/notify/sender.py": {"_timeline": 2, "_po_history": 2},
}
MARKERS = {"said": 1, "said_n": 2}  # how many leading literal msgids each takes


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _message(call: ast.Call, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in ("message", "words"):
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _unmarked(node: ast.expr) -> bool:
    """A string the catalogue cannot look up: a literal, an f-string, or one built here."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) or _unmarked(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join", "replace", "capitalize", "strip")
    return False


def _uses_sentences(tree: ast.Module) -> bool:
    """Whether the module imports the markers (another module may have its own `said`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "app.core.sentence":
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "app.core":
            if any(alias.name == "sentence" for alias in node.names):
                return True
    return False


def problems(source: str, where: str) -> Iterator[str]:
    writers = {**WRITERS, **LOCAL_WRITERS.get(where, {})}
    tree = ast.parse(source)
    marked = _uses_sentences(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        if name in writers:
            message = _message(node, writers[name])
            if message is not None and _unmarked(message):
                yield f"{where}:{node.lineno}: {name}() is given an unmarked message"
        elif name in MARKERS and marked:
            msgids = node.args[: MARKERS[name]]
            literal = all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in msgids
            )
            if len(msgids) < MARKERS[name] or not literal:
                yield f"{where}:{node.lineno}: {name}() needs literal msgids"


def _sources() -> list[Path]:
    return [p for p in sorted(APP.rglob("*.py")) if p.name != "sentence.py"]


def test_every_timeline_message_is_marked():
    found = [
        problem
        for path in _sources()
        for problem in problems(path.read_text(encoding="utf-8"), path.relative_to(APP).as_posix())
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        'orders.record_event(s, order, actor, "note", f"Held: {reason}")',
        'record_event(s, order, actor, "note", "Held")',
        'record_event(s, order, actor, "note", message="Held " + reason)',
        'change_status(s, actor, order, to, "held", "Held: {r}".format(r=reason))',
        'timeline_rows(s, order, actor, "x", "; ".join(parts))',
        'move_orders(s, actor, ids, a, b, f"Picking on {number}")',
        'record_event(s, order, actor, "x", said(f"Held {reason}"))',
        'record_event(s, order, actor, "x", said(text))',
        'said_n("{count} package", plural, n)',
    ],
)
def test_the_check_finds_an_unmarked_message(line):
    source = "from app.core.sentence import said, said_n\n" + line
    assert list(problems(source, "services/example.py"))


@pytest.mark.parametrize(
    "line",
    [
        'orders.record_event(s, order, actor, "note", said("Held: {reason}", reason=reason))',
        'record_event(s, order, actor, "note", verbatim(text))',
        'change_status(s, actor, order, to, "held", words)',
        'said_n("{count} package", "{count} packages", n, carrier=name)',
        'record_event(s, order, actor, "created")',
    ],
)
def test_the_check_lets_a_marked_message_pass(line):
    source = "from app.core.sentence import said, said_n, verbatim\n" + line
    assert not list(problems(source, "services/example.py"))
