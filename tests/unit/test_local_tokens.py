"""The local run's token issuer stands in for Cognito: a disabled account's tokens stop working."""

from infra.local.accounts import LocalAccounts
from infra.local.tokens import LocalTokens


def test_a_disabled_users_tokens_are_ignored_and_others_still_work() -> None:
    accounts = LocalAccounts()
    tokens = LocalTokens(disabled=accounts.is_disabled)
    leaving = tokens.issue({"sub": "pro-1", "custom:org_id": "org-a"})
    staying = tokens.issue({"sub": "pro-2", "custom:org_id": "org-a"})
    assert tokens.claims(f"Bearer {leaving}") == {"sub": "pro-1", "custom:org_id": "org-a"}
    accounts.disable("pro-1")
    assert tokens.claims(f"Bearer {leaving}") is None
    assert tokens.claims(f"Bearer {staying}") == {"sub": "pro-2", "custom:org_id": "org-a"}
    assert tokens.disabled("pro-1") and not tokens.disabled("pro-2")
