"""The region's transfer bucket: files of signals moving in and out (README "Moving in and out").

Every object is written encrypted with the region's transfer key (SSE-KMS) and read back through
S3; people reach an object only through a presigned URL that expires within minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

URL_SECONDS = 900  # a presigned URL works for 15 minutes


class TransferBucket:
    def __init__(self, client: S3Client, bucket: str, kms_key_id: str) -> None:
        self._client = client
        self._bucket = bucket
        self._key_id = kms_key_id

    @property
    def bucket(self) -> str:
        return self._bucket

    @property
    def key_id(self) -> str:
        return self._key_id

    def put(self, key: str, lines: Iterable[str], content_type: str) -> None:
        """One object from the lines of a file, encrypted under the transfer key."""
        body = "".join(lines).encode("utf-8")
        self._client.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption="aws:kms",
            SSEKMSKeyId=self._key_id,
        )

    def lines(self, key: str) -> Iterator[str]:
        """The object's lines as they arrive (a file of 100,000 rows is never held at once)."""
        body = self._client.get_object(Bucket=self._bucket, Key=key)["Body"]
        for line in body.iter_lines(keepends=True):
            yield line.decode("utf-8")

    def encryption_of(self, key: str) -> tuple[str, str]:
        """How the object is encrypted at rest: (algorithm, key id)."""
        head = self._client.head_object(Bucket=self._bucket, Key=key)
        return head.get("ServerSideEncryption", ""), head.get("SSEKMSKeyId", "")

    def upload_url(self, key: str) -> str:
        """A URL through which the holder of a file uploads it (HTTP PUT with the two encryption
        headers `x-amz-server-side-encryption: aws:kms` and `x-amz-server-side-encryption-aws-kms-key-id`)."""
        return self._client.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ServerSideEncryption": "aws:kms",
                "SSEKMSKeyId": self._key_id,
            },
            ExpiresIn=URL_SECONDS,
        )

    def download_url(self, key: str) -> str:
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=URL_SECONDS
        )
