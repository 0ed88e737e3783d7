"""National bus: who may put events on it, and where the national index's answers go.

- The bus (``bus_name``) accepts ``events:PutEvents`` only from the listed regions' accounts, one policy
  statement per account, and only for events with source ``verwijsindex.region``. No wildcard principal,
  no organisation-wide grant: the list in the national config is the whole trust relationship.
- One forwarding rule per region: the national index's ``RemoteMatch``, ``RemoteSignalDestroyed`` and
  ``MoveNotice`` events (source ``verwijsindex.national``) whose ``detail.region`` is that region go to
  the region's inbox bus
  ``verwijsindex-<code>-national-inbox`` in the region's account, through a role that may put events on
  that one bus only. What cannot be delivered ends in an encrypted dead-letter queue.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import NATIONAL_DETAIL_TYPES, NATIONAL_EVENT_SOURCE, REGION_EVENT_SOURCE
from infra.constructs.platform import dead_letter_queue
from infra.national_config import LinkedRegion, NationalConfig


class NationalBus(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: NationalConfig, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)

        self.bus = events.EventBus(
            self,
            "Bus",
            event_bus_name=config.bus_name,
            description="Verwijsindex national: signal and move events of the linked regions, and the answers",
        )
        for account in config.region_accounts:
            self.bus.add_to_resource_policy(
                iam.PolicyStatement(
                    sid=f"RegionAccount{account}",
                    principals=[iam.AccountPrincipal(account)],
                    actions=["events:PutEvents"],
                    resources=[self.bus.event_bus_arn],
                    conditions={"StringEquals": {"events:source": REGION_EVENT_SOURCE}},
                )
            )

        self.forward_failures = dead_letter_queue(
            self,
            "ForwardFailures",
            key=key,
            purpose="national answers that could not be delivered to a region's inbox bus",
        )
        self.forward_rules: dict[str, events.Rule] = {}
        self.forward_roles: dict[str, iam.Role] = {}
        for region in config.regions:
            inbox_arn = self.inbox_bus_arn(region)
            role = iam.Role(
                self,
                f"ForwardRole-{region.code}",
                assumed_by=iam.ServicePrincipal(
                    "events.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": stack.account}}
                ),
                description=f"Verwijsindex national: puts events on the inbox bus of region {region.code} only",
            )
            self.forward_roles[region.code] = role
            self.forward_rules[region.code] = events.Rule(
                self,
                f"ForwardTo-{region.code}",
                event_bus=self.bus,
                description=f"Verwijsindex national: answers for region {region.code} -> its inbox bus",
                event_pattern=events.EventPattern(
                    source=[NATIONAL_EVENT_SOURCE],
                    detail_type=list(NATIONAL_DETAIL_TYPES),
                    detail={"region": [region.code]},
                ),
                # The target adds events:PutEvents on exactly this ARN to the role.
                targets=[
                    targets.EventBus(
                        events.EventBus.from_event_bus_arn(self, f"Inbox-{region.code}", inbox_arn),
                        role=role,
                        dead_letter_queue=self.forward_failures,
                    )
                ],
            )

    def inbox_bus_arn(self, region: LinkedRegion) -> str:
        return Stack.of(self).format_arn(
            service="events",
            region=region.aws_region,
            account=region.account,
            resource="event-bus",
            resource_name=region.inbox_bus_name,
        )
