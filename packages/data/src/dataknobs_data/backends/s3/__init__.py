"""The S3 backend: one JSON object per record in a bucket prefix (boto3).

Example:
    >>> from dataknobs_data.backends.s3 import S3Database
    >>> S3Database(bucket="data", prefix="people").options.bucket
    'data'
"""

from dataknobs_data.backends.s3.database import AsyncS3Database, S3Database
from dataknobs_data.backends.s3.errors import (
    S3BucketNotFoundError,
    S3CredentialsError,
    S3EndpointUnreachableError,
)
from dataknobs_data.backends.s3.options import S3Options

__all__ = [
    "AsyncS3Database",
    "S3BucketNotFoundError",
    "S3CredentialsError",
    "S3Database",
    "S3EndpointUnreachableError",
    "S3Options",
]
