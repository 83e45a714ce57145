import { sha256Hex } from '@neurocipher/seg-ports';

// OLPC canonical JSON string form, as securesystemslib writes it: only `\` and `"` are escaped,
// so a PEM public value keeps its raw newlines (RFC 8785 would write `\n`, giving another hash).
function olpcString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The securesystemslib default keyid (`compute_default_keyid`): the SHA-256 of the OLPC canonical
 * JSON of `{"keytype":…,"keyval":{"public":…},"scheme":…}` (keys sorted, no whitespace).
 */
export function securesystemslibKeyid(keytype: string, scheme: string, publicValue: string): string {
  const text =
    `{"keytype":${olpcString(keytype)},"keyval":{"public":${olpcString(publicValue)}},` +
    `"scheme":${olpcString(scheme)}}`;
  return sha256Hex(text);
}
