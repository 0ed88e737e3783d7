"""Configuration of one regional deployment (one Verwijsindex region = one stack).

An operator describes a region in a TOML file (see ``infra/regions/example.toml``) and selects it with
``npx cdk synth -c config=infra/regions/<region>.toml``. Everything is validated here, before any construct
is created, so a typo fails the synth with a readable message instead of a broken deployment.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_FILE = REPO_ROOT / "infra" / "regions" / "example.toml"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$")]
DomainName = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        max_length=253,
        pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    ),
]
SsmParameterName = Annotated[str, StringConstraints(pattern=r"^(/[A-Za-z0-9_.-]+)+$", max_length=1011)]
AwsAccount = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]
AwsRegion = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$")]
EmailAddress = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,63}$")]
EventBusArn = Annotated[
    str, StringConstraints(pattern=r"^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._-]+$")
]

# The national link: events a region publishes to the national bus, and the events the
# national index answers with on each region's inbox bus. The functions use the same names.
REGION_EVENT_SOURCE = "verwijsindex.region"
NATIONAL_EVENT_SOURCE = "verwijsindex.national"
REGION_DETAIL_TYPES = ("SignalActivated", "SignalRemoved", "YouthMoved", "StatisticsCounted")
NATIONAL_DETAIL_TYPES = ("RemoteMatch", "RemoteSignalDestroyed", "MoveNotice", "NationalTotals")


def national_inbox_bus_name(region_code: str) -> str:
    """The bus on which a linked region receives the national index's answers (one name, both stacks)."""
    return f"verwijsindex-{region_code}-national-inbox"


def _https_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme != "https" or not parsed.netloc:
        raise ValueError(f"{value!r} is not an https:// URL")
    return value.rstrip("/")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CustomDomain(_Model):
    """A custom domain for one of the APIs; with a truststore it requires mutual TLS.

    The ACM certificate must be in the stack's AWS region. The truststore is a PEM bundle of the CA
    certificates whose client certificates are accepted (for example PKIoverheid), uploaded by the
    operator to S3 before the deploy.
    """

    domain_name: DomainName
    certificate_arn: Annotated[str, StringConstraints(pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:")]
    mtls_truststore_uri: str | None = None
    mtls_truststore_version: str | None = None

    @field_validator("mtls_truststore_uri")
    @classmethod
    def _s3_uri(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlparse(value)
        if parsed.scheme != "s3" or not parsed.netloc or not parsed.path.strip("/"):
            raise ValueError("mtls_truststore_uri must look like s3://bucket/path/truststore.pem")
        return value

    @property
    def truststore_bucket(self) -> str:
        assert self.mtls_truststore_uri is not None
        return urlparse(self.mtls_truststore_uri).netloc

    @property
    def truststore_key(self) -> str:
        assert self.mtls_truststore_uri is not None
        return urlparse(self.mtls_truststore_uri).path.lstrip("/")


class CaseSystemClient(_Model):
    """A case system (machine client) of an affiliated organisation.

    It gets a Cognito app client (client credentials grant, scope ``verwijsindex/signals``), an API key
    and its own usage plan, so that one system synchronising in bulk cannot starve the others.
    """

    name: Slug
    rate_limit: float = Field(default=10.0, gt=0, le=1000, description="steady requests per second")
    burst_limit: int = Field(default=20, gt=0, le=5000)
    quota_per_day: int | None = Field(default=100_000, gt=0)


class NationalLink(_Model):
    """How this region reaches the national index (the link between the regions).

    Linked when ``bus_arn`` is set: the region then publishes its signal and move events to that bus
    and receives the national index's answers on its own inbox bus, which only ``national_account``
    (by default the account of ``bus_arn``) may put events on.
    """

    bus_arn: EventBusArn | None = Field(default=None, description="the national event bus; None = unlinked")
    national_account: AwsAccount | None = Field(
        default=None, description="the account that forwards national events to this region (default: bus_arn's)"
    )
    pseudonym_key_parameter: SsmParameterName | None = Field(
        default=None, description="SecureString with the nationally shared pseudonym key"
    )

    @model_validator(mode="after")
    def _account_needs_a_bus(self) -> NationalLink:
        if self.national_account is not None and self.bus_arn is None:
            raise ValueError("national_account is only meaningful with bus_arn (a linked region)")
        return self

    @property
    def linked(self) -> bool:
        return self.bus_arn is not None

    @property
    def account(self) -> str | None:
        """The national account: ``national_account``, else the account that owns ``bus_arn``."""
        if self.national_account is not None:
            return self.national_account
        return self.bus_arn.split(":")[4] if self.bus_arn is not None else None


class RuntimeSettings(_Model):
    """How the functions of a stack run: Python runtime, Powertools layer, logs (regional and national)."""

    python_runtime: Literal["python3.13", "python3.14"] = "python3.14"
    powertools_layer_version: Annotated[str, StringConstraints(pattern=r"^(latest|\d+\.\d+\.\d+)$")] = "3.37.0"
    powertools_layer_arn: str | None = Field(
        default=None, description="overrides the public SSM parameter lookup of the Powertools layer"
    )
    dependencies_layer_dir: str | None = Field(
        default=None,
        description="directory (relative to the repository) with python/ inside, built for arm64, "
        "for dependencies the Powertools layer lacks",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_retention_days: int = Field(default=365, ge=1)
    code_traces: bool = Field(
        default=False,
        description="X-Ray subsegments from inside the functions (AWS calls, handler); Lambda's own segments "
        "are traced either way. Costs every cold start the X-Ray SDK's import, so it is off unless asked for.",
    )

    @property
    def powertools_layer_parameter(self) -> str:
        arch_runtime = f"arm64/{self.python_runtime}"
        return f"/aws/service/powertools/python/{arch_runtime}/{self.powertools_layer_version}"


class RetentionSettings(_Model):
    """The legal periods (Jeugdwet 7.1.4.5/7.1.4.6); a region may only choose them shorter."""

    active_period_years: int = Field(default=2, ge=1, le=2)
    archive_period_years: int = Field(default=5, ge=1, le=5)
    age_limit_years: int = Field(default=23, ge=18, le=23)


class AccessSettings(_Model):
    """Regional choices outside the law: how many refused placements a caller may have per day
    before 429, and how long a deactivated professional's signals may wait for a colleague."""

    refusals_per_day: int = Field(default=20, ge=1, le=1000)
    handover_days: int = Field(default=14, ge=1, le=90)


class RegionConfig(RuntimeSettings):
    """Everything that differs between two regional deployments."""

    region_code: Slug
    display_name: str = Field(default="", max_length=100)

    # Where the stack goes. Without an account the stack is synthesised for the account of the
    # credentials used at deploy time (CDK_DEFAULT_ACCOUNT); the synth itself never calls AWS.
    account: AwsAccount | None = None
    aws_region: AwsRegion = "eu-central-1"
    termination_protection: bool = True

    # E-mail.
    sender_domain: DomainName
    sender_local_part: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")] = "noreply"
    operations_email: EmailAddress | None = Field(
        default=None, description="subscribed to alarms and SES bounces/complaints (confirm the e-mail)"
    )
    operator_email: EmailAddress | None = Field(
        default=None,
        description="the region's regievoerder/operator mailbox; receives the move notices of the national link",
    )

    # Person registry (BRP): Haal Centraal BRP Personen Bevragen, and the BRP Update API for
    # deaths and moves (README "Connecting the BRP"). api_key: a municipal gateway's key;
    # oauth2: RvIG's client-credentials token. brp_mutual_tls adds the PKIoverheid certificate.
    brp_base_url: str
    brp_auth: Literal["api_key", "oauth2"] = "api_key"
    brp_api_key_parameter: SsmParameterName | None = None
    brp_token_url: str | None = None
    brp_client_id: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    brp_scope: str = ""
    brp_client_secret_parameter: SsmParameterName | None = None
    brp_mutual_tls: bool = False
    brp_client_certificate_parameter: SsmParameterName | None = None
    brp_client_key_parameter: SsmParameterName | None = None
    brp_ca_bundle_parameter: SsmParameterName | None = Field(
        default=None, description="CA certificates (PEM) of the BRP's server certificate, if not publicly trusted"
    )
    brp_update_base_url: str | None = Field(
        default=None, description="BRP Update API; set: youths are followed and the change poller runs"
    )
    brp_changes_hour: int = Field(default=5, ge=0, le=23, description="the poller's daily hour, Europe/Amsterdam")

    # Pseudonymisation of the BSN (regional key).
    pseudonym_key_parameter: SsmParameterName | None = None
    # KMS key that encrypts the SecureString parameters above. None: the stack creates one (alias
    # alias/verwijsindex/<region_code>/parameters) and the operator encrypts the parameters with it.
    parameters_kms_key_arn: str | None = None

    national_link: NationalLink = NationalLink()
    retention: RetentionSettings = RetentionSettings()
    access: AccessSettings = AccessSettings()

    # API.
    cognito_domain_prefix: (
        Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")] | None
    ) = None
    portal_callback_urls: list[str] = Field(default_factory=lambda: ["https://localhost:8443/callback"])
    api_domain: CustomDomain | None = None
    case_system_api_domain: CustomDomain | None = None
    # The portal for professionals: its own domain (else the portal API's execute-api URL, under
    # /v1/portaal), and the region's NL Design System token file (else Utrecht's) with its class.
    portal_domain: CustomDomain | None = None
    portal_theme_css: str | None = Field(default=None, description="path from the repository root")
    portal_theme_class: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")] = "utrecht-theme"
    case_systems: list[CaseSystemClient] = Field(default_factory=list)
    api_rate_limit: float = Field(default=50.0, gt=0, description="stage-wide steady requests per second")
    api_burst_limit: int = Field(default=100, gt=0)
    waf_rate_limit_per_ip: int = Field(default=3000, ge=100, le=2_000_000_000, description="per 5 minutes")

    # Runtime: python_runtime, powertools_layer_*, dependencies_layer_dir, log_* (RuntimeSettings).

    @field_validator("brp_base_url", "brp_token_url", "brp_update_base_url")
    @classmethod
    def _brp_https(cls, value: str | None) -> str | None:
        return None if value is None else _https_url(value)

    @model_validator(mode="after")
    def _brp_oauth2_complete(self) -> RegionConfig:
        if self.brp_auth == "oauth2" and not (self.brp_token_url and self.brp_client_id):
            raise ValueError("brp_auth = 'oauth2' needs brp_token_url and brp_client_id")
        return self

    @field_validator("portal_callback_urls")
    @classmethod
    def _callbacks_https(cls, value: list[str]) -> list[str]:
        for url in value:
            parsed = urlparse(url)
            if parsed.scheme != "https" or not parsed.netloc:
                raise ValueError(f"callback URL {url!r} must be https")
        return value

    @model_validator(mode="after")
    def _unique_case_systems(self) -> RegionConfig:
        names = [client.name for client in self.case_systems]
        if len(names) != len(set(names)):
            raise ValueError("case_systems names must be unique")
        return self

    # Derived names; one place so that the stack, the docs and the tests agree.
    @property
    def stack_name(self) -> str:
        return f"Verwijsindex-{self.region_code}"

    @property
    def sender_address(self) -> str:
        return f"{self.sender_local_part}@{self.sender_domain}"

    @property
    def parameter_prefix(self) -> str:
        return f"/verwijsindex/{self.region_code}"

    @property
    def pseudonym_key_parameter_name(self) -> str:
        return self.pseudonym_key_parameter or f"{self.parameter_prefix}/pseudonym-key"

    @property
    def national_pseudonym_key_parameter_name(self) -> str:
        return self.national_link.pseudonym_key_parameter or f"{self.parameter_prefix}/national-pseudonym-key"

    @property
    def brp_api_key_parameter_name(self) -> str:
        return self.brp_api_key_parameter or f"{self.parameter_prefix}/brp-api-key"

    @property
    def brp_environment(self) -> dict[str, str]:
        """How the functions that reach the BRP connect (functions/verwijsindex/config.py)."""
        env = {"BRP_MODE": "haal_centraal", "BRP_BASE_URL": self.brp_base_url, "BRP_AUTH": self.brp_auth}
        if self.brp_auth == "oauth2":
            env |= {
                "BRP_TOKEN_URL": self.brp_token_url or "",
                "BRP_CLIENT_ID": self.brp_client_id or "",
                "BRP_CLIENT_SECRET_PARAMETER": self.brp_client_secret_parameter_name,
            }
            if self.brp_scope:
                env["BRP_SCOPE"] = self.brp_scope
        else:
            env["BRP_API_KEY_PARAMETER"] = self.brp_api_key_parameter_name
        if self.brp_mutual_tls:
            env |= {
                "BRP_CLIENT_CERTIFICATE_PARAMETER": self.brp_client_certificate_parameter_name,
                "BRP_CLIENT_KEY_PARAMETER": self.brp_client_key_parameter_name,
            }
        if self.brp_ca_bundle_parameter:
            env["BRP_CA_BUNDLE_PARAMETER"] = self.brp_ca_bundle_parameter
        if self.brp_update_base_url:
            env["BRP_UPDATE_BASE_URL"] = self.brp_update_base_url
        return env

    @property
    def brp_client_secret_parameter_name(self) -> str:
        return self.brp_client_secret_parameter or f"{self.parameter_prefix}/brp-client-secret"

    @property
    def brp_client_certificate_parameter_name(self) -> str:
        return self.brp_client_certificate_parameter or f"{self.parameter_prefix}/brp-client-certificate"

    @property
    def brp_client_key_parameter_name(self) -> str:
        return self.brp_client_key_parameter or f"{self.parameter_prefix}/brp-client-key"

    @property
    def brp_secret_parameter_names(self) -> tuple[str, ...]:
        """The SecureString parameters a function reaching the BRP reads, and nothing more."""
        names = [
            self.brp_client_secret_parameter_name if self.brp_auth == "oauth2" else self.brp_api_key_parameter_name
        ]
        if self.brp_mutual_tls:
            names += [self.brp_client_certificate_parameter_name, self.brp_client_key_parameter_name]
        if self.brp_ca_bundle_parameter:
            names.append(self.brp_ca_bundle_parameter)
        return tuple(names)

    @property
    def secure_parameter_names(self) -> tuple[str, ...]:
        return (
            self.pseudonym_key_parameter_name,
            self.national_pseudonym_key_parameter_name,
            *self.brp_secret_parameter_names,
        )

    @property
    def user_pool_domain_prefix(self) -> str:
        return self.cognito_domain_prefix or f"verwijsindex-{self.region_code}"

    @property
    def national_inbox_bus_name(self) -> str:
        return national_inbox_bus_name(self.region_code)


def load_config(path: str | Path | None = None) -> RegionConfig:
    """Read and validate a region's TOML file (default: the example region)."""
    file = Path(path) if path is not None else DEFAULT_CONFIG_FILE
    if not file.is_absolute():
        file = (REPO_ROOT / file) if not file.exists() else file.resolve()
    with file.open("rb") as handle:
        return RegionConfig.model_validate(tomllib.load(handle))
