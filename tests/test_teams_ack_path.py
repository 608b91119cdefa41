"""What the Teams bridge takes off the path before the 200, without changing what botbuilder does."""

from __future__ import annotations

from msrest.universal_http.requests import ClientRetryPolicy

from handlers.teams.bot_adapter import BotFrameworkBridge, BotSettings


def test_connector_clients_keep_msrests_retry_policy_built_without_its_quadratic_scan() -> None:
    # msrest retries these statuses (everything but the "safe" codes below 500, 501 and 505)
    expected = [code for code in range(999) if code == 408 or (code >= 500 and code not in (501, 505))]
    BotFrameworkBridge(BotSettings(None, None, None, None, None))
    assert isinstance(ClientRetryPolicy.safe_codes, frozenset)  # a set lookup, not a 500-item list scan
    assert ClientRetryPolicy().policy.status_forcelist == expected
