import { describe, expect, it } from '@jest/globals';
import { InMemoryRedactor } from './in-memory-redactor.ts';

describe('InMemoryRedactor', () => {
  describe('#redact', () => {
    it('removes the literal secrets it was given from every string, keeps keys, counts kinds', async () => {
      const redactor = new InMemoryRedactor({ secrets: { password: ['hunter2'], token: ['tok-1'] } });
      const input = { hunter2: ['a hunter2 b hunter2', 7, true, null], nested: { t: 'tok-1' } };
      const [out] = await redactor.redact([input]);
      expect(out).toEqual({
        value: {
          hunter2: ['a [REDACTED:password] b [REDACTED:password]', 7, true, null],
          nested: { t: '[REDACTED:token]' },
        },
        redactions: [
          { kind: 'password', count: 2 },
          { kind: 'token', count: 1 },
        ],
      });
      expect(input.nested.t).toBe('tok-1');
      expect(redactor.seen).toEqual([input]);
    });

    it('changes nothing without secrets', async () => {
      expect(await new InMemoryRedactor().redact(['text', { a: 1 }])).toEqual([
        { value: 'text', redactions: [] },
        { value: { a: 1 }, redactions: [] },
      ]);
    });
  });
});
