import { concatBytes, utf8 } from '../encoding/bytes.ts';

/**
 * DSSE v1 pre-authentication encoding:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the decimal BYTE length.
 * This is the exact byte string every DSSE signature covers.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  const head = utf8(`DSSEv1 ${type.length} `);
  const middle = utf8(` ${payload.length} `);
  return concatBytes(head, type, middle, payload);
}
