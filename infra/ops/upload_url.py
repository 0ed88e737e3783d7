"""A URL through which a file of signals is uploaded into the region's transfer bucket.

    python -m infra.ops.upload_url --bucket <TransferBucket> --kms-key-id <TransferKeyArn> --key import/signals.jsonl

Prints the URL (it works for 15 minutes) and the curl command that uploads with it: the bucket
refuses an object not encrypted under the transfer key, so the two encryption headers are part
of the signed request. Then: python -m infra.ops.import_signals s3://<TransferBucket>/<key> ...
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "functions"))

from verwijsindex.adapters.transfer_bucket import TransferBucket


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--bucket", required=True, help="the stack's output TransferBucket")
    parser.add_argument("--kms-key-id", required=True, help="the stack's output TransferKeyArn")
    parser.add_argument("--key", required=True, help="the object key, e.g. import/signals.jsonl")
    args = parser.parse_args(argv)
    import boto3

    url = TransferBucket(boto3.client("s3"), args.bucket, args.kms_key_id).upload_url(args.key)
    print(url)
    print(
        "curl -X PUT -T <file> -H 'x-amz-server-side-encryption: aws:kms' "
        f"-H {shlex.quote('x-amz-server-side-encryption-aws-kms-key-id: ' + args.kms_key_id)} {shlex.quote(url)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
