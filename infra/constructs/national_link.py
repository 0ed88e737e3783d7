"""National link: a linked region's half of the link with the national index.

Only created when the region is linked (``national_link.bus_arn`` is set):

- publish: reads the main table's stream and puts ``SignalActivated`` / ``SignalRemoved`` / ``YouthMoved``
  events (source ``verwijsindex.region``) on the national bus, the only bus it may put events on. The
  event source mapping delivers only what it publishes: signals written or removed, youth markers
  changed (a move). Same stream settings as the match function, so the two consumers behave alike
  (a DynamoDB stream serves at most two Lambda consumers well; these are the two).
- inbox: the region's own bus ``verwijsindex-<code>-national-inbox``. Only the national account may put
  events on it, and only with source ``verwijsindex.national``; a rule hands this region's
  ``RemoteMatch``, ``RemoteSignalDestroyed`` and ``MoveNotice`` events to the inbox function, which records
  remote matches with their audit entries, forgets matches with destroyed remote signals, and e-mails
  the professionals concerned and the region's operator.

Undeliverable events and stream batches that kept failing end in encrypted dead-letter queues, which the
monitoring alarms on.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.config import NATIONAL_DETAIL_TYPES, NATIONAL_EVENT_SOURCE
from infra.constructs.data import GSI1
from infra.constructs.encryption_keys import allow_services_of_this_account
from infra.constructs.function import ServiceFunction
from infra.constructs.matching import table_stream_source
from infra.constructs.platform import Platform, dead_letter_queue, stream_filter

PUBLISH_HANDLER = "national_link.publish.lambda_handler"
INBOX_HANDLER = "national_link.inbox.lambda_handler"
INBOX_RETRY_ATTEMPTS = 10
INBOX_MAX_EVENT_AGE = Duration.hours(6)

# What the publisher acts on: a signal written (becoming active, or closed), a signal removed
# (destroyed), and a youth marker modified (a move recorded from the BRP).
SIGNAL_WRITTEN_FILTER = stream_filter(("INSERT", "MODIFY"), "NewImage", "signal")
SIGNAL_REMOVED_FILTER = stream_filter(("REMOVE",), "OldImage", "signal")
YOUTH_MODIFIED_FILTER = stream_filter(("MODIFY",), "NewImage", "youth")
# The statistics counters (README "Statistics"): each change goes to the national index as a snapshot.
STATISTICS_FILTER = stream_filter(("INSERT", "MODIFY"), "NewImage", "statistics")


class NationalLink(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform) -> None:
        super().__init__(scope, construct_id)
        config = platform.config
        link = config.national_link
        if link.bus_arn is None or link.account is None:
            raise ValueError("the national link needs national_link.bus_arn")
        data = platform.data
        code = config.region_code

        # --- publish: stream -> national bus ------------------------------------------------------
        self.publish_failures = dead_letter_queue(
            self,
            "PublishFailures",
            key=platform.keys.messaging,
            purpose="stream batches the national publisher gave up on",
        )
        self.publish = ServiceFunction(
            self,
            "NationalPublish",
            defaults=platform.defaults,
            handler=PUBLISH_HANDLER,
            service="national-publish",
            description="Verwijsindex: publishes signal and move events of this region to the national index",
            timeout=Duration.minutes(1),
            unscoped_actions_reason=(
                "dynamodb:ListStreams (added by the stream event source) and the X-Ray write actions "
                "have no resource-level permissions; every other action of this role names its table, "
                "stream, queue or the national event bus."
            ),
        )
        role = self.publish.role
        # GetItem: the youth's PARENTS item and organisation names; Query: the youth's signals (base table);
        # UpdateItem: a published signal is no longer outstanding work; DeleteItem: nor is a destroyed
        # signal's tombstone once its removal is published.
        data.grant(
            role, data.table, ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(sid="PutOnTheNationalBus", actions=["events:PutEvents"], resources=[link.bus_arn])
        )
        self.event_source = table_stream_source(
            data.table,
            [SIGNAL_WRITTEN_FILTER, SIGNAL_REMOVED_FILTER, YOUTH_MODIFIED_FILTER, STATISTICS_FILTER],
            self.publish_failures,
            platform.keys.messaging,
        )
        self.publish.function.add_event_source(self.event_source)

        # --- inbox: national account -> inbox bus -> inbox function --------------------------------
        self.inbox_failures = dead_letter_queue(
            self,
            "InboxFailures",
            key=platform.keys.messaging,
            purpose="national events the inbox function could not take",
            recognised_by_nag=True,
        )
        # EventBridge itself sends undeliverable events to the encrypted queue (no role involved).
        allow_services_of_this_account(
            platform.keys.messaging, sid="EventBridgeDeadLettersOfThisAccount", services=["events.amazonaws.com"]
        )
        self.inbox_bus = events.EventBus(
            self,
            "InboxBus",
            event_bus_name=config.national_inbox_bus_name,
            description=f"Verwijsindex {code}: remote matches and move notices from the national index",
        )
        self.inbox_bus.add_to_resource_policy(
            iam.PolicyStatement(
                sid="NationalIndexPutsNationalEvents",
                principals=[iam.AccountPrincipal(link.account)],
                actions=["events:PutEvents"],
                resources=[self.inbox_bus.event_bus_arn],
                conditions={"StringEquals": {"events:source": NATIONAL_EVENT_SOURCE}},
            )
        )
        self.inbox = ServiceFunction(
            self,
            "NationalInbox",
            defaults=platform.defaults,
            handler=INBOX_HANDLER,
            service="national-inbox",
            description="Verwijsindex: records remote matches and move notices from the national index",
            timeout=Duration.seconds(30),
            dead_letter_queue=self.inbox_failures,
            retry_attempts=2,
        )
        role = self.inbox.role
        data.grant(
            role,
            data.table,
            [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",  # re-reads the local signal, strongly consistent
                "dynamodb:Query",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:ConditionCheckItem",
                # Forgets its sides of matches with a signal destroyed in another region.
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
            ],
            indexes=[GSI1],
        )
        data.grant_audit_append(role)  # a remote match is written with its audit entries
        platform.email.grant_send(role)
        platform.keys.messaging.grant(role, "kms:GenerateDataKey", "kms:Decrypt")  # its own dead-letter queue

        self.inbox_rule = events.Rule(
            self,
            "FromNational",
            event_bus=self.inbox_bus,
            description=f"Verwijsindex {code}: this region's remote matches and move notices -> inbox",
            event_pattern=events.EventPattern(
                source=[NATIONAL_EVENT_SOURCE],
                account=[link.account],
                detail_type=list(NATIONAL_DETAIL_TYPES),
                detail={"region": [code]},
            ),
            targets=[
                targets.LambdaFunction(
                    self.inbox.function,
                    retry_attempts=INBOX_RETRY_ATTEMPTS,
                    max_event_age=INBOX_MAX_EVENT_AGE,
                    dead_letter_queue=self.inbox_failures,
                )
            ],
        )
