"""The escalation command parser: every command, helpful errors, and it never raises anything else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.language import (
    VERBS,
    Command,
    CommandError,
    looks_like_command,
    parse_ref,
)
from bot.commands.parser import MAX_COMMAND_LENGTH, parse_command
from bot.knowledge import KnowledgeBase, team_from_dict


def _team(team_id: str, names: dict[str, str], aliases: dict[str, list[str]] | None = None) -> dict:
    return {
        "id": team_id,
        "names": names,
        "summary": {"en": team_id},
        "aliases": aliases or {},
        "responsibilities": [{"id": "r", "text": {"en": "things"}}],
    }


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    raw = [
        _team(
            "customer-service",
            {"en": "Customer Service", "sv": "Kundtjänst", "zh-TW": "客服團隊"},
            {"en": ["customer support", "help desk", "support"], "ko": ["고객센터"]},
        ),
        _team("warehouse", {"en": "Warehouse", "ko": "물류팀"}, {"en": ["logistics"], "sv": ["lager"]}),
        _team("it", {"en": "IT", "nl": "IT-afdeling"}, {"en": ["tech", "support"]}),
        _team("marketing", {"en": "Marketing"}),
        _team("content", {"en": "Content"}),
        _team("c-level", {"en": "C-level"}),
        _team("finance", {"en": "Finance", "sv": "Ekonomi"}),
    ]
    return KnowledgeBase(teams={t["id"]: team_from_dict(t) for t in raw})


def error_of(text: str, kb: KnowledgeBase) -> CommandError:
    with pytest.raises(CommandError) as info:
        parse_command(text, kb)
    return info.value


# --- escalate ----------------------------------------------------------------------------------


def test_escalate_with_team_and_priority_flag(kb: KnowledgeBase) -> None:
    cmd = parse_command("escalate warehouse Parcels stuck at the dock --priority P1", kb)
    assert cmd == Command(name="escalate", team="warehouse", text="Parcels stuck at the dock", priority="P1")


@pytest.mark.parametrize(
    "text",
    [
        "escalate it Checkout is down -p p1",
        "escalate it Checkout is down P1",
        "escalate P1 it Checkout is down",
        "escalate it P1 Checkout is down",
        "escalate it --priority=P1 Checkout is down",
        "/escalate it Checkout is down --priority p1",
        "ESCALATE IT Checkout is down p1",
    ],
)
def test_escalate_priority_spellings(text: str, kb: KnowledgeBase) -> None:
    cmd = parse_command(text, kb)
    assert (cmd.team, cmd.text, cmd.priority) == ("it", "Checkout is down", "P1")


def test_escalate_without_team_leaves_routing_to_the_service(kb: KnowledgeBase) -> None:
    cmd = parse_command("escalate Returns are piling up at the dock", kb)
    assert cmd.team is None
    assert cmd.text == "Returns are piling up at the dock"
    assert cmd.priority is None  # the service applies the default


def test_escalate_team_by_alias_name_and_other_language(kb: KnowledgeBase) -> None:
    assert parse_command("escalate logistics truck late", kb).team == "warehouse"
    assert parse_command("escalate Kundtjänst kön är lång", kb).team == "customer-service"
    assert parse_command("escalate 客服團隊 退貨卡住了", kb).team == "customer-service"
    assert parse_command("escalate 고객센터 반품 문의 폭주", kb).team == "customer-service"
    multi = parse_command("escalate customer support refunds stuck", kb)
    assert (multi.team, multi.text) == ("customer-service", "refunds stuck")


def test_escalate_first_word_is_a_team_only_on_exact_match(kb: KnowledgeBase) -> None:
    cmd = parse_command("escalate warehous parcels", kb)
    assert (cmd.team, cmd.text) == (None, "warehous parcels")


def test_escalate_ambiguous_alias_is_left_in_the_summary(kb: KnowledgeBase) -> None:
    cmd = parse_command("escalate support queue is long", kb)
    assert (cmd.team, cmd.text) == (None, "support queue is long")


def test_escalate_keeps_quotes_inside_and_strips_wrapping_quotes(kb: KnowledgeBase) -> None:
    assert parse_command('escalate it "Can\'t log in"', kb).text == "Can't log in"
    assert parse_command("escalate it the 'new' checkout; DROP TABLE escalations;--", kb).text == (
        "the 'new' checkout; DROP TABLE escalations;--"
    )
    assert parse_command("escalate it “smart quotes”", kb).text == "smart quotes"


def test_escalate_first_line_is_summary_rest_is_details(kb: KnowledgeBase) -> None:
    cmd = parse_command("escalate it Checkout down\nCustomers get a 500\n  on the pay step", kb)
    assert cmd.text == "Checkout down"
    assert cmd.details == "Customers get a 500\n  on the pay step"


def test_escalate_team_flag_and_fullwidth(kb: KnowledgeBase) -> None:
    assert parse_command("escalate Sync broken --team tech", kb).team == "it"
    cmd = parse_command("ｅｓｃａｌａｔｅ ＩＴ 結帳壞了 Ｐ１", kb)
    assert (cmd.team, cmd.text, cmd.priority) == ("it", "結帳壞了", "P1")


@pytest.mark.parametrize(
    "text, key",
    [
        ("escalate", "cmd-missing-summary"),
        ("escalate it", "cmd-missing-summary"),
        ("escalate it P1", "cmd-missing-summary"),
        ("escalate it '  '", "cmd-missing-summary"),
        ("escalate it down --priority P9", "cmd-bad-priority"),
        ("escalate it down --priority", "cmd-missing-value"),
        ("escalate down --team", "cmd-missing-value"),
    ],
)
def test_escalate_errors(text: str, key: str, kb: KnowledgeBase) -> None:
    err = error_of(text, kb)
    assert err.key == key
    assert err.verb == "escalate"
    assert "Usage: escalate [TEAM] SUMMARY" in err.message("en")


# --- id commands -------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ack", "reopen", "cancel", "bump", "show"])
@pytest.mark.parametrize(
    "ref",
    [
        "ESC-42",
        "esc-42",
        "42",
        "#42",
        "ESC42",
        "ＥＳＣ－４２",
        "ESC-042",
        "ESC-42.",
    ],
)
def test_id_commands(verb: str, ref: str, kb: KnowledgeBase) -> None:
    assert parse_command(f"{verb} {ref}", kb) == Command(name=verb, ref="ESC-42")


def test_acknowledge_is_a_synonym_of_ack(kb: KnowledgeBase) -> None:
    assert parse_command("acknowledge 7", kb) == Command(name="ack", ref="ESC-7")


def test_resolve_with_and_without_note(kb: KnowledgeBase) -> None:
    assert parse_command("resolve ESC-3", kb) == Command(name="resolve", ref="ESC-3")
    cmd = parse_command("resolve ESC-3   Refund sent,\nsee ticket #77 ", kb)
    assert cmd.text == "Refund sent,\nsee ticket #77"


def test_comment_keeps_text_verbatim(kb: KnowledgeBase) -> None:
    cmd = parse_command("comment 5 Robert'); DROP TABLE escalations;-- 🙂", kb)
    assert cmd == Command(name="comment", ref="ESC-5", text="Robert'); DROP TABLE escalations;-- 🙂")


def test_reassign(kb: KnowledgeBase) -> None:
    assert parse_command("reassign ESC-9 warehouse it is a stock issue", kb) == Command(
        name="reassign", ref="ESC-9", team="warehouse", text="it is a stock issue"
    )
    assert parse_command("reassign 9 Lager", kb) == Command(name="reassign", ref="ESC-9", team="warehouse")


@pytest.mark.parametrize(
    "text, key, code",
    [
        ("ack", "cmd-missing-id", "usage"),
        ("ack checkout", "cmd-bad-id", "usage"),
        ("ack ESC-", "cmd-bad-id", "usage"),
        ("ack ESC-1234567890123456789", "cmd-bad-id", "usage"),
        ("ack 42 please", "cmd-extra-args", "usage"),
        ("comment 42", "cmd-missing-text", "usage"),
        ("comment 42 ''", "cmd-missing-text", "usage"),
        ("reassign 42", "cmd-missing-team", "usage"),
        ("reassign 42 nobody", "cmd-unknown-team", "unknown_team"),
    ],
)
def test_id_command_errors(text: str, key: str, code: str, kb: KnowledgeBase) -> None:
    err = error_of(text, kb)
    assert (err.key, err.code) == (key, code)


def test_unknown_team_did_you_mean(kb: KnowledgeBase) -> None:
    err = error_of("reassign ESC-1 cs", kb)
    assert err.message("en").splitlines()[0] == "unknown team 'cs' - did you mean customer-service?"
    assert error_of("reassign 1 warehose", kb).args_for_message["suggestion"] == "warehouse"
    assert error_of("reassign 1 Kundtjanst", kb).args_for_message["suggestion"] == "customer-service"


def test_unknown_team_without_a_close_match_lists_the_teams(kb: KnowledgeBase) -> None:
    message = error_of("reassign 1 zzzz", kb).message("en")
    assert message.startswith("unknown team 'zzzz'. Teams: c-level, content, customer-service, finance")


def test_ambiguous_team_names_the_candidates(kb: KnowledgeBase) -> None:
    err = error_of("reassign 1 support", kb)
    assert err.key == "cmd-ambiguous-team"
    assert err.args_for_message["teams"] == "customer-service, it"


# --- list, help, unknown -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("list", Command(name="list", scope="open")),
        ("list mine", Command(name="list", scope="mine")),
        ("list OVERDUE", Command(name="list", scope="overdue")),
        ("list all", Command(name="list", scope="all")),
        ("list team warehouse", Command(name="list", scope="team", team="warehouse")),
        ("list team logistics", Command(name="list", scope="team", team="warehouse")),
        ("list warehouse", Command(name="list", scope="team", team="warehouse")),
        ("help", Command(name="help")),
        ("help reassign", Command(name="help", text="reassign")),
        ("/help", Command(name="help")),
    ],
)
def test_list_and_help(text: str, expected: Command, kb: KnowledgeBase) -> None:
    assert parse_command(text, kb) == expected


@pytest.mark.parametrize(
    "text, key",
    [
        ("list team", "cmd-missing-team"),
        ("list team cs", "cmd-unknown-team-suggest"),
        ("list yesterday", "cmd-bad-scope"),
        ("list mine please", "cmd-extra-args"),
    ],
)
def test_list_errors(text: str, key: str, kb: KnowledgeBase) -> None:
    assert error_of(text, kb).key == key


def test_unknown_command_did_you_mean(kb: KnowledgeBase) -> None:
    err = error_of("akc 42", kb)
    assert err.message("en") == "Unknown command 'akc' - did you mean ack?"
    assert error_of("resolv 1", kb).args_for_message["suggestion"] == "resolve"
    assert error_of("frobnicate", kb).key == "cmd-unknown"


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty(text: str, kb: KnowledgeBase) -> None:
    assert error_of(text, kb).key == "cmd-empty"


def test_too_long(kb: KnowledgeBase) -> None:
    text = "escalate it " + "x" * MAX_COMMAND_LENGTH
    err = error_of(text, kb)
    assert (err.key, err.code) == ("cmd-too-long", "too_long")
    assert "4,000" in err.message("en")
    exactly = "comment 1 " + "y" * (MAX_COMMAND_LENGTH - len("comment 1 "))
    assert len(parse_command(exactly, kb).text) == MAX_COMMAND_LENGTH - len("comment 1 ")


def test_parse_ref() -> None:
    assert parse_ref("esc_12") == "ESC-12"
    assert parse_ref("ESC-0012,") == "ESC-12"
    assert parse_ref("12a") is None
    assert parse_ref("ESC--12") is None


# --- looks_like_command ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "escalate it checkout down",
        "ack ESC-4",
        "ack",
        "Resolve 4 done",
        "list",
        "list overdue",
        "help",
        "help escalate",
        "/show 4",
        "/list whatever",
        "show ESC-12",
        "reassign 3 it",
        "comment 3 hi",
        "acknowledge 3",
    ],
)
def test_looks_like_command(text: str) -> None:
    assert looks_like_command(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "who handles returns?",
        "show me who handles returns",
        "help me find the returns team",
        "list the teams that handle refunds",
        "cancel my order please",
        "escalation policy for IT?",
        "退貨由誰處理？",
        "/",
        "ackn 3",
    ],
)
def test_looks_like_a_question(text: str) -> None:
    assert not looks_like_command(text)


# --- never raises anything but CommandError -----------------------------------------------------

_NASTY = st.sampled_from(
    [
        "'",
        '"',
        "“",
        "「",
        "--priority",
        "-p",
        "--team",
        "-t",
        "=",
        "P1",
        "p4",
        "ESC-",
        "#",
        "0",
        "9" * 25,
        "; DROP TABLE escalations;--",
        "%",
        "_",
        "\\",
        "\n",
        "\r\n",
        "\t",
        "\u200b",
        "\x00",
        "🙂",
        "ＥＳＣ－１",
        "team",
        "mine",
        "support",
        "customer service",
        "客服團隊",
        "Kundtjänst",
        "ﬃ",
        "İ",
    ]
)
_WORDS = st.one_of(st.sampled_from([*VERBS, "/escalate", "acknowledge"]), _NASTY, st.text(max_size=12))
_COMMANDS = st.one_of(
    st.text(max_size=200),
    st.lists(_WORDS, max_size=10).map(" ".join),
    st.tuples(st.sampled_from(VERBS), st.lists(_WORDS, max_size=8)).map(lambda p: " ".join([p[0], *p[1]])),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_COMMANDS)
def test_parser_never_raises_anything_but_command_error(text: str, kb: KnowledgeBase) -> None:
    try:
        cmd = parse_command(text, kb)
    except CommandError as err:
        assert err.message("en")  # every error renders
        return
    assert cmd.name in VERBS
    assert cmd.ref is None or cmd.ref.startswith("ESC-")
    assert cmd.team is None or cmd.team in kb.teams
    assert cmd.priority in (None, "P1", "P2", "P3")
    looks_like_command(text)  # must not raise either
