"""The local run's token issuer stands in for Cognito: a disabled account gets no new token, and
a token issued before still passes the gateway (the functions' registry check refuses it)."""

from infra.local.accounts import LocalAccounts
from infra.local.tokens import LocalTokens


def test_a_disabled_user_is_known_as_disabled_and_old_tokens_still_verify() -> None:
    accounts = LocalAccounts()
    tokens = LocalTokens(disabled=accounts.is_disabled)
    leaving = tokens.issue({"sub": "pro-1", "custom:org_id": "org-a"})
    staying = tokens.issue({"sub": "pro-2", "custom:org_id": "org-a"})
    accounts.disable("pro-1")
    assert tokens.disabled("pro-1") and not tokens.disabled("pro-2")
    assert tokens.claims(f"Bearer {leaving}") == {"sub": "pro-1", "custom:org_id": "org-a"}
    assert tokens.claims(f"Bearer {staying}") == {"sub": "pro-2", "custom:org_id": "org-a"}
    assert tokens.claims(f"Bearer {leaving}x") is None
