import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  Ed25519Signer,
  IN_TOTO_PAYLOAD_TYPE,
  evaluationStatement,
  serializeEnvelope,
  signEnvelope,
  statementBytes,
} from '@neurocipher/seg-attest';
import { runSeg } from '../testing/run-seg.ts';

const dir = mkdtempSync(join(tmpdir(), 'seg-attest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seg = (...argv: string[]) => runSeg(dir, argv);

describe('seg attest verify', () => {
  const run = {
    run_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    scope: { org_id: 'demo', tags: {} },
    started_at: '2026-11-01T00:00:00Z',
    ended_at: '2026-11-01T00:01:00Z',
    controls: ['cis-storage-versioning'],
    counts: { pass: 3, fail: 1 },
  };
  const signer = Ed25519Signer.generate();
  const other = Ed25519Signer.generate();

  it('accepts an envelope signed by the key (exit 0) and rejects another key (exit 1)', async () => {
    const envelope = serializeEnvelope(
      await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(evaluationStatement(run)), [signer]),
    );
    writeFileSync(join(dir, 'run.intoto.json'), envelope);
    writeFileSync(join(dir, 'good.pub'), signer.publicKeyPem());
    writeFileSync(join(dir, 'other.pub'), other.publicKeyPem());
    const ok = await seg('attest', 'verify', 'run.intoto.json', '--key', 'good.pub');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`verified: 1 signature(s) (${signer.keyid})`);
    const bad = await seg('attest', 'verify', 'run.intoto.json', '--key', 'other.pub');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^seg: SEG_ATTEST_VERIFY_FAILED: /);
  });

  it('rejects a tampered envelope (exit 1) and a missing file (exit 2)', async () => {
    const envelope = JSON.parse(
      serializeEnvelope(
        await signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytes(evaluationStatement(run)), [signer]),
      ),
    ) as { payload: string };
    const body = JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as {
      predicate: { run: { counts: Record<string, number> } };
    };
    body.predicate.run.counts['fail'] = 0;
    envelope.payload = Buffer.from(JSON.stringify(body)).toString('base64');
    writeFileSync(join(dir, 'tampered.intoto.json'), JSON.stringify(envelope));
    expect((await seg('attest', 'verify', 'tampered.intoto.json', '--key', 'good.pub')).code).toBe(1);
    expect((await seg('attest', 'verify', 'missing.intoto.json', '--key', 'good.pub')).code).toBe(2);
  });
});
