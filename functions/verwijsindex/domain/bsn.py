"""Burgerservicenummer: 9 digits that pass the elfproef.

Error messages never repeat the number: a BSN must not reach logs or responses.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def passes_elfproef(value: str) -> bool:
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _WEIGHTS, strict=True))
    # All zeros passes the arithmetic but is never issued.
    return total % 11 == 0 and total != 0


def _check(value: str) -> str:
    if not passes_elfproef(value):
        raise ValueError("not a valid BSN (9 digits passing the elfproef)")
    return value


Bsn = Annotated[str, StringConstraints(min_length=9, max_length=9), AfterValidator(_check)]
