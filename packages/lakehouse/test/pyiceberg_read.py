"""Independent reader: opens SEG tables with pyiceberg through the same SQL catalog and dumps them as JSON.

usage: pyiceberg_read.py <catalog-name> <sqlalchemy-uri | http uri of a REST catalog> <namespace> <table>...
       pyiceberg_read.py --many '<json list of [catalog-name, uri, namespace, [tables]]>'
       pyiceberg_read.py --list <catalog-name> <uri> <namespace>
Prints one JSON object (a list of them with --many): per table its schema, partition spec, current snapshot, row count, the rows
(timestamps as integer microseconds since the epoch) and row counts per org_id through a filtered scan.
With --list: the names of the tables in the namespace, sorted, as a JSON list.
Env SEG_PYICEBERG_PROPERTIES (optional): a JSON object of extra catalog properties given to every catalog,
e.g. the S3 endpoint, credentials, region and path-style addressing pyiceberg's FileIO needs to reach moto.
"""
import datetime
import json
import os
import sys

from pyiceberg.catalog.rest import RestCatalog
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.expressions import EqualTo

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def plain(v):
    if isinstance(v, datetime.datetime):
        return (v - EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(v, datetime.date):
        return (v - EPOCH.date()).days
    return v


def open_catalog(name, uri):
    extra = json.loads(os.environ.get("SEG_PYICEBERG_PROPERTIES") or "{}")
    if uri.startswith("http"):
        return RestCatalog(name, uri=uri, **extra)
    return SqlCatalog(name, uri=uri, init_catalog_tables="false", **extra)


def read(name, uri, namespace, tables):
    catalog = open_catalog(name, uri)
    out = {}
    for t in tables:
        table = catalog.load_table(f"{namespace}.{t}")
        rows = [{k: plain(v) for k, v in r.items()} for r in table.scan().to_arrow().to_pylist()]
        orgs = sorted({r["org_id"] for r in rows})
        out[t] = {
            "schema": [
                {"id": f.field_id, "name": f.name, "type": str(f.field_type), "required": f.required}
                for f in table.schema().fields
            ],
            "spec": [
                {"source_id": f.source_id, "field_id": f.field_id, "name": f.name, "transform": str(f.transform)}
                for f in table.spec().fields
            ],
            "snapshot_id": str(table.metadata.current_snapshot_id),
            "row_count": len(rows),
            "rows": rows,
            "per_org": {o: table.scan(row_filter=EqualTo("org_id", o)).to_arrow().num_rows for o in orgs},
        }
    return out


def main():
    if sys.argv[1] == "--many":
        print(json.dumps([read(*spec) for spec in json.loads(sys.argv[2])]))
    elif sys.argv[1] == "--list":
        name, uri, namespace = sys.argv[2:]
        print(json.dumps(sorted(ident[-1] for ident in open_catalog(name, uri).list_tables(namespace))))
    else:
        name, uri, namespace, *tables = sys.argv[1:]
        print(json.dumps(read(name, uri, namespace, tables)))


if __name__ == "__main__":
    main()
