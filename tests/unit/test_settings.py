import pytest
from pydantic import ValidationError

from verwijsindex.domain.settings import RegionSettings


def test_the_legal_values_are_the_defaults() -> None:
    settings = RegionSettings.from_env({})
    assert (settings.active_period_years, settings.archive_period_years, settings.age_limit_years) == (2, 5, 23)


def test_a_region_may_choose_shorter_periods() -> None:
    settings = RegionSettings.from_env({"VI_ACTIVE_PERIOD_YEARS": "1", "VI_REGION_CODE": "noord"})
    assert settings.active_period_years == 1
    assert settings.region_code == "noord"


@pytest.mark.parametrize(
    "env",
    [{"VI_ACTIVE_PERIOD_YEARS": "3"}, {"VI_ARCHIVE_PERIOD_YEARS": "6"}, {"VI_AGE_LIMIT_YEARS": "24"}],
)
def test_no_region_may_exceed_the_law(env: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        RegionSettings.from_env(env)
