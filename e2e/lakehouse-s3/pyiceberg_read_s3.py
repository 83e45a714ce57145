"""The lakehouse's independent reader (packages/lakehouse/test/pyiceberg_read.py) on a warehouse in S3.

usage: SEG_PYICEBERG_PROPERTIES='{"s3.endpoint": ...}' pyiceberg_read_s3.py <pyiceberg_read.py arguments>
Runs that reader unchanged, except that its SQL catalog also gets the given catalog properties (the
S3 endpoint, credentials, region and path-style addressing pyiceberg's FileIO needs to reach moto).
"""
import functools
import json
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the lakehouse package
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "lakehouse", "test"))

import pyiceberg_read  # noqa: E402

pyiceberg_read.SqlCatalog = functools.partial(
    pyiceberg_read.SqlCatalog, **json.loads(os.environ["SEG_PYICEBERG_PROPERTIES"])
)

if __name__ == "__main__":
    pyiceberg_read.main()
