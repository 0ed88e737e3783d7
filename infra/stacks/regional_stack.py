"""One Verwijsindex region: everything a region runs, deployed with one ``cdk deploy``."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, Stack, Tags
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from infra.config import RegionConfig
from infra.constructs.api import Api
from infra.constructs.api_document import ApiDocument
from infra.constructs.brp_changes import BrpChanges
from infra.constructs.data import Data
from infra.constructs.email import Email
from infra.constructs.email_events import BOUNCE_RATE_ALARM, COMPLAINT_RATE_ALARM, EmailEvents
from infra.constructs.encryption_keys import Keys
from infra.constructs.function import (
    METRICS_NAMESPACE,
    RUNTIMES,
    FunctionDefaults,
    function_code,
    function_layers,
    retention_days,
)
from infra.constructs.identity import Identity
from infra.constructs.lifecycle import Lifecycle
from infra.constructs.matching import Matching
from infra.constructs.monitoring import Monitoring
from infra.constructs.national_link import NationalLink
from infra.constructs.platform import Platform
from infra.constructs.portal import Portal
from infra.constructs.reconciliation import Reconciliation
from infra.constructs.registry import Registry
from infra.constructs.rights import Rights
from infra.constructs.signals import Signals
from infra.constructs.transfers import Transfers


class RegionalStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: RegionConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description=(
                f"Verwijsindex (referral index, Jeugdwet 7.1) for region {config.display_name or config.region_code}"
            ),
            termination_protection=config.termination_protection,
            **kwargs,
        )
        self.config = config
        Tags.of(self).add("project", "verwijsindex")
        Tags.of(self).add("verwijsindex:region", config.region_code)

        keys = Keys(self, "Keys", config=config)
        data = Data(self, "Data", region_code=config.region_code)
        email = Email(self, "Email", config=config, key=keys.messaging)
        identity = Identity(self, "Identity", config=config)
        log_retention = retention_days(config.log_retention_days)
        api = Api(self, "Api", config=config, identity=identity, logs_key=keys.logs, log_retention=log_retention)

        runtime = RUNTIMES[config.python_runtime]
        layers = function_layers(self, config)

        environment = {
            "TABLE_NAME": data.table.table_name,
            "AUDIT_TABLE_NAME": data.audit_table.table_name,
            "PSEUDONYM_KEY_PARAMETER": config.pseudonym_key_parameter_name,
            "NATIONAL_PSEUDONYM_KEY_PARAMETER": config.national_pseudonym_key_parameter_name,
            **config.brp_environment,
            "SES_SENDER": email.sender,
            "SES_CONFIGURATION_SET": email.configuration_set_name,
            "VI_REGION_CODE": config.region_code,
            "VI_ACTIVE_PERIOD_YEARS": str(config.retention.active_period_years),
            "VI_ARCHIVE_PERIOD_YEARS": str(config.retention.archive_period_years),
            "VI_AGE_LIMIT_YEARS": str(config.retention.age_limit_years),
            "VI_REFUSALS_PER_DAY": str(config.access.refusals_per_day),
            "VI_HANDOVER_DAYS": str(config.access.handover_days),
            "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
            "LOG_LEVEL": config.log_level,
        }
        if config.national_link.bus_arn:
            environment["NATIONAL_BUS_ARN"] = config.national_link.bus_arn
        if config.operator_email:
            environment["OPERATOR_EMAIL"] = config.operator_email

        platform = Platform(
            config=config,
            keys=keys,
            data=data,
            email=email,
            api=api,
            defaults=FunctionDefaults(
                code=function_code(config.python_runtime),
                runtime=runtime,
                layers=layers,
                environment=environment,
                logs_key=keys.logs,
                log_retention=log_retention,
                log_level=config.log_level,
                code_traces=config.code_traces,
            ),
        )
        self.keys = keys
        self.data = data
        self.email = email
        self.identity = identity
        self.api = api
        self.signals = Signals(self, "Signals", platform=platform)
        self.registry = Registry(self, "Registry", platform=platform, user_pool=identity.user_pool)
        self.matching = Matching(self, "Matching", platform=platform)
        self.lifecycle = Lifecycle(self, "Lifecycle", platform=platform)
        self.rights = Rights(self, "Rights", platform=platform)
        self.portal = Portal(self, "Portal", platform=platform, identity=identity)
        self.reconciliation = Reconciliation(self, "Reconciliation", platform=platform, lifecycle=self.lifecycle)
        self.email_events = EmailEvents(self, "EmailEvents", platform=platform)
        self.api_document = ApiDocument(self, "ApiDocument", platform=platform, identity=identity)
        # Files of signals moving in and out, for the operator's commands (no function reaches it).
        self.transfers = Transfers(self, "Transfers", region_code=config.region_code)

        self.functions = [
            self.signals.place_signal,
            self.registry.registry,
            self.matching.match,
            self.lifecycle.expire,
            self.lifecycle.purge,
            self.lifecycle.brp_notifications,
            self.rights.rights_request,
            self.portal.function,
            self.reconciliation.sweep,
            self.email_events.handler,
            self.api_document.api_document,
        ]
        # Deaths and moves from the BRP Update API, when the region has it (else a bridge posts them).
        self.brp_changes: BrpChanges | None = None
        if config.brp_update_base_url:
            self.brp_changes = BrpChanges(self, "BrpChanges", platform=platform, lifecycle=self.lifecycle)
            self.functions.append(self.brp_changes.poller)
        queues = {
            "MatchFailures": self.matching.failures,
            "ScheduleFailures": self.lifecycle.failures,
            "EmailEventFailures": self.email_events.failures,
        }
        stream_consumers = [self.matching.match]
        # Only a linked region publishes to the national index and has an inbox for its answers.
        self.national_link: NationalLink | None = None
        if config.national_link.linked:
            self.national_link = NationalLink(self, "NationalLink", platform=platform)
            self.functions += [self.national_link.publish, self.national_link.inbox]
            queues["NationalPublishFailures"] = self.national_link.publish_failures
            queues["NationalInboxFailures"] = self.national_link.inbox_failures
            stream_consumers.append(self.national_link.publish)
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            name=config.region_code,
            operations_email=config.operations_email,
            key=keys.messaging,
            functions=self.functions,
            queues=queues,
            apis=(*api.apis, self.portal.api),
            stream_consumers=stream_consumers,
            heartbeats=["ExpireCompleted", "PurgeCompleted", "SweepCompleted"],
            failure_metrics={
                "WorkStuck": "work the sweeper gave up on waits for the operator (signals, e-mails, national events)",
                "RenewalEmailsFailed": "renewal e-mails were refused by SES (the next nightly run retries them)",
            },
            metric_alarms=[
                (
                    "BrpLinkMisconfigured",
                    cloudwatch.Metric(
                        namespace=METRICS_NAMESPACE,
                        metric_name="BrpLinkMisconfigured",
                        dimensions_map={"service": "verwijsindex"},
                        period=Duration.minutes(5),
                        statistic="Sum",
                    ),
                    "the BRP refused a request as such (400/401/403): credentials, certificate, "
                    "authorisation or fields need the operator",
                ),
                (
                    "RefusalLimitReached",
                    cloudwatch.Metric(
                        namespace=METRICS_NAMESPACE,
                        metric_name="RefusalLimitReached",
                        dimensions_map={"service": "verwijsindex"},
                        period=Duration.minutes(5),
                        statistic="Sum",
                    ),
                    "place_signal: a caller passed the daily limit of refused placements (unknown, deceased "
                    "or too old BSNs): someone may be probing BSNs",
                ),
            ],
        )
        self.monitoring.alarm_on(
            "SesBounceRate",
            self.email_events.bounce_rate,
            threshold=BOUNCE_RATE_ALARM,
            description="SES: the account's bounce rate nears the rate at which SES reviews the account (5 %)",
        )
        self.monitoring.alarm_on(
            "SesComplaintRate",
            self.email_events.complaint_rate,
            threshold=COMPLAINT_RATE_ALARM,
            description="SES: the account's complaint rate nears the rate at which SES reviews the account (0.1 %)",
        )
