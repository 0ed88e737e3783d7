"""Fixtures of the integration tests that call the portal's handler."""

from tests.portal_support import portal  # noqa: F401 - the fixture
