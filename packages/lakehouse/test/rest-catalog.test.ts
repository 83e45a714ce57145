// The REST catalog (iceberg-js, 64-bit ids exact) against the Iceberg REST fixture: pyiceberg reads
// every table back through the same REST catalog.
import { describe, expect, it } from '@jest/globals';
import { RestCatalog, canonicalFileUri, losslessFetch } from '../src/catalog/rest-catalog.ts';
import { describeReaderSuite } from './reader-suite.ts';
import type { RestServer } from '../src/testing/rest-server.ts';
import { startRestFixture } from '../src/testing/rest-server.ts';

let server: RestServer | undefined;

describeReaderSuite(
  'pyiceberg reads every table (REST catalog fixture)',
  async () => {
    server = await startRestFixture();
    const uri = server.uri;
    return { driver: () => new RestCatalog({ uri }), uri: () => uri };
  },
  async () => server?.stop(),
);

describe('losslessFetch', () => {
  it('hands iceberg-js 63-bit ids as exact strings and sends them back as exact integers', async () => {
    let sent = '';
    const inner = (async (_url: unknown, init?: RequestInit) => {
      sent = String(init?.body);
      return new Response('{"metadata":{"current-snapshot-id":9223372036854775807,"n":1}}', {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
    const res = await losslessFetch(inner)('http://x/', {
      method: 'POST',
      body: JSON.stringify({ updates: [{ 'snapshot-id': '9223372036854775806', other: '12' }] }),
    });
    expect(JSON.parse(await res.text())).toEqual({
      metadata: { 'current-snapshot-id': '9223372036854775807', n: 1 },
    });
    expect(sent).toBe('{"updates":[{"snapshot-id":9223372036854775806,"other":"12"}]}');
  });
});

describe('canonicalFileUri', () => {
  it('writes the Hadoop form of a local file URI as file:/// and leaves every other URI alone', () => {
    expect(canonicalFileUri('file:/tmp/w/seg/runs/metadata/1.json')).toBe(
      'file:///tmp/w/seg/runs/metadata/1.json',
    );
    for (const uri of ['file:///tmp/w/x.json', 's3://bucket/w/x.json', 'http://h/file:/x'])
      expect(canonicalFileUri(uri)).toBe(uri);
  });
});
