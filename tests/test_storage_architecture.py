"""Storage stays behind its interfaces: only bot/storage/ talks SQL, and storage has no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.migrations import STEPS, migrations

REPO = Path(__file__).resolve().parent.parent
DRIVERS = ("sqlite3", "sqlite_utils")


def _modules() -> dict[str, Path]:
    """Dotted name -> file of every module in bot/ and handlers/."""
    found = {}
    for package in ("bot", "handlers"):
        for path in (REPO / package).rglob("*.py"):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported(path: Path, known: set[str]) -> set[str]:
    """Every module `path` imports, wherever the import stands (top, function, TYPE_CHECKING)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if full in known else node.module)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imported(path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start] & graph.keys())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            target = next(edges, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(component)
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(sorted(graph[target] & graph.keys()))))
            elif target in on_stack:
                low[node] = min(low[node], index[target])
    return found


def test_only_bot_storage_imports_a_database_driver() -> None:
    offenders = [
        f"{name} imports {driver}"
        for name, imported in _graph().items()
        if not name.startswith("bot.storage")
        for driver in DRIVERS
        if any(module == driver or module.startswith(f"{driver}.") for module in imported)
    ]
    assert offenders == []


def test_only_the_backend_chooser_names_a_backend() -> None:
    """Everything else uses the interfaces, so a new backend is a sibling folder of bot/storage/sqlite/."""
    offenders = [
        name
        for name, imported in _graph().items()
        if not name.startswith("bot.storage")
        and any(module.startswith("bot.storage.sqlite") for module in imported)
    ]
    assert offenders == []
    interfaces = [
        name
        for name, imported in _graph().items()
        if name.startswith("bot.storage.")
        and not name.startswith("bot.storage.sqlite")
        and name != "bot.storage.backends"
        and any(module.startswith("bot.storage.sqlite") for module in imported)
    ]
    assert interfaces == []


def test_the_backends_share_sql_only_through_the_neutral_module() -> None:
    """bot/storage/sql.py holds the SQL both backends run: it imports no driver and no backend, each
    backend imports it, and neither backend imports the other."""
    graph = _graph()
    backends = ("bot.storage.sqlite", "bot.storage.postgres")
    drivers = (*DRIVERS, "psycopg", "psycopg_pool")
    neutral = graph["bot.storage.sql"]
    assert [m for m in neutral if m.split(".")[0] in drivers or m.startswith(backends)] == []
    for backend, other in (backends, backends[::-1]):
        modules = {name: imported for name, imported in graph.items() if name.startswith(backend)}
        assert any("bot.storage.sql" in imported for imported in modules.values()), backend
        assert [name for name, imported in modules.items() if any(m.startswith(other) for m in imported)] == []


def test_storage_and_the_modules_around_it_have_no_import_cycles() -> None:
    untangled = {"bot.standup.report", "bot.standup.service"}  # the report takes its sources, not the service
    untangled |= {"bot.escalations.notices", "bot.escalations.wire"}  # the row codec lives in wire
    tangled = [
        sorted(cycle)
        for cycle in _cycles(_graph())
        if any(name.startswith("bot.storage") or name in untangled for name in cycle)
    ]
    assert tangled == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [{"a", "b", "c"}]


def test_migrations_are_listed_once_in_order_and_applied_in_that_order(tmp_path: Path) -> None:
    names = [step.__name__ for step in STEPS]
    numbers = [int(name[1:4]) for name in names]
    assert numbers == list(range(1, len(names) + 1))
    assert [m.name for m in migrations._migrations] == names
    db = open_database(tmp_path / "fresh.db")
    assert [m.name for m in migrations.applied(db)] == names
