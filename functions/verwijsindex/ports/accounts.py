"""The user directory behind the professionals' sign-in (adapters/accounts.py: Cognito).

An operator's invitation creates the account; when a professional leaves, their account is
disabled and every session they hold is ended.
"""

from __future__ import annotations

from typing import Protocol


class AccountExists(Exception):
    """The directory already has an account for this e-mail address."""


class Accounts(Protocol):
    def create(self, email: str, org_id: str, temporary_password: str) -> str:
        """A professional's account of `org_id`, signing in first with `temporary_password` (no
        message from the directory itself: the invitation is ours). Returns the user id (`sub`);
        raises AccountExists."""
        ...

    def disable(self, user_id: str) -> None:
        """No new sign-in and no valid session for this user (the directory's `sub`); repeatable."""
        ...
