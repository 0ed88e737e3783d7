"""One region on an embedded moto: tables, SES, seed data and the handlers, wired as in the stack."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from infra.local.accounts import LocalAccounts
from infra.local.clock import LocalClock
from infra.local.outbox import SesOutbox, outbox_entry

LOCAL_ENV = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
}

SENDER = "verwijsindex@regio.example.org"
OPERATOR = {"sub": "operator-1", "groups": ["operator"]}
# org_id, name, case systems, professional (sub, name, e-mail, phone)
SeedOrganisation = tuple[str, str, list[str], tuple[str, str, str, str]]
SEED_ORGANISATIONS: tuple[SeedOrganisation, ...] = (
    # org_id, name, case systems, professional (sub, name, e-mail, phone)
    (
        "jeugdteam-noord",
        "Jeugdteam Noord",
        ["casus-jtn"],
        ("pro-noord", "Sanne Smit", "sanne.smit@jeugdteam-noord.example.org", "+31 50 123 4567"),
    ),
    (
        "ggz-jeugd-west",
        "GGZ Jeugd West",
        [],
        ("pro-west", "Bas Bakker", "bas.bakker@ggz-jeugd-west.example.org", "+31 70 765 4321"),
    ),
)


@dataclass
class LocalRegion:
    mock: Any
    persons: Any
    stream_arn: str
    clock: LocalClock
    sent_mail: Any  # the SesOutbox
    # The user directory (Cognito's stand-in): deactivated professionals' accounts are disabled here.
    accounts: LocalAccounts = field(default_factory=LocalAccounts)
    after_request_hooks: list[Callable[[], None]] = field(default_factory=list)
    schedules: dict[str, Callable[[datetime], Any]] = field(default_factory=dict)

    @classmethod
    def start(cls, clock: LocalClock | None = None) -> LocalRegion:
        """A fresh region on `clock` (default: the machine's time); the sample people are as
        they are on the clock's today."""
        clock = clock or LocalClock()
        for key, value in LOCAL_ENV.items():
            os.environ.setdefault(key, value)
        import boto3
        from moto import mock_aws

        from infra.local import moto_dynamodb
        from infra.local.haal_centraal import FakeHaalCentraal
        from infra.local.tables import TableNames, create_tables
        from verwijsindex import wiring
        from verwijsindex.adapters.brp.fake import FakePersonRegistry
        from verwijsindex.config import RuntimeConfig
        from verwijsindex.domain.settings import RegionSettings

        moto_dynamodb.install()
        mock = mock_aws()
        mock.start()
        sent_mail = SesOutbox().attach()
        names = TableNames()
        dynamodb = boto3.client("dynamodb")
        stream_arn = create_tables(dynamodb, names)
        boto3.client("ses").verify_email_identity(EmailAddress=SENDER)
        persons = FakePersonRegistry.with_sample_families(clock.today(), clock.today)
        # The real Haal Centraal adapters, against the fake BRP served in the specifications' shapes.
        brp = FakeHaalCentraal(persons)
        config = RuntimeConfig.model_validate(
            {
                "TABLE_NAME": names.main,
                "AUDIT_TABLE_NAME": names.audit,
                "IDEMPOTENCY_TABLE_NAME": names.idempotency,
                "PSEUDONYM_KEY": "local-only-regional-pseudonym-key",
                "NATIONAL_PSEUDONYM_KEY": "local-only-national-pseudonym-key",
                **brp.environment(brp.start()),
                "SES_SENDER": SENDER,
            }
        )
        services = wiring.Services(
            config=config,
            settings=RegionSettings.from_env(),
            clock=clock,
            persons=wiring.person_registry_from(config, clock),
            dynamodb=dynamodb,
        )
        wiring.install(services)
        region = cls(mock=mock, persons=persons, stream_arn=stream_arn, clock=clock, sent_mail=sent_mail)
        from infra.routes import api_routes

        api_routes()  # reads every handler's routes once, before the first request
        services.accounts = region.accounts
        region.seed(services)
        region.connect_stream(dynamodb, names.main)
        region.connect_schedules()
        region.after_request_hooks.append(moto_dynamodb.forget_spent_state)
        return region

    def connect_schedules(self) -> None:
        """The EventBridge Scheduler schedules: `POST /_local/schedules/{expire|purge|brp-changes|sweep} {at}` runs
        the function with a scheduled event whose `time` is `at`."""
        from infra.local.events import LocalContext
        from verwijsindex.domain.clock import AMSTERDAM

        def scheduled(module: str) -> Callable[[datetime], Any]:
            def job(at: datetime) -> Any:
                handler = importlib.import_module(module).lambda_handler
                at = at if at.tzinfo else at.replace(tzinfo=AMSTERDAM)  # a bare time is Dutch time
                event = {"source": "aws.scheduler", "detail-type": "Scheduled Event", "time": at.isoformat()}
                return handler(event, LocalContext())

            return job

        self.schedules["expire"] = scheduled("expire.handler")
        self.schedules["purge"] = scheduled("expire.purge")
        self.schedules["brp-changes"] = scheduled("brp_changes.handler")
        self.schedules["sweep"] = scheduled("sweep.handler")  # reruns outstanding work older than the threshold

    def connect_stream(self, dynamodb: Any, table_name: str) -> None:
        """The stream -> match Lambda mapping: drained after every request, so by the time a
        response is back its e-mails are in the outbox (retries as the event source mapping)."""
        from infra.local.streams import StreamPump
        from match.handler import lambda_handler as match_handler

        pump = StreamPump.for_table(table_name, dynamodb=dynamodb)
        pump.skip_existing()  # the seed data holds no signals

        def deliver_new_records() -> None:
            pump.drain(match_handler, retries=2)

        self.after_request_hooks.append(deliver_new_records)

    def seed(self, services: Any) -> None:
        seed_organisations(services, SEED_ORGANISATIONS)

    def handler_for(self, path: str) -> Callable[[dict[str, Any], Any], dict[str, Any]] | None:
        """The Lambda handler API Gateway sends `path` to, as the handlers declare their routes."""
        from infra.routes import module_for

        module = module_for(path)
        if module is None:
            return None
        handler: Callable[[dict[str, Any], Any], dict[str, Any]] = importlib.import_module(module).lambda_handler
        return handler

    def after_request(self) -> None:
        for hook in self.after_request_hooks:
            hook()

    def run_schedule(self, name: str, at: datetime) -> Any:
        job = self.schedules.get(name)
        return None if job is None else job(at)

    def run_import(self, path: str, options: Any, operator: str) -> dict[str, Any]:
        """`POST /_local/import`: a file on this machine imported as the operator's command would
        (infra/ops/import_signals.py); the stream is drained after it, so matches and e-mails are done."""
        from pathlib import Path

        from infra.ops.import_signals import run_import
        from verwijsindex import wiring
        from verwijsindex.logic.transfer_files import FileFormat

        with Path(path).open(encoding="utf-8", newline="") as lines:
            report = run_import(wiring.current(), operator, lines, FileFormat.of_name(path), options)
        self.after_request()
        return report.model_dump(mode="json")

    def run_export(self, folder: str, bsns: Sequence[str], operator: str) -> dict[str, Any]:
        """`POST /_local/export`: the region's signals and matches as files in a folder on this
        machine (the stack writes them encrypted into its transfer bucket: infra/ops/export_signals.py)."""
        from pathlib import Path

        from infra.ops.import_signals import operator as operator_caller
        from verwijsindex import wiring
        from verwijsindex.domain.transfer import EXPORT_COLUMNS, MATCH_COLUMNS
        from verwijsindex.logic.transfer_files import FileFormat, write_rows

        export = wiring.current().exporter.export(operator_caller(operator), bsns)
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        for name, rows, columns in (
            ("signals", export.signals, EXPORT_COLUMNS),
            ("matches", export.matches, MATCH_COLUMNS),
        ):
            (target / f"{name}.jsonl").write_text(
                "".join(write_rows(rows, columns, FileFormat.JSONL)), encoding="utf-8"
            )
        return {**export.summary.model_dump(), "folder": str(target)}

    def outbox(self) -> list[dict[str, Any]]:
        """E-mails sent through SES, each with its text and its HTML part."""
        return [outbox_entry(mail) for mail in self.sent_mail.sent]

    def stop(self) -> None:
        self.mock.stop()


def seed_organisations(services: Any, organisations: Sequence[SeedOrganisation]) -> None:
    """Affiliated organisations with one professional each, registered by the operator."""
    from verwijsindex.api.identity import Caller, CallerKind
    from verwijsindex.logic.schemas import OrganisationRequest, ProfessionalRequest

    operator = Caller(kind=CallerKind.USER, subject=OPERATOR["sub"], groups=frozenset(OPERATOR["groups"]))
    for org_id, name, clients, (sub, pro_name, email, phone) in organisations:
        services.registry_service.create(
            operator, OrganisationRequest(org_id=org_id, name=name, machine_clients=clients)
        )
        services.registry_service.add_professional(
            operator, org_id, ProfessionalRequest(user_id=sub, name=pro_name, email=email, phone=phone)
        )
