import pytest

from infra.local.events import machine_claims, rest_event, user_claims
from verwijsindex.api.identity import CallerKind, caller_from_event
from verwijsindex.domain.errors import Forbidden


def test_a_user_comes_from_cognito_claims() -> None:
    caller = caller_from_event(rest_event("GET", "/signals", claims=user_claims("s1", "org-a", ["professional"])))
    assert caller.kind is CallerKind.USER
    assert (caller.subject, caller.org_id, caller.groups) == ("s1", "org-a", frozenset({"professional"}))


@pytest.mark.parametrize("groups", ["[professional operator]", "professional,operator", "professional operator"])
def test_flattened_group_lists_are_understood(groups: str) -> None:
    event = rest_event("GET", "/x", claims={"sub": "s1", "custom:org_id": "org-a", "cognito:groups": groups})
    assert caller_from_event(event).groups == frozenset({"professional", "operator"})


def test_a_case_system_comes_from_client_credentials() -> None:
    caller = caller_from_event(rest_event("GET", "/x", claims=machine_claims("cs-1", ["verwijsindex/signals"])))
    assert caller.kind is CallerKind.MACHINE
    assert caller.subject == "cs-1"
    assert caller.org_id is None
    assert caller.scopes == frozenset({"verwijsindex/signals"})


def test_no_authorizer_context_means_no_caller() -> None:
    with pytest.raises(Forbidden):
        caller_from_event(rest_event("GET", "/x"))
