"""Composition root: builds the adapters once per container from the environment.

Each service, and the module behind it, is built on first use: a function pays at its cold start
only for what its requests reach (the registry never imports the idempotency layer, the match
function never the rights service). Tests and the local run install their own Services (fixed
clock, fake BRP) instead.
"""

from __future__ import annotations

import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, overload

import boto3

from verwijsindex.composition import Installed
from verwijsindex.config import RuntimeConfig
from verwijsindex.domain.clock import Clock, SystemClock, dutch_day
from verwijsindex.domain.settings import RegionSettings

if TYPE_CHECKING:
    from _typeshed import DataclassInstance
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sesv2 import SESV2Client

    from verwijsindex.adapters.brp.http import BrpHttp
    from verwijsindex.adapters.dynamo.address_store import AddressStore
    from verwijsindex.adapters.dynamo.audit_log import AuditLog
    from verwijsindex.adapters.dynamo.cursor import CursorSealer
    from verwijsindex.adapters.dynamo.family_store import FamilyStore
    from verwijsindex.adapters.dynamo.lifecycle_store import LifecycleStore
    from verwijsindex.adapters.dynamo.match_store import MatchStore
    from verwijsindex.adapters.dynamo.move_notice_store import MoveNoticeStore
    from verwijsindex.adapters.dynamo.refusal_store import RefusalStore
    from verwijsindex.adapters.dynamo.registry_store import RegistryStore
    from verwijsindex.adapters.dynamo.rights_store import RightsStore
    from verwijsindex.adapters.dynamo.signal_store import SignalStore
    from verwijsindex.adapters.dynamo.statistics_store import StatisticsStore
    from verwijsindex.adapters.dynamo.youth_partition import YouthPartitionStore
    from verwijsindex.adapters.pseudonym import KeySource, Pseudonymiser
    from verwijsindex.domain.models import Youth
    from verwijsindex.logic.audit_trail import AuditTrailService
    from verwijsindex.logic.brp_changes import BrpChangePoller
    from verwijsindex.logic.delivery_problems import DeliveryProblemService
    from verwijsindex.logic.email_events import EmailEventService
    from verwijsindex.logic.exporting import ExportService
    from verwijsindex.logic.importing import ImportService
    from verwijsindex.logic.invitations import InvitationService
    from verwijsindex.logic.lifecycle import LifecycleService
    from verwijsindex.logic.match_views import MatchViewService
    from verwijsindex.logic.matching import MatchService, OrganisationNames
    from verwijsindex.logic.move_notices import MoveNoticeService
    from verwijsindex.logic.national_link import NationalInbox, NationalPublisher
    from verwijsindex.logic.professionals import ProfessionalService
    from verwijsindex.logic.reconciliation import Reconciler
    from verwijsindex.logic.registry import RegistryService
    from verwijsindex.logic.rights import RightsService
    from verwijsindex.logic.signals import SignalService
    from verwijsindex.logic.statistics import StatisticsService
    from verwijsindex.logic.stuck_work import StuckWorkService
    from verwijsindex.ports.accounts import Accounts
    from verwijsindex.ports.events import EventPublisher
    from verwijsindex.ports.mail import Mailer
    from verwijsindex.ports.person_registry import ChangeFeed, PersonRegistry, PersonStatuses


S = TypeVar("S", bound="DataclassInstance")
T = TypeVar("T")


def _key(parameter: str, value: str) -> KeySource:
    from verwijsindex.adapters.pseudonym import ssm_key, static_key

    return ssm_key(parameter) if parameter else static_key(value)


def _text(parameter: str, value: str) -> Callable[[], str]:
    if not parameter:
        return lambda: value

    def load() -> str:
        from aws_lambda_powertools.utilities.parameters import get_parameter

        return str(get_parameter(parameter, decrypt=True, max_age=300))

    return load


def brp_http_from(config: RuntimeConfig) -> BrpHttp:
    """One authenticated, retrying client for both BRP APIs (they share credentials and breaker)."""
    from verwijsindex.adapters.brp.http import (
        ApiKeyAuth,
        Auth,
        BrpHttp,
        ClientCertificate,
        OAuth2ClientCredentials,
        pool,
    )

    certificate = None
    if config.brp_client_certificate_parameter:
        certificate = ClientCertificate(
            certificate_pem=_text(config.brp_client_certificate_parameter, "")(),
            key_pem=_text(config.brp_client_key_parameter, "")(),
            ca_bundle_pem=_text(config.brp_ca_bundle_parameter, "")() if config.brp_ca_bundle_parameter else "",
        )
    http = pool(certificate)
    auth: Auth
    if config.brp_auth == "oauth2":
        auth = OAuth2ClientCredentials(
            token_url=config.brp_token_url,
            client_id=config.brp_client_id,
            client_secret=_text(config.brp_client_secret_parameter, config.brp_client_secret),
            scope=config.brp_scope,
            http=http,
        )
    else:
        auth = ApiKeyAuth(_text(config.brp_api_key_parameter, config.brp_api_key))
    return BrpHttp(auth=auth, http=http, budget_seconds=config.brp_budget_seconds)


def person_registry_from(config: RuntimeConfig, clock: Clock) -> PersonRegistry:
    if config.brp_mode == "fake":
        from verwijsindex.adapters.brp.fake import FakePersonRegistry

        return FakePersonRegistry.with_sample_families(dutch_day(clock.now()), lambda: dutch_day(clock.now()))
    from verwijsindex.adapters.brp.haal_centraal import HaalCentraalPersonRegistry

    return HaalCentraalPersonRegistry(config.brp_base_url, brp_http_from(config))


class PersonRegistryOnFirstLookup:
    """The person registry, built when a request first looks a person up: most functions never do."""

    def __init__(self, build: Callable[[], PersonRegistry]) -> None:
        self._build = build
        self._registry: PersonRegistry | None = None

    def resolved(self) -> PersonRegistry:
        if self._registry is None:
            self._registry = self._build()
        return self._registry

    def lookup(self, bsn: str) -> Youth | None:
        return self.resolved().lookup(bsn)


class _UpdateApiOnFirstUse:
    """The BRP Update API over the registry's own client (one token, one breaker), built on first use."""

    def __init__(self, base_url: str, registry: Callable[[], PersonRegistry]) -> None:
        self._base_url = base_url
        self._registry = registry
        self._feed: ChangeFeed | None = None

    def _resolved(self) -> ChangeFeed:
        if self._feed is None:
            from verwijsindex.adapters.brp.update_api import UpdateApiChangeFeed

            self._feed = UpdateApiChangeFeed(self._base_url, self._registry().http)  # type: ignore[attr-defined]
        return self._feed

    def follow(self, bsn: str, until: date) -> None:
        self._resolved().follow(bsn, until)

    def changed_since(self, day: date) -> list[str]:
        return self._resolved().changed_since(day)


class OnFirstUse(ABC, Generic[T]):
    """A part of the root declared by where its class lives ("module:Class" inside `package`), imported
    and built when first read, then kept on the instance as a cached_property keeps its value: a
    function imports at its cold start only the modules its requests reach. Declared as a ClassVar
    (not a field of the dataclass) whose type argument is that class, so the type checker knows it."""

    package: ClassVar[str]

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = ""

    def __set_name__(self, owner: type[Services], name: str) -> None:
        self.name = name

    def kind(self) -> Any:
        """The declared class, its module imported now (a misspelt path fails here)."""
        return pkgutil.resolve_name(f"{self.package}.{self.path}")

    @overload
    def __get__(self, root: None, owner: type[Services]) -> Self: ...
    @overload
    def __get__(self, root: Services, owner: type[Services]) -> T: ...
    def __get__(self, root: Services | None, owner: type[Services]) -> Self | T:
        if root is None:
            return self
        part = self.build(root)
        root.__dict__[self.name] = part
        return part

    @abstractmethod
    def build(self, root: Services) -> T: ...


class Assembled(OnFirstUse[S]):
    """A use case, assembled by its fields' words; `given` names the root's part for a field whose
    word means something else here (a matching service's `store` is the match store)."""

    package = "verwijsindex.logic"

    def __init__(self, path: str, **given: str) -> None:
        super().__init__(path)
        self.given = given

    def build(self, root: Services) -> S:
        service: type[S] = self.kind()
        return root._assemble(service, **{field: getattr(root, word) for field, word in self.given.items()})


class TableStore(OnFirstUse[T]):
    """A DynamoDB store over the region's table: built from the client and the table name, then the
    root's parts its words name (in order, then by keyword)."""

    package = "verwijsindex.adapters.dynamo"

    def __init__(self, path: str, *words: str, **keywords: str) -> None:
        super().__init__(path)
        self.words = words
        self.keywords = keywords

    def build(self, root: Services) -> T:
        store: Callable[..., T] = self.kind()
        parts = [getattr(root, word) for word in self.words]
        named = {keyword: getattr(root, word) for keyword, word in self.keywords.items()}
        return store(root.dynamodb, root.config.table_name, *parts, **named)


@dataclass
class Services:
    config: RuntimeConfig
    settings: RegionSettings
    clock: Clock
    persons: PersonRegistry
    dynamodb: DynamoDBClient

    # A use case names what it needs in its own words (its `signals` is the signal store, its
    # `registry` the organisation registry); what each word is here, where it is not the name of
    # one of this root's fields or properties (`audit`, `clock`, `mailer`, `settings`, ...).
    _WORDS: ClassVar[dict[str, str]] = {
        "signals": "signal_store",
        "registry": "registry_store",
        "registrations": "registry_service",
        "matches": "match_store",
        "family": "family_store",
        "names": "organisation_names",
        "refusals": "refusal_store",
        "rights": "rights_store",
        "partitions": "youth_partitions",
        "move_notices": "move_notice_store",
        "statistics": "statistics_store",
        "follow": "change_feed",
        "bus": "national_bus",
        "region": "region_code",
    }

    def _assemble(self, service: type[S], **given: object) -> S:
        """The use case with each of its fields from `given`, else from this root by the field's word.
        A field the root has no word for keeps its default (an id or token source)."""
        needs = fields(service)
        if unknown := given.keys() - {need.name for need in needs}:
            raise TypeError(f"{service.__name__} has no field {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for need in needs:
            word = self._WORDS.get(need.name, need.name)
            if need.name in given:
                values[need.name] = given[need.name]
            elif word in self.__dataclass_fields__ or isinstance(
                getattr(type(self), word, None), (cached_property, OnFirstUse)
            ):
                values[need.name] = getattr(self, word)
        return service(**values)

    @cached_property
    def region_code(self) -> str:
        return self.settings.region_code

    @cached_property
    def operator_email(self) -> str:
        return self.config.operator_email

    @cached_property
    def national_link(self) -> bool:
        """Whether the region is linked to the national index (its bus is configured)."""
        return bool(self.config.national_bus_arn)

    def _person_registry(self) -> PersonRegistry:
        persons = self.persons
        return persons.resolved() if isinstance(persons, PersonRegistryOnFirstLookup) else persons

    @cached_property
    def change_feed(self) -> ChangeFeed | None:
        """The BRP Update API, when the region has one; the fake BRP plays it in tests and locally."""
        from verwijsindex.ports.person_registry import ChangeFeed

        if self.config.brp_mode == "haal_centraal" and self.config.brp_update_base_url:
            return _UpdateApiOnFirstUse(self.config.brp_update_base_url, self._person_registry)
        if not isinstance(self.persons, PersonRegistryOnFirstLookup) and isinstance(self.persons, ChangeFeed):
            return self.persons
        return None

    @cached_property
    def person_statuses(self) -> PersonStatuses | None:
        from verwijsindex.ports.person_registry import PersonStatuses

        registry = self._person_registry()
        return registry if isinstance(registry, PersonStatuses) else None

    @cached_property
    def brp_changes(self) -> BrpChangePoller | None:
        """The Update API poller; None when the region has no Update API."""
        if self.change_feed is None or self.person_statuses is None:
            return None
        from verwijsindex.logic.brp_changes import BrpChangePoller

        return self._assemble(
            BrpChangePoller, feed=self.change_feed, persons=self.person_statuses, store=self.lifecycle_store
        )

    @cached_property
    def pseudonyms(self) -> Pseudonymiser:
        from verwijsindex.adapters.pseudonym import Pseudonymiser

        return Pseudonymiser(
            _key(self.config.pseudonym_key_parameter, self.config.pseudonym_key),
            _key(self.config.national_pseudonym_key_parameter, self.config.national_pseudonym_key),
        )

    @cached_property
    def audit(self) -> AuditLog:
        from verwijsindex.adapters.dynamo.audit_log import AuditLog

        return AuditLog(self.dynamodb, self.config.audit_table_name, self.cursors)

    @cached_property
    def cursors(self) -> CursorSealer:
        # Sealed under a label of the regional key, so no new secret has to be provisioned.
        from verwijsindex.adapters.dynamo.cursor import CursorSealer

        return CursorSealer(_key(self.config.pseudonym_key_parameter, self.config.pseudonym_key))

    registry_store: ClassVar[TableStore[RegistryStore]] = TableStore("registry_store:RegistryStore", "audit")
    signal_store: ClassVar[TableStore[SignalStore]] = TableStore(
        "signal_store:SignalStore", "audit", "cursors", national_link="national_link"
    )
    signals: ClassVar[Assembled[SignalService]] = Assembled("signals:SignalService")
    # Moving in: another index's signals, by the operator (infra/ops/import_signals.py).
    importer: ClassVar[Assembled[ImportService]] = Assembled("importing:ImportService")
    # Moving out: the region's signals and matches, by the operator (infra/ops/export_signals.py).
    exporter: ClassVar[Assembled[ExportService]] = Assembled("exporting:ExportService")
    refusal_store: ClassVar[TableStore[RefusalStore]] = TableStore("refusal_store:RefusalStore", "audit")

    @cached_property
    def idempotency_store(self) -> DynamoDBPersistenceLayer:
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

        return DynamoDBPersistenceLayer(table_name=self.config.idempotency_table_name, boto3_client=self.dynamodb)

    registry_service: ClassVar[Assembled[RegistryService]] = Assembled("registry:RegistryService")

    @cached_property
    def accounts(self) -> Accounts:
        from verwijsindex.adapters.accounts import CognitoAccounts, NoUserPool

        if not self.config.user_pool_id:
            return NoUserPool()
        return CognitoAccounts(boto3.client("cognito-idp"), self.config.user_pool_id)

    professionals: ClassVar[Assembled[ProfessionalService]] = Assembled("professionals:ProfessionalService")
    invitations: ClassVar[Assembled[InvitationService]] = Assembled("invitations:InvitationService")

    # --- matching ----------------------------------------------------------------

    @cached_property
    def family_store(self) -> FamilyStore:
        from verwijsindex.adapters.dynamo.family_store import FamilyStore
        from verwijsindex.adapters.parent_pseudonym import ParentPseudonymiser

        parents = ParentPseudonymiser(
            _key(self.config.pseudonym_key_parameter, self.config.pseudonym_key),
            _key(self.config.national_pseudonym_key_parameter, self.config.national_pseudonym_key),
        )
        return FamilyStore(self.dynamodb, self.config.table_name, parents)

    match_store: ClassVar[TableStore[MatchStore]] = TableStore("match_store:MatchStore", "audit")

    @cached_property
    def organisation_names(self) -> OrganisationNames:
        from verwijsindex.logic.matching import OrganisationNames

        return OrganisationNames(self.registry_store)

    @cached_property
    def ses(self) -> SESV2Client:
        from verwijsindex.adapters.email import SES_CLIENT_CONFIG

        return boto3.client("sesv2", config=SES_CLIENT_CONFIG)

    @cached_property
    def mailer(self) -> Mailer:
        """Every service's mailer: SES behind the check for undeliverable addresses."""
        from verwijsindex.adapters.email import SesMailer
        from verwijsindex.logic.outgoing_mail import CheckedMailer

        ses = SesMailer(self.ses, self.config.ses_sender, self.config.ses_configuration_set)
        return CheckedMailer(ses, self.addresses, self.clock)

    matching: ClassVar[Assembled[MatchService]] = Assembled("matching:MatchService", store="match_store")
    addresses: ClassVar[TableStore[AddressStore]] = TableStore("address_store:AddressStore", "audit")
    email_events: ClassVar[Assembled[EmailEventService]] = Assembled("email_events:EmailEventService")
    match_views: ClassVar[Assembled[MatchViewService]] = Assembled("match_views:MatchViewService")

    # --- rights of families -------------------------------------------------------

    rights_store: ClassVar[TableStore[RightsStore]] = TableStore("rights_store:RightsStore", "audit", "cursors")
    rights: ClassVar[Assembled[RightsService]] = Assembled("rights:RightsService")
    audit_trail: ClassVar[Assembled[AuditTrailService]] = Assembled("audit_trail:AuditTrailService")

    # --- statistics (counters kept as the work happens) ---------------------------------------

    statistics_store: ClassVar[TableStore[StatisticsStore]] = TableStore("statistics_store:StatisticsStore")
    statistics: ClassVar[Assembled[StatisticsService]] = Assembled(
        "statistics:StatisticsService", store="statistics_store"
    )

    # --- lifecycle ---------------------------------------------------------------

    lifecycle_store: ClassVar[TableStore[LifecycleStore]] = TableStore(
        "lifecycle_store:LifecycleStore", "audit", national_link="national_link"
    )
    youth_partitions: ClassVar[TableStore[YouthPartitionStore]] = TableStore("youth_partition:YouthPartitionStore")
    lifecycle: ClassVar[Assembled[LifecycleService]] = Assembled("lifecycle:LifecycleService", store="lifecycle_store")

    # --- national link --------------------------------------------------------------

    @cached_property
    def national_bus(self) -> EventPublisher:
        from verwijsindex.adapters.national_bus import EventBridgePublisher, Unlinked

        if not self.config.national_bus_arn:
            return Unlinked()
        # The national bus may live in another AWS region than this one: its ARN says which.
        bus_region = self.config.national_bus_arn.split(":")[3]
        return EventBridgePublisher(boto3.client("events", region_name=bus_region), self.config.national_bus_arn)

    national_publisher: ClassVar[Assembled[NationalPublisher]] = Assembled("national_link:NationalPublisher")
    move_notice_store: ClassVar[TableStore[MoveNoticeStore]] = TableStore("move_notice_store:MoveNoticeStore", "audit")
    move_notices: ClassVar[Assembled[MoveNoticeService]] = Assembled(
        "move_notices:MoveNoticeService", store="move_notice_store"
    )
    national_inbox: ClassVar[Assembled[NationalInbox]] = Assembled("national_link:NationalInbox")

    # --- reconciliation ------------------------------------------------------------------------

    @cached_property
    def reconciler(self) -> Reconciler:
        from verwijsindex.adapters.dynamo.work_store import WorkStore
        from verwijsindex.logic.reconciliation import Reconciler

        publisher = self.national_publisher if self.national_link else None
        return self._assemble(Reconciler, work=WorkStore(self.dynamodb, self.config.table_name), publisher=publisher)

    @cached_property
    def stuck_work(self) -> StuckWorkService:
        """The operator's list of stuck work (reads GSI3 only; no matching, no national link)."""
        from verwijsindex.adapters.dynamo.work_store import WorkStore
        from verwijsindex.logic.stuck_work import StuckWorkService

        return self._assemble(StuckWorkService, work=WorkStore(self.dynamodb, self.config.table_name, self.cursors))

    delivery_problems: ClassVar[Assembled[DeliveryProblemService]] = Assembled(
        "delivery_problems:DeliveryProblemService"
    )


def build(
    config: RuntimeConfig | None = None, *, clock: Clock | None = None, persons: PersonRegistry | None = None
) -> Services:
    config = config or RuntimeConfig.from_env()
    clock = clock or SystemClock()
    return Services(
        config=config,
        settings=RegionSettings.from_env(),
        clock=clock,
        persons=persons or PersonRegistryOnFirstLookup(lambda: person_registry_from(config, clock)),
        dynamodb=boto3.client("dynamodb"),
    )


_services: Installed[Services] = Installed(build)
install = _services.install
current = _services.current
# Several regions in one process (the local run): each handler call with its region's services.
using = _services.using
