import { sha256Hex } from '@neurocipher/seg-ports';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_CAPTURED_AT, generateDemoTenant, writeSnapshotFile } from '@neurocipher/seg-adapter-snapshot';
import { decodePayload, parseEnvelope } from '@neurocipher/seg-attest';
import { runSeg } from '../testing/run-seg.ts';

const repo = resolve(import.meta.dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'seg-evidence-reuse-'));
const packs = join(dir, '.seg/blobs/packs');
const sha256 = (bytes: Uint8Array): string => sha256Hex(bytes);
const seg = (...argv: string[]) => runSeg(dir, argv);

type PackEntry = [hash: string, offset: number, length: number, media_type: string];

// Every body of every pack on disk, read without the store's code: [hash, the bytes stored for it].
function packedBodies(): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (const name of readdirSync(packs).filter((n) => n.endsWith('.idx.json'))) {
    const { entries } = JSON.parse(readFileSync(join(packs, name), 'utf8')) as { entries: PackEntry[] };
    const pack = readFileSync(join(packs, name.replace(/\.idx\.json$/, '.pack')));
    for (const [hash, offset, length] of entries) out.push([hash, pack.subarray(offset, offset + length)]);
  }
  return out;
}

// The evidence index a scan's attestation pins, and the hashes it lists.
function indexedEvidence(scanOut: string): string[] {
  const envelope = /^attestation: (.+)$/m.exec(scanOut)?.[1] as string;
  const statement = JSON.parse(
    new TextDecoder().decode(decodePayload(parseEnvelope(readFileSync(envelope, 'utf8')))),
  ) as { predicate: { evidence: Array<{ sha256: string }> } };
  const index = statement.predicate.evidence[0]!.sha256;
  const body = packedBodies().find(([hash]) => hash === index)?.[1] ?? indexFile(index);
  return (JSON.parse(body.toString('utf8')) as { evidence: string[] }).evidence;
}

function indexFile(hash: string): Buffer {
  return readFileSync(join(dir, '.seg/blobs/sha256', hash.slice(0, 2), hash));
}

describe('seg scan reusing stored evidence', () => {
  const tenant = join(dir, 'tenant.ndjson');
  const scan = () => seg('scan', '--provider', 'snapshot', '--snapshot', tenant, '--now', DEMO_CAPTURED_AT);

  beforeAll(async () => {
    writeFileSync(
      join(dir, 'seg.config.json'),
      JSON.stringify({
        bundles_dir: join(repo, 'bundles'),
        trusted_keys: join(repo, 'tools/bundle/trusted-keys.json'),
      }),
    );
    await writeSnapshotFile(tenant, generateDemoTenant({ assets: 200 }));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores a body again when its stored copy was corrupted, and signs only intact evidence', async () => {
    const first = await scan();
    expect(first.code).toBe(0);
    // Flip one byte inside the first body of one pack, as a failing disk or a tamperer would.
    const [indexName] = readdirSync(packs).filter((n) => n.endsWith('.idx.json'));
    const { entries } = JSON.parse(readFileSync(join(packs, indexName!), 'utf8')) as { entries: PackEntry[] };
    const [victim, offset, length] = entries[0]!;
    const packFile = join(packs, indexName!.replace(/\.idx\.json$/, '.pack'));
    const bytes = readFileSync(packFile);
    const at = offset + Math.floor(length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
    writeFileSync(packFile, bytes);

    // The same snapshot again: every body it cites is the same, the corrupted one included.
    const second = await scan();
    expect(second.err).not.toMatch(/SEG_/);
    expect(second.code).toBe(0);
    const cited = indexedEvidence(second.out);
    expect(cited).toContain(victim);
    // Every copy of every body left in the store hashes to its address, and each cited body is there.
    const stored = new Map<string, Buffer>();
    for (const [hash, body] of packedBodies()) {
      expect(sha256(body)).toBe(hash);
      stored.set(hash, body);
    }
    for (const hash of cited) expect(stored.has(hash)).toBe(true);
  });
});
