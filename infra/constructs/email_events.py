"""E-mail events: SES bounces and complaints reach a function, not a mailbox.

The configuration set publishes bounces, complaints, rejects and delays to the encrypted topic of the
Email construct; the email_events function, subscribed to it, marks a permanently bouncing or
complaining address undeliverable in the registry and the notification `bounced`, and e-mails the
region's operator (``operator_email``). The raw events carry the notification's key (pseudonyms and
ids), so no mailbox subscribes to the topic itself. The account's bounce and complaint rates, which
SES itself watches, have alarms below the rates at which SES reviews an account.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra.constructs.function import ServiceFunction
from infra.constructs.platform import Platform, dead_letter_queue

HANDLER = "email_events.handler.lambda_handler"
BOUNCE_RATE_ALARM = 0.04  # SES reviews an account at 5 %
COMPLAINT_RATE_ALARM = 0.0008  # SES reviews an account at 0.1 %


class EmailEvents(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform) -> None:
        super().__init__(scope, construct_id)
        data = platform.data

        self.failures = dead_letter_queue(
            self,
            "EmailEventFailures",
            key=platform.keys.messaging,
            purpose="SES bounce and complaint events the function could not take",
            recognised_by_nag=True,
        )
        self.handler = ServiceFunction(
            self,
            "EmailEvents",
            defaults=platform.defaults,
            handler=HANDLER,
            service="email_events",
            description="Verwijsindex: SES bounces and complaints mark addresses undeliverable and tell the operator",
            timeout=Duration.seconds(30),
            dead_letter_queue=self.failures,
            retry_attempts=2,
        )
        role = self.handler.role
        # PutItem: the undeliverable address; UpdateItem: the notification becomes `bounced`.
        data.grant(role, data.table, ["dynamodb:PutItem", "dynamodb:UpdateItem"])
        data.grant_audit_append(role)  # the address marked, with its audit entry in one transaction
        platform.email.grant_send(role)  # the operator's message
        platform.keys.messaging.grant(role, "kms:GenerateDataKey", "kms:Decrypt")  # its own dead-letter queue
        platform.email.events_topic.add_subscription(subscriptions.LambdaSubscription(self.handler.function))

        self.bounce_rate = cloudwatch.Metric(
            namespace="AWS/SES", metric_name="Reputation.BounceRate", statistic="Maximum", period=Duration.hours(1)
        )
        self.complaint_rate = cloudwatch.Metric(
            namespace="AWS/SES", metric_name="Reputation.ComplaintRate", statistic="Maximum", period=Duration.hours(1)
        )
