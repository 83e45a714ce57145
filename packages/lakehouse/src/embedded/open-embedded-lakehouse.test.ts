import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { tempDir } from '../testing/temp-dir.ts';
import { sampleRun, uuidFrom } from '../../test/fixtures.ts';
import { openEmbeddedLakehouse } from './open-embedded-lakehouse.ts';

describe('openEmbeddedLakehouse', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('stores evidence, commits a run that points at it, and refuses evidence never stored', async () => {
    const lake = openEmbeddedLakehouse({ root: dir.path, redactor: new InMemoryRedactor() });
    try {
      const r = sampleRun({ org: 'org-a', run: uuidFrom('e1'), day: '2026-01-01', assetCount: 1 });
      for (const e of r.evidence) {
        const stored = await lake.evidence.put(
          { finding: e.finding_ids, contact: 'ops@example.com' },
          'application/json',
        );
        e.hash = stored.hash;
        for (const f of r.findings)
          if (e.finding_ids.includes(f.id))
            f.evidence = [{ hash: stored.hash, media_type: 'application/json' }];
      }
      const out = await lake.store.commit(r.findings, r.evidence, r.context);
      expect(out.findings_written).toBe(2);
      expect(existsSync(join(dir.path, 'catalog.db'))).toBe(true);
      expect(existsSync(join(dir.path, 'keys', 'master.key'))).toBe(true);
      const missing = sampleRun({ org: 'org-a', run: uuidFrom('e2'), day: '2026-01-01', assetCount: 1 });
      await expect(
        lake.store.commit(missing.findings, missing.evidence, missing.context),
      ).rejects.toMatchObject({
        error_code: 'SEG_EVIDENCE_WRITE_FAILED',
      });
      expect((await lake.store.evidenceReferences()).every((ref) => ref.org_id === 'org-a')).toBe(true);
    } finally {
      await lake.close();
    }
  });

  it('compacts and purges on the embedded root', async () => {
    let lake = openEmbeddedLakehouse({ root: dir.path });
    for (const run of ['c1', 'c2']) {
      const r = sampleRun({ org: 'org-a', run: uuidFrom(run), day: '2026-01-01', assetCount: 1 });
      for (const e of r.evidence) await lake.evidence.putBytes(Buffer.from(e.hash), 'text/plain');
      r.evidence = [];
      r.findings.forEach((f) => (f.evidence = []));
      await lake.store.commit(r.findings, r.evidence, r.context);
    }
    await lake.close();
    lake = openEmbeddedLakehouse({ root: dir.path });
    try {
      expect(await lake.store.compact()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ table: 'findings', files_added: 1, rows_removed: 0 }),
          expect.objectContaining({ table: 'controls', files_added: 1, rows_removed: 0 }),
        ]),
      );
      expect(await lake.evidence.purgeExpired(await lake.store.evidenceReferences())).toEqual({
        deleted: [],
        repacked: 0,
      });
    } finally {
      await lake.close();
    }
  });
});
