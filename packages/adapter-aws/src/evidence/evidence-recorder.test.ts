import { describe, expect, it } from '@jest/globals';
import { InMemoryBlobStore, InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { EvidenceRecorder, canonicalBytes, evidenceKey, sha256Hex } from './evidence-recorder.ts';

describe('EvidenceRecorder', () => {
  describe('#put', () => {
    it('redacts a raw response before hashing and stores only the redacted bytes', async () => {
      const store = new InMemoryBlobStore();
      const token = 'Bearer tok-5f1e9c2a7b';
      const redactor = new InMemoryRedactor({ secrets: { bearer_token: [token] } });
      const recorder = new EvidenceRecorder({ store, redactor });
      const raw = { Policy: { Condition: { StringEquals: { 'aws:Referer': token } } }, RequestId: 'r-1' };
      const pointer = await recorder.put(raw);
      const expected = {
        Policy: { Condition: { StringEquals: { 'aws:Referer': '[REDACTED:bearer_token]' } } },
        RequestId: 'r-1',
      };
      expect(pointer.hash).toBe(sha256Hex(canonicalBytes(expected)));
      const stored = new TextDecoder().decode(await store.get(evidenceKey(pointer.hash)));
      expect(stored).not.toContain('tok-5f1e9c2a7b');
      expect(await recorder.read(pointer)).toEqual(expected);
      expect(raw.Policy.Condition.StringEquals['aws:Referer']).toBe(token);
    });
  });
});
