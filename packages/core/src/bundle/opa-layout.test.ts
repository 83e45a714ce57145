import { describe, expect, it } from '@jest/globals';
import { AGGREGATOR_FILE, mergeBundleData, opaSourceTree, wasmEntrypoints } from './opa-layout.ts';
import type { BundleManifest } from './manifest.ts';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const gates: BundleManifest = {
  id: 'g',
  version: '1.0.0',
  kind: 'gates',
  entrypoint: 'seg/gates/decision',
  controls: [],
};

describe('opa layout of a gates bundle', () => {
  it('has the one gates entrypoint and no generated aggregator', () => {
    expect(wasmEntrypoints(gates)).toEqual(['seg/gates/decision']);
    const files = new Map([
      ['policies/gates.rego', encode('package seg.gates\n')],
      ['data/gates.json', encode('{"seg": {"gate_rules": {"x": 1}}}')],
    ]);
    const tree = opaSourceTree(gates, files);
    expect([...tree.keys()].sort()).toEqual(['data.json', 'policies/gates.rego']);
    expect(tree.has(AGGREGATOR_FILE)).toBe(false);
  });

  it('keeps data.seg.gates for policies', () => {
    expect(() => mergeBundleData(new Map([['data/x.json', encode('{"seg": {"gates": {}}}')]]))).toThrow(
      'data file data/x.json defines data.seg.gates, a policy namespace',
    );
  });
});
