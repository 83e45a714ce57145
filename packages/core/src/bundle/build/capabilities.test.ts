import { describe, expect, it } from '@jest/globals';
import { isForbiddenBuiltin, restrictCapabilities } from './capabilities.ts';

describe('restrictCapabilities', () => {
  it('drops exactly the forbidden built-ins and keeps every other key', () => {
    const caps = {
      builtins: [
        'time.now_ns',
        'time.parse_rfc3339_ns',
        'http.send',
        'rand.intn',
        'net.cidr_contains',
        'uuid.parse',
        'opa.runtime',
        'concat',
      ].map((name) => ({ name })),
      features: ['rego_v1'],
    };
    expect(restrictCapabilities(caps)).toEqual({
      builtins: [{ name: 'time.parse_rfc3339_ns' }, { name: 'concat' }],
      features: ['rego_v1'],
    });
    // Pure: the input is untouched.
    expect(caps.builtins).toHaveLength(8);
  });

  it('matches whole names and prefixes as documented', () => {
    expect(isForbiddenBuiltin('time.now_ns')).toBe(true);
    expect(isForbiddenBuiltin('time.now_ns_extra')).toBe(false);
    expect(isForbiddenBuiltin('net.lookup_ip_addr')).toBe(true);
    expect(isForbiddenBuiltin('opa.runtime')).toBe(true);
    expect(isForbiddenBuiltin('strings.any_prefix_match')).toBe(false);
  });
});
