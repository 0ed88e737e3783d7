"""Configuration of the national index (one stack in the national account, linking every region).

The national operator lists the linked regions in a TOML file (see ``infra/national/example.toml``) and
selects it with ``npx cdk synth -c national=infra/national/<file>.toml``. Only the accounts listed here may
put events on the national bus, and each region's answers go to that region's inbox bus, so this list is
the whole trust relationship of the national link. Validated before any construct is created.

The national function learns the region list from the SSM parameter ``REGIONS_PARAMETER_NAME`` (a plain
String, advanced tier), which the national stack writes from this file: the whole country's municipalities
do not fit in Lambda's 4 KB of environment variables, an advanced parameter holds 8 KB.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from infra.config import (
    REPO_ROOT,
    AwsAccount,
    AwsRegion,
    EmailAddress,
    RuntimeSettings,
    Slug,
    _Model,
    national_inbox_bus_name,
)

DEFAULT_NATIONAL_CONFIG_FILE = REPO_ROOT / "infra" / "national" / "example.toml"
NATIONAL_STACK_NAME = "Verwijsindex-National"

# The region list as compact JSON, in one SSM parameter of the national stack (one national stack per
# account and AWS region, as its stack name and key alias are fixed too). Advanced tier: up to 8 KB.
REGIONS_PARAMETER_NAME = "/verwijsindex/national/regions"
REGIONS_PARAMETER_LIMIT = 8192

CbsMunicipality = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
EventBusName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,256}$")]


class LinkedRegion(_Model):
    """One linked region: where its stack runs and which municipalities (CBS codes) it covers."""

    code: Slug = Field(description="the region's region_code")
    account: AwsAccount
    aws_region: AwsRegion = "eu-central-1"
    display_name: str = Field(default="", max_length=100)
    municipalities: list[CbsMunicipality] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_duplicate_municipality(self) -> LinkedRegion:
        if len(self.municipalities) != len(set(self.municipalities)):
            raise ValueError(f"region {self.code}: a municipality is listed twice")
        return self

    @property
    def inbox_bus_name(self) -> str:
        return national_inbox_bus_name(self.code)


class NationalConfig(RuntimeSettings):
    """Everything the national stack needs: its own placement and the regions it links."""

    # Where the stack goes (default account: the deploying credentials, as for a region).
    account: AwsAccount | None = None
    aws_region: AwsRegion = "eu-central-1"
    termination_protection: bool = True

    bus_name: EventBusName = "verwijsindex-national"
    operations_email: EmailAddress | None = Field(
        default=None, description="subscribed to the national alarms (confirm the e-mail)"
    )
    regions: list[LinkedRegion] = Field(min_length=1)

    @model_validator(mode="after")
    def _regions_are_consistent(self) -> NationalConfig:
        codes = [region.code for region in self.regions]
        if len(codes) != len(set(codes)):
            raise ValueError("region codes must be unique")
        owner: dict[str, str] = {}
        for region in self.regions:
            for municipality in region.municipalities:
                if municipality in owner:
                    raise ValueError(
                        f"municipality {municipality} is in two regions ({owner[municipality]} and {region.code})"
                    )
                owner[municipality] = region.code
        size = len(self.regions_json.encode())
        if size > REGIONS_PARAMETER_LIMIT:
            raise ValueError(
                f"the region list takes {size} bytes as JSON; it is stored in the SSM parameter "
                f"{REGIONS_PARAMETER_NAME} (advanced tier), which holds at most {REGIONS_PARAMETER_LIMIT} bytes "
                "(shorten the display names)"
            )
        return self

    @property
    def stack_name(self) -> str:
        return NATIONAL_STACK_NAME

    @property
    def region_accounts(self) -> list[str]:
        """The accounts allowed to put events on the national bus (sorted, each once)."""
        return sorted({region.account for region in self.regions})

    @property
    def regions_parameter_name(self) -> str:
        """The SSM parameter holding ``regions_json``; the function gets its name as NATIONAL_REGIONS_PARAMETER."""
        return REGIONS_PARAMETER_NAME

    @property
    def regions_json(self) -> str:
        """``{"<code>": {"account", "display_name", "municipalities"}}`` as compact JSON (the parameter's value)."""
        return json.dumps(
            {
                region.code: {
                    "account": region.account,
                    "display_name": region.display_name,
                    "municipalities": region.municipalities,
                }
                for region in self.regions
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )


def load_national_config(path: str | Path | None = None) -> NationalConfig:
    """Read and validate the national TOML file (default: the example)."""
    file = Path(path) if path is not None else DEFAULT_NATIONAL_CONFIG_FILE
    if not file.is_absolute():
        file = (REPO_ROOT / file) if not file.exists() else file.resolve()
    with file.open("rb") as handle:
        return NationalConfig.model_validate(tomllib.load(handle))
