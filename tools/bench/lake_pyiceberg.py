"""bench:lake baseline: pyiceberg appends the same batches to a table in the same kind of catalog.

usage: lake_pyiceberg.py <catalog.db> <namespace.table> <batch-dir>
Each batch-dir/NNNN.jsonl is one append. Loading a batch into Arrow is not timed; table.append is.
Prints one JSON object: rows, seconds, commits.
"""
import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.json as pj
from pyiceberg.catalog.sql import SqlCatalog


def main():
    db, ident, batch_dir = sys.argv[1:]
    catalog = SqlCatalog("seg", uri=f"sqlite:///{db}", init_catalog_tables="false")
    table = catalog.load_table(ident)
    arrow_schema = table.schema().as_arrow()
    rows = 0
    seconds = 0.0
    commits = 0
    for name in sorted(os.listdir(batch_dir)):
        raw = pj.read_json(os.path.join(batch_dir, name))
        cols = []
        for field in arrow_schema:
            col = raw.column(field.name)
            if pa.types.is_timestamp(field.type):
                col = col.cast(pa.int64()).cast(field.type)
            cols.append(col.cast(field.type))
        batch = pa.Table.from_arrays(cols, schema=arrow_schema)
        start = time.perf_counter()
        table.append(batch)
        seconds += time.perf_counter() - start
        rows += batch.num_rows
        commits += 1
    print(json.dumps({"rows": rows, "seconds": seconds, "commits": commits}))


if __name__ == "__main__":
    main()
