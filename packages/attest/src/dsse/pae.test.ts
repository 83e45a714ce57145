import { describe, expect, it } from '@jest/globals';
import { preAuthEncoding } from './pae.ts';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('preAuthEncoding', () => {
  it('matches the DSSE protocol.md example', () => {
    expect(text(preAuthEncoding('http://example.com/HelloWorld', bytes('hello world')))).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, for non-ASCII types and bodies', () => {
    const pae = text(preAuthEncoding('application/vnd.in-toto+json\u00e9', bytes('\u00e9')));
    expect(pae).toBe('DSSEv1 30 application/vnd.in-toto+json\u00e9 2 \u00e9');
  });

  it('encodes an empty body with its trailing space', () => {
    expect(text(preAuthEncoding('t', new Uint8Array(0)))).toBe('DSSEv1 1 t 0 ');
  });
});
