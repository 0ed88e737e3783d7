"""E-mail: the SES domain identity (Easy DKIM, 2048-bit) and the configuration set every message uses.

Bounces, complaints, rejects and delivery delays are published to an encrypted SNS topic, which the
email_events function reads (constructs/email_events.py), and bounced or complaining addresses go onto
the account's suppression list. TLS to the receiving server is required.

After the first deploy the operator publishes the three DKIM CNAME records (stack outputs) in the
sender domain and, while the account is in the SES sandbox, requests production access.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import RegionConfig


class Email(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: RegionConfig, key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        self.sender = config.sender_address
        self.sender_domain = config.sender_domain

        self.events_topic = sns.Topic(
            self,
            "DeliveryEvents",
            display_name=f"Verwijsindex {config.region_code}: e-mail bounces and complaints",
            master_key=key,
            enforce_ssl=True,
        )
        # The email_events function subscribes (constructs/email_events.py); the raw events carry
        # pseudonyms, so no mailbox does.

        self.configuration_set_name = f"verwijsindex-{config.region_code}"
        self.configuration_set = ses.ConfigurationSet(
            self,
            "ConfigurationSet",
            configuration_set_name=self.configuration_set_name,
            reputation_metrics=True,
            sending_enabled=True,
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
            tls_policy=ses.ConfigurationSetTlsPolicy.REQUIRE,
        )
        self.configuration_set.add_event_destination(
            "BouncesAndComplaints",
            destination=ses.EventDestination.sns_topic(self.events_topic),
            events=[
                ses.EmailSendingEvent.BOUNCE,
                ses.EmailSendingEvent.COMPLAINT,
                ses.EmailSendingEvent.REJECT,
                ses.EmailSendingEvent.DELIVERY_DELAY,
                ses.EmailSendingEvent.RENDERING_FAILURE,
            ],
        )

        self.identity = ses.EmailIdentity(
            self,
            "DomainIdentity",
            identity=ses.Identity.domain(config.sender_domain),
            dkim_identity=ses.DkimIdentity.easy_dkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
            dkim_signing=True,
            configuration_set=self.configuration_set,
        )
        for number, record in enumerate(self.identity.dkim_records, start=1):
            CfnOutput(
                self,
                f"DkimRecord{number}",
                description=f"DKIM CNAME {number} to publish in {config.sender_domain}",
                value=f"{record.name} CNAME {record.value}",
            )

    @property
    def configuration_set_arn(self) -> str:
        return Stack.of(self).format_arn(
            service="ses", resource="configuration-set", resource_name=self.configuration_set_name
        )

    def grant_send(self, role: iam.IRole) -> None:
        """SESv2 SendEmail, from the region's sender address only, through the configuration set."""
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ses:SendEmail"],
                resources=[self.identity.email_identity_arn, self.configuration_set_arn],
                conditions={"StringEquals": {"ses:FromAddress": self.sender}},
            )
        )
