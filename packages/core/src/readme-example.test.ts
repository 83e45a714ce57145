import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryBundleSource, Evaluator, parseTrustedKeys } from './index.ts';

const repo = join(new URL('.', import.meta.url).pathname, '../../..');

// The README's example, against the committed bundles and trusted keys.
describe('README example', () => {
  it('evaluates a stale access key as a failure', async () => {
    const evaluator = new Evaluator({
      bundleSource: new DirectoryBundleSource({ root: join(repo, 'bundles') }),
      trustedKeys: parseTrustedKeys(readFileSync(join(repo, 'tools/bundle/trusted-keys.json'), 'utf8')),
      bundles: [{ id: 'seg-custom', version: '1.0.0' }],
      params: { 'seg-access-key-max-age': { max_age_days: 90 } },
    });
    const urn = 'urn:asset:aws:iam-access-key:AKIAEXAMPLE';
    const result = await evaluator.evaluateDocuments(
      { scope: { org_id: 'acme', tags: {} }, control_ids: ['seg-access-key-max-age'] },
      [
        {
          asset: {
            ref: { urn },
            kind: 'iam-access-key',
            provider: 'aws',
            name: 'alice',
            properties: {},
            discovered_at: '2026-05-01T00:00:00Z',
          },
          config: {
            asset: { urn },
            captured_at: '2026-05-01T00:00:00Z',
            schema_version: '1.0.0',
            body: {
              access_key_id: 'AKIAEXAMPLE',
              user_name: 'alice',
              status: 'Active',
              create_date: '2026-01-01T00:00:00Z',
              last_used_date: null,
            },
          },
        },
      ],
      { now: '2026-06-01T00:00:00Z' },
    );
    expect([result.findings[0]?.result, result.findings[0]?.message]).toEqual([
      'fail',
      'access key is 151 days old, more than 90',
    ]);
    await evaluator.close();
  });
});
