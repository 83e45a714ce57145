import { describe, expect, it } from '@jest/globals';
import {
  SegError,
  assetUrn,
  parseAsset,
  parseAssetRef,
  parseConfigDoc,
  parseInventoryQuery,
  parseScope,
} from '../index.ts';

const discovered_at = '2026-11-26T01:30:00Z';

describe('AssetRefSchema', () => {
  it.each([
    'urn:asset:aws:bucket:seg-logs',
    'urn:asset:aws:iam-user:arn:aws:iam::123456789012:user/alice',
    'urn:asset:azure:storage-account:/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a',
    'urn:asset:onprem:vm:host-01',
  ])('accepts %s', (urn) => expect(parseAssetRef({ urn })).toEqual({ urn }));

  it.each([
    'urn:asset:aws:bucket:',
    'urn:asset:oracle:bucket:x',
    'urn:asset:aws::x',
    'urn:asset:aws:Bucket:x',
    'urn:thing:aws:bucket:x',
    'arn:aws:s3:::bucket',
    'urn:asset:aws:bucket:has space',
  ])('rejects %s', (urn) => expect(() => parseAssetRef({ urn })).toThrow(SegError));
});

describe('assetUrn', () => {
  it('builds a URN that parses', () => {
    const urn = assetUrn('aws', 'security-group', 'sg-0123');
    expect(urn).toBe('urn:asset:aws:security-group:sg-0123');
    expect(parseAssetRef({ urn }).urn).toBe(urn);
  });
});

describe('AssetSchema', () => {
  const base = { ref: { urn: 'urn:asset:aws:bucket:b' }, kind: 'bucket', provider: 'aws', discovered_at };

  it('defaults properties to an empty object', () => {
    expect(parseAsset(base).properties).toEqual({});
  });
  it('accepts string, number and boolean property values', () => {
    const properties = { region: 'eu-west-1', size: 3.5, count: 2, public: false };
    expect(parseAsset({ ...base, properties }).properties).toEqual(properties);
  });
  it.each([{ nested: { a: 1 } }, { list: [1, 2] }, { nothing: null }, { inf: Number.POSITIVE_INFINITY }])(
    'rejects property values that are not scalars: %j',
    (properties) => {
      expect(() => parseAsset({ ...base, properties })).toThrow(SegError);
    },
  );
  it('rejects a provider outside the literal set', () => {
    expect(() => parseAsset({ ...base, provider: 'oracle' })).toThrow(/provider/);
  });
  it('rejects a naive discovered_at', () => {
    expect(() => parseAsset({ ...base, discovered_at: '2026-11-26T01:30:00' })).toThrow(/discovered_at/);
  });
  it('strips unknown fields, as pydantic ignores them', () => {
    expect(parseAsset({ ...base, extra: 1 })).not.toHaveProperty('extra');
  });
});

describe('ConfigDocSchema', () => {
  it('requires a body object', () => {
    const doc = {
      asset: { urn: 'urn:asset:aws:bucket:b' },
      captured_at: discovered_at,
      schema_version: '1.0.0',
    };
    expect(() => parseConfigDoc(doc)).toThrow(/body/);
    expect(parseConfigDoc({ ...doc, body: { a: [1, { b: null }] } }).body).toEqual({ a: [1, { b: null }] });
  });
});

describe('ScopeSchema', () => {
  it('accepts null for optional fields, as pydantic Optional does', () => {
    expect(parseScope({ org_id: 'acme', project: null, region: null })).toEqual({
      org_id: 'acme',
      project: null,
      region: null,
      tags: {},
    });
  });
  it('rejects an empty org_id and non-string tag values', () => {
    expect(() => parseScope({ org_id: '' })).toThrow(/org_id/);
    expect(() => parseScope({ org_id: 'a', tags: { env: 1 } })).toThrow(/tags\.env/);
  });
});

describe('InventoryQuerySchema', () => {
  it('bounds the page size at 1,000', () => {
    expect(parseInventoryQuery({ scope: { org_id: 'a' }, limit: 1000 }).limit).toBe(1000);
    expect(() => parseInventoryQuery({ scope: { org_id: 'a' }, limit: 1001 })).toThrow(/limit/);
    expect(() => parseInventoryQuery({ scope: { org_id: 'a' }, limit: 0 })).toThrow(/limit/);
  });
});
