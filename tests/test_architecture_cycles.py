"""No import cycles among bot/ and handlers/ modules (imports in functions and under TYPE_CHECKING count).

CHECKED lists the modules whose cycles are fixed; once every cycle is gone, CHECKED becomes every module
(`set(import_graph())`) and the test covers the whole tree."""

from __future__ import annotations

from architecture import cycles, import_graph

CHECKED = frozenset(
    {
        "bot.observability",
        "bot.runtime",
        "bot.standup.chat",
        "bot.assistant",
        "bot.channels",
        "handlers.teams.directory_source",
        "handlers.teams.server",
        "handlers.teams.bot_adapter",
        "handlers.teams.personal",
        "handlers.slack.server",
        "handlers.slack.dms",
        "handlers.serve_all",
        "handlers.teams.standup",
        "bot.languages",
        "bot.langdetect",
        "bot.text",
        "bot.asks",
        "bot.kb_guide",
        "bot.i18n",
    }
)


def test_the_checked_modules_are_in_no_import_cycle() -> None:
    tangled = [cycle for cycle in cycles(import_graph()) if CHECKED.intersection(cycle)]
    assert tangled == []


def test_every_checked_module_exists() -> None:
    assert set(import_graph()) >= CHECKED  # a renamed module must not silently leave the check


def test_cycles_are_the_strongly_connected_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
