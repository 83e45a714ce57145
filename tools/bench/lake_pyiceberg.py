"""bench:lake baseline: pyiceberg appends the same batches to a table in the same kind of catalog.

usage: lake_pyiceberg.py <catalog.db> <namespace.table>
Reads one JSONL batch path per line on stdin, appends that batch as one commit, and answers each with
one JSON line {"rows", "seconds", "cpu_seconds"} (cpu_seconds: this process's CPU time, all threads). Loading a batch into Arrow is not timed; table.append is. The caller
interleaves these batches with its own, so both writers see the same machine load.
"""
import json
import sys
import time

import pyarrow as pa
import pyarrow.json as pj
from pyiceberg.catalog.sql import SqlCatalog


def main():
    db, ident = sys.argv[1:]
    catalog = SqlCatalog("seg", uri=f"sqlite:///{db}", init_catalog_tables="false")
    table = catalog.load_table(ident)
    arrow_schema = table.schema().as_arrow()
    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        raw = pj.read_json(path)
        cols = []
        for field in arrow_schema:
            col = raw.column(field.name)
            if pa.types.is_timestamp(field.type):
                col = col.cast(pa.int64()).cast(field.type)
            cols.append(col.cast(field.type))
        batch = pa.Table.from_arrays(cols, schema=arrow_schema)
        start = time.perf_counter()
        cpu_start = time.process_time()
        table.append(batch)
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        print(json.dumps({"rows": batch.num_rows, "seconds": seconds, "cpu_seconds": cpu_seconds}), flush=True)


if __name__ == "__main__":
    main()
