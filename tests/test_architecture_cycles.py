"""No import cycles among bot/ and handlers/ modules (imports in functions and under TYPE_CHECKING count)."""

from __future__ import annotations

from architecture import cycles, import_graph


def test_no_module_of_bot_or_handlers_is_in_an_import_cycle() -> None:
    graph = import_graph()
    assert {"bot.runtime", "handlers.teams.notifier", "handlers.slack.server"} <= set(
        graph
    )  # the tree is read
    assert cycles(graph) == []


def test_cycles_are_the_strongly_connected_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
