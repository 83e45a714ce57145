"""moto_server, with KMS Sign honouring MessageType=DIGEST as AWS KMS does.

moto 5.2 ignores MessageType and signs a DIGEST's 32 bytes as if they were the message, so a signature over
a message longer than KMS's 4,096-byte RAW limit never verifies. This launcher signs a DIGEST as a
prehashed value (ECDSA keys; other requests go to moto unchanged) and then runs moto's own server.

usage: python moto_server_kms_digest.py [moto_server arguments]
"""
import base64
import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from moto.kms import responses
from moto.server import main

HASHES = {"ECDSA_SHA_256": hashes.SHA256, "ECDSA_SHA_384": hashes.SHA384, "ECDSA_SHA_512": hashes.SHA512}
moto_sign = responses.KmsResponse.sign


def sign(self):
    algorithm = self._get_param("SigningAlgorithm")
    if self._get_param("MessageType") != "DIGEST" or algorithm not in HASHES:
        return moto_sign(self)
    key = self.kms_backend.describe_key(self._get_param("KeyId"))
    digest = self._get_param("Message")
    signature = key.private_key.private_key.sign(digest, ec.ECDSA(utils.Prehashed(HASHES[algorithm]())))
    return json.dumps(
        {"KeyId": key.arn, "Signature": base64.b64encode(signature).decode("utf-8"), "SigningAlgorithm": algorithm}
    )


responses.KmsResponse.sign = sign

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
