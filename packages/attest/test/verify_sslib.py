"""Verify a SEG DSSE envelope with securesystemslib, as a third party would.

Usage: verify_sslib.py ENVELOPE.json PUBKEY.pem [PUBKEY.pem ...]

Every key given must have a valid signature (threshold = number of keys). Prints the keyid
securesystemslib computes for each key, then "OK <predicateType>"; exits 1 with "FAIL: ..." otherwise.
"""

import json
import sys

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import SSlibKey


def main() -> int:
    envelope_path, *key_paths = sys.argv[1:]
    with open(envelope_path, "rb") as f:
        envelope = Envelope.from_dict(json.load(f))
    keys = []
    for path in key_paths:
        with open(path, "rb") as f:
            key = SSlibKey.from_crypto(load_pem_public_key(f.read()))
        print(f"KEYID {key.keytype} {key.scheme} {key.keyid}")
        keys.append(key)
    try:
        envelope.verify(keys, len(keys))
    except VerificationError as error:
        print(f"FAIL: {error}")
        return 1
    # securesystemslib does not check the payload type: the caller must.
    if envelope.payload_type != "application/vnd.in-toto+json":
        print(f"FAIL: payloadType {envelope.payload_type}")
        return 1
    statement = json.loads(envelope.payload)
    if statement.get("_type") != "https://in-toto.io/Statement/v1":
        print("FAIL: not an in-toto Statement v1")
        return 1
    print(f"OK {statement['predicateType']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
