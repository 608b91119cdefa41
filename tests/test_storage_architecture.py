"""Storage stays behind its interfaces: only bot/storage/ talks SQL, and storage has no import cycles."""

from __future__ import annotations

from pathlib import Path

from architecture import cycles, import_graph, imported_names

from bot.storage import sql as shared
from bot.storage.sql import for_postgres
from bot.storage.sqlite.database import open_database
from bot.storage.sqlite.migrations import STEPS, migrations

DRIVERS = ("sqlite3", "sqlite_utils")


def test_only_bot_storage_imports_a_database_driver() -> None:
    offenders = [
        f"{name} imports {driver}"
        for name, imported in imported_names().items()
        if not name.startswith("bot.storage")
        for driver in DRIVERS
        if any(module == driver or module.startswith(f"{driver}.") for module in imported)
    ]
    assert offenders == []


def test_only_the_backend_chooser_names_a_backend() -> None:
    """Everything else uses the interfaces, so a new backend is a sibling folder of bot/storage/sqlite/."""
    offenders = [
        name
        for name, imported in imported_names().items()
        if not name.startswith("bot.storage")
        and any(module.startswith("bot.storage.sqlite") for module in imported)
    ]
    assert offenders == []
    interfaces = [
        name
        for name, imported in imported_names().items()
        if name.startswith("bot.storage.")
        and not name.startswith("bot.storage.sqlite")
        and name != "bot.storage.backends"
        and any(module.startswith("bot.storage.sqlite") for module in imported)
    ]
    assert interfaces == []


def test_the_backends_share_sql_only_through_the_neutral_module() -> None:
    """bot/storage/sql.py holds the SQL both backends run: it imports no driver and no backend, each
    backend imports it, and neither backend imports the other."""
    graph = imported_names()
    backends = ("bot.storage.sqlite", "bot.storage.postgres")
    drivers = (*DRIVERS, "psycopg", "psycopg_pool")
    neutral = graph["bot.storage.sql"]
    assert [m for m in neutral if m.split(".")[0] in drivers or m.startswith(backends)] == []
    for backend, other in (backends, backends[::-1]):
        modules = {name: imported for name, imported in graph.items() if name.startswith(backend)}
        assert any("bot.storage.sql" in imported for imported in modules.values()), backend
        crossing = [name for name, imported in modules.items() if any(m.startswith(other) for m in imported)]
        assert crossing == []


def test_the_shared_sql_turns_into_psycopg_marks() -> None:
    converted = for_postgres("a = ? AND b = :name AND c::text IS NULL")
    assert converted == "a = %s AND b = %(name)s AND c::text IS NULL"
    statements = [text for text in vars(shared).values() if isinstance(text, str) and " FROM " in text]
    statements += [text for text in vars(shared).values() if isinstance(text, str) and "UPDATE " in text]
    assert len(statements) > 20
    assert [text for text in statements if "%" in text] == []  # psycopg would read it as a mark


def test_storage_and_the_modules_around_it_have_no_import_cycles() -> None:
    untangled = {"bot.standup.report", "bot.standup.service"}  # the report takes its sources, not the service
    untangled |= {"bot.escalations.notices", "bot.escalations.wire"}  # the row codec lives in wire
    tangled = [
        sorted(cycle)
        for cycle in cycles(import_graph())
        if any(name.startswith("bot.storage") or name in untangled for name in cycle)
    ]
    assert tangled == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_migrations_are_listed_once_in_order_and_applied_in_that_order(tmp_path: Path) -> None:
    names = [step.__name__ for step in STEPS]
    numbers = [int(name[1:4]) for name in names]
    assert numbers == list(range(1, len(names) + 1))
    assert [m.name for m in migrations._migrations] == names
    db = open_database(tmp_path / "fresh.db")
    assert [m.name for m in migrations.applied(db)] == names
