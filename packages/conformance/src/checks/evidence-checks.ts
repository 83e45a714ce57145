import assert from 'node:assert/strict';
import type { Asset } from '@neurocipher/seg-contracts';
import { sha256Hex } from '@neurocipher/seg-ports';
import { hook } from './conformance-check.ts';
import type { SubjectCheck } from './conformance-check.ts';
import { listAll } from './listing.ts';

const hashes: SubjectCheck = {
  kind: 'subject',
  id: 'evidence.hashes',
  capability: 'evidence',
  requires: ['evidence'],
  title: 'stores the raw responses behind a config as blobs whose sha256 matches the pointer',
  async run(subject) {
    const evidence = hook(subject.evidence, 'evidence', 'evidence');
    const asset = (await listAll(subject)).assets[0] as Asset | undefined;
    assert.ok(asset !== undefined, 'the listing is empty');
    await subject.inventory.get_config(asset.ref);
    const pointers = await evidence.pointers(asset.ref);
    assert.ok(pointers.length > 0, `no evidence pointer for ${asset.ref.urn} after get_config`);
    for (const p of pointers) {
      assert.match(p.hash, /^[0-9a-f]{64}$/, 'a pointer hash is not sha256 hex');
      const bytes = await evidence.read(p.hash);
      assert.equal(sha256Hex(bytes), p.hash, `blob ${p.hash} does not hash to its pointer`);
    }
  },
};

/** The `evidence` suite: content-addressed evidence that verifies (spec §8.1). */
export const EVIDENCE_CHECKS: readonly SubjectCheck[] = [hashes];
