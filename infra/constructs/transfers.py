"""Transfers: where files of signals moving in and out of the region wait (README "Moving in and out").

- a customer-managed key of their own (``alias/verwijsindex/<code>/transfers``): every object is
  encrypted under it by default, whatever its uploader sent, and the operator's role needs its use
  to read one;
- the transfer bucket: public access blocked, TLS only, bucket owner owns every object (no ACLs),
  every object deleted after ``TRANSFER_DAYS`` (a file of an import holds BSNs; an export is
  downloaded within days), server access logs to a bucket of their own;
- no function may touch it: the operator's commands (``infra/ops/``) run with the operator's own
  credentials, and people reach an object only through a presigned URL that expires in minutes.

Outputs ``TransferBucket`` and ``TransferKeyArn`` are what those commands take.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.constructs.encryption_keys import customer_managed_key
from infra.nag import acknowledge

TRANSFER_DAYS = 7
ACCESS_LOG_DAYS = 365


class Transfers(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, region_code: str) -> None:
        super().__init__(scope, construct_id)
        self.key = customer_managed_key(
            self,
            "TransferKey",
            alias=f"alias/verwijsindex/{region_code}/transfers",
            description=f"Verwijsindex {region_code}: encrypts the files of signals moving in and out",
        )
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            # S3 delivers server access logs only to a bucket with S3-managed encryption.
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(ACCESS_LOG_DAYS))],
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.access_logs,
            "AwsSolutions-S1",
            "This bucket receives the transfer bucket's server access logs; logging it would need yet another bucket",
        )
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            lifecycle_rules=[
                s3.LifecycleRule(
                    expiration=Duration.days(TRANSFER_DAYS), abort_incomplete_multipart_upload_after=Duration.days(1)
                )
            ],
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="transfers/",
            removal_policy=RemovalPolicy.RETAIN,
        )
        CfnOutput(self, "TransferBucket", value=self.bucket.bucket_name, key="TransferBucket")
        CfnOutput(self, "TransferKeyArn", value=self.key.key_arn, key="TransferKeyArn")
