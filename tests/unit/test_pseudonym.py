import pytest

from verwijsindex.adapters.pseudonym import Pseudonymiser, static_key


def test_pseudonyms_are_stable_keyed_and_hide_the_bsn() -> None:
    one = Pseudonymiser(static_key("regional-key-aaaaaaaa"), static_key("national-key-aaaaaaaa"))
    other_region = Pseudonymiser(static_key("regional-key-bbbbbbbb"), static_key("national-key-aaaaaaaa"))
    bsn = "111222333"
    assert one.regional(bsn) == one.regional(bsn)
    assert bsn not in one.regional(bsn)
    assert len(one.regional(bsn)) == 64
    # Regions cannot join their tables, yet share the national pseudonym.
    assert one.regional(bsn) != other_region.regional(bsn)
    assert one.national(bsn) == other_region.national(bsn)
    assert one.national(bsn) != one.regional(bsn)


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        static_key("short")
