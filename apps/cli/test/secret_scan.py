"""Helpers of secret-redaction.test.ts around the tools we did not write: pyiceberg and detect-secrets.

usage:
  secret_scan.py dump-tables <catalog.db> <out dir>
      Reads every table of the SQL catalog with pyiceberg and writes each as JSON lines
      (<out dir>/<namespace>.<table>.jsonl, one row per line, every column). In the attestations table
      a DSSE envelope (payloadType, payload, signatures) is written as its decoded payload: the
      signatures are public, published data whose base64 detect-secrets' entropy rule would flag.
  secret_scan.py unwrap-envelopes <dir>
      Rewrites every DSSE envelope file under <dir> (*.json with payloadType/payload/signatures) as its
      decoded payload, for the same reason.
"""
import base64
import json
import os
import sys

from pyiceberg.catalog.sql import SqlCatalog


def decoded_envelope(value):
    """The decoded payload of a DSSE envelope (a dict or its JSON text), else None."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, dict) and {"payloadType", "payload", "signatures"} <= set(value):
        return {
            "payloadType": value["payloadType"],
            "payload": json.loads(base64.b64decode(value["payload"])),
            "signatures": f"{len(value['signatures'])} signature(s), public, not scanned",
        }
    return None


def dump_tables(db, out):
    catalog = SqlCatalog("seg", uri=f"sqlite:///{db}", init_catalog_tables="false")
    count = 0
    for namespace in catalog.list_namespaces():
        for ident in catalog.list_tables(namespace):
            name = ".".join(ident)
            rows = catalog.load_table(ident).scan().to_arrow().to_pylist()
            with open(os.path.join(out, f"{name}.jsonl"), "w", encoding="utf-8") as f:
                for row in rows:
                    if ident[-1] == "attestations":
                        for key, value in list(row.items()):
                            unwrapped = decoded_envelope(value)
                            if unwrapped is not None:
                                row[key] = unwrapped
                            elif key == "signature":
                                row[key] = f"{len(str(value))} characters of public signature, not scanned"
                    f.write(json.dumps(row, default=str, sort_keys=True) + "\n")
            count += 1
    print(json.dumps({"tables": count}))


def unwrap_envelopes(root):
    count = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8") as f:
                    value = json.load(f)
            except (ValueError, UnicodeDecodeError):
                continue
            unwrapped = decoded_envelope(value)
            if unwrapped is not None:
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(unwrapped, f, indent=1, sort_keys=True)
                count += 1
    print(json.dumps({"envelopes": count}))


def main():
    command, *args = sys.argv[1:]
    if command == "dump-tables":
        dump_tables(*args)
    elif command == "unwrap-envelopes":
        unwrap_envelopes(*args)
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
