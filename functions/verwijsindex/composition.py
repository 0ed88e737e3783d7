"""One container-wide composition root: built on first use, replaceable by tests and the
local run (which keeps several regions in one process and switches per handler call)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Installed(Generic[T]):
    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None

    def install(self, value: T | None) -> None:
        """Replace the services; None rebuilds them from the environment on next use."""
        self._value = value

    def current(self) -> T:
        if self._value is None:
            self._value = self._build()
        return self._value

    @contextmanager
    def using(self, value: T) -> Iterator[T]:
        """These services for the duration of one handler call, then the previous ones again."""
        previous, self._value = self._value, value
        try:
            yield value
        finally:
            self._value = previous
