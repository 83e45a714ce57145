import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSegError } from '@neurocipher/seg-contracts';
import { DirectoryBundleSource } from './directory-bundle-source.ts';
import { Evaluator } from '../evaluation/evaluator.ts';
import { newKey, signDir, signedCopy, tempRoot, type TestKey } from '../../test/helpers.ts';

const ref = { id: 'seg-custom', version: '1.0.0' };
const request = { scope: { org_id: 'acme', tags: {} }, control_ids: ['seg-bucket-approved-region'] };
const documents = [
  {
    asset: {
      ref: { urn: 'urn:asset:aws:bucket:b1' },
      kind: 'bucket',
      provider: 'aws' as const,
      name: 'b1',
      properties: {},
      discovered_at: '2026-01-01T00:00:00Z',
    },
    config: {
      asset: { urn: 'urn:asset:aws:bucket:b1' },
      captured_at: '2026-01-01T00:00:00Z',
      schema_version: '1.0.0',
      body: { region: 'eu-west-1' },
    },
  },
];

describe('bundle verification', () => {
  let root: ReturnType<typeof tempRoot>;
  let key: TestKey;

  beforeAll(() => {
    root = tempRoot();
    key = newKey();
  });
  afterAll(() => root.dispose());

  async function attempt(
    mutate: (dir: string) => void | Promise<void>,
    trusted = key,
  ): Promise<{ error: unknown; evaluator: Evaluator }> {
    const name = `b${Math.random().toString(36).slice(2)}`;
    const dir = await signedCopy('seg-custom', root.path, key, name);
    await mutate(dir);
    const evaluator = new Evaluator({
      bundleSource: new DirectoryBundleSource({ root: root.path }),
      trustedKeys: [trusted.trusted],
      bundles: [ref],
      engine: { kind: 'wasm', workers: 0 },
    });
    let error: unknown;
    try {
      await evaluator.evaluateDocuments(request, documents, { now: '2026-06-01T00:00:00Z' });
    } catch (e) {
      error = e;
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await evaluator.close();
    }
    return { error, evaluator };
  }

  function expectRefused(outcome: { error: unknown; evaluator: Evaluator }, fragment: string): void {
    expect(isSegError(outcome.error, 'SEG_POLICY_LOAD_FAILED')).toBe(true);
    expect((outcome.error as Error).message).toContain(fragment);
    // Refused before any wasm was instantiated.
    expect(outcome.evaluator.instantiations).toBe(0);
  }

  it('loads and evaluates an untouched signed bundle', async () => {
    const outcome = await attempt(() => undefined);
    expect(outcome.error).toBeUndefined();
    expect(outcome.evaluator.instantiations).toBe(1);
  });

  it('refuses a changed policy byte', async () => {
    expectRefused(
      await attempt((dir) => {
        const path = join(dir, 'policies/seg_bucket_approved_region.rego');
        const bytes = readFileSync(path);
        bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 0x01, bytes.length - 2);
        writeFileSync(path, bytes);
      }),
      'policies/seg_bucket_approved_region.rego does not match its checksum',
    );
  });

  it('refuses a changed data file', async () => {
    expectRefused(
      await attempt((dir) => {
        const path = join(dir, 'data/approved_regions.json');
        writeFileSync(
          path,
          readFileSync(path, 'utf8')
            .replace('ap-south-1', 'eu-west-1')
            .replace('"us-east-1"', '"ap-south-1"'),
        );
      }),
      'data/approved_regions.json does not match its checksum',
    );
  });

  it('refuses a changed wasm byte', async () => {
    expectRefused(
      await attempt((dir) => {
        const path = join(dir, 'build/policy.wasm');
        const bytes = readFileSync(path);
        bytes.writeUInt8(bytes.readUInt8(1000) ^ 0xff, 1000);
        writeFileSync(path, bytes);
      }),
      'build/policy.wasm does not match its checksum',
    );
  });

  it('refuses an added file', async () => {
    expectRefused(
      await attempt((dir) => writeFileSync(join(dir, 'policies/extra.rego'), 'package seg.controls.extra\n')),
      'policies/extra.rego is not listed in CHECKSUMS',
    );
  });

  it('refuses a removed file', async () => {
    expectRefused(
      await attempt((dir) => rmSync(join(dir, 'tests/seg-access-key-max-age.json'))),
      'tests/seg-access-key-max-age.json listed in CHECKSUMS is missing',
    );
  });

  it('refuses a bundle signed by an untrusted key', async () => {
    expectRefused(await attempt(() => undefined, newKey()), 'not trusted');
  });

  it('refuses a truncated SIGNATURE file', async () => {
    expectRefused(
      await attempt((dir) => {
        const path = join(dir, 'SIGNATURE');
        const text = readFileSync(path, 'utf8');
        writeFileSync(path, text.slice(0, text.length / 2));
      }),
      'SIGNATURE is not valid JSON',
    );
  });

  it('refuses a truncated signature value', async () => {
    expectRefused(
      await attempt((dir) => {
        const path = join(dir, 'SIGNATURE');
        const doc = JSON.parse(readFileSync(path, 'utf8'));
        doc.signature = doc.signature.slice(0, 40);
        writeFileSync(path, JSON.stringify(doc));
      }),
      'wrong length',
    );
  });

  it('refuses a signature over different checksums', async () => {
    expectRefused(
      await attempt((dir) => appendFileSync(join(dir, 'CHECKSUMS'), `${'0'.repeat(64)}  zzz\n`)),
      'SIGNATURE does not verify over CHECKSUMS',
    );
  });

  it('refuses a correctly signed bundle whose manifest is invalid', async () => {
    expectRefused(
      await attempt(async (dir) => {
        const path = join(dir, 'manifest.json');
        const manifest = JSON.parse(readFileSync(path, 'utf8'));
        manifest.controls[0].entrypoint = 'seg/elsewhere/result';
        writeFileSync(path, JSON.stringify(manifest));
        await signDir(dir, key);
      }),
      'entrypoint must be seg/controls/seg_bucket_approved_region/result',
    );
  });

  it('refuses a missing bundle', async () => {
    const evaluator = new Evaluator({
      bundleSource: new DirectoryBundleSource({ root: root.path }),
      trustedKeys: [key.trusted],
      bundles: [{ id: 'seg-custom', version: '9.9.9' }],
    });
    await expect(evaluator.load()).rejects.toMatchObject({ error_code: 'SEG_POLICY_LOAD_FAILED' });
    expect(evaluator.instantiations).toBe(0);
  });
});
