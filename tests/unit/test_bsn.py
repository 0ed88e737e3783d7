import pytest
from pydantic import TypeAdapter, ValidationError

from verwijsindex.domain.bsn import Bsn, passes_elfproef

BSN = TypeAdapter(Bsn)


@pytest.mark.parametrize("value", ["111222333", "123456782", "999990019"])
def test_numbers_passing_the_elfproef_are_accepted(value: str) -> None:
    assert passes_elfproef(value)
    assert BSN.validate_python(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "111222334",  # one digit off: the sum is no longer divisible by 11
        "123456789",
        "000000000",  # arithmetically valid, never issued
        "12345678",  # 8 digits
        "1234567820",  # 10 digits
        "12345678a",
        "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff12",  # full-width digits are not ASCII
    ],
)
def test_numbers_failing_the_elfproef_are_rejected(value: str) -> None:
    assert not passes_elfproef(value)
    with pytest.raises(ValidationError) as error:
        BSN.validate_python(value)
    assert value not in str(error.value.errors(include_input=False))


def test_the_check_digit_weighs_minus_one() -> None:
    # 9*1 + 8*1 + 7*1 + 6*2 + 5*2 + 4*2 + 3*3 + 2*3 + (-1)*3 = 66, divisible by 11
    assert passes_elfproef("111222333")
    assert not passes_elfproef("111222332")
