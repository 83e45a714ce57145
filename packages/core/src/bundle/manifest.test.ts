import { describe, expect, it } from '@jest/globals';
import { bundleKind, parseManifest } from './manifest.ts';

const bytes = (doc: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(doc));
const gates = { id: 'seg-gates', version: '1.0.0', kind: 'gates', entrypoint: 'seg/gates/decision' };
const control = {
  id: 'seg-x',
  version: '1.0.0',
  title: 'X',
  benchmark: 'custom',
  severity: 'low',
  target_kinds: ['bucket'],
  entrypoint: 'seg/controls/seg_x/result',
};

function failure(doc: unknown): string {
  try {
    parseManifest(bytes(doc));
  } catch (error) {
    return `${(error as { error_code: string }).error_code}: ${(error as Error).message}`;
  }
  throw new Error('expected parseManifest to throw');
}

describe('parseManifest', () => {
  it('reads a gates manifest as a bundle of kind gates with no controls', () => {
    const manifest = parseManifest(bytes(gates));
    expect(manifest).toEqual({ ...gates, controls: [] });
    expect(bundleKind(manifest)).toBe('gates');
  });

  it('reads a manifest without a kind as a control bundle, unchanged', () => {
    const manifest = parseManifest(bytes({ id: 'b', version: '1.0.0', controls: [control] }));
    expect(manifest).toEqual({ id: 'b', version: '1.0.0', controls: [control] });
    expect(bundleKind(manifest)).toBe('controls');
    expect(
      bundleKind(parseManifest(bytes({ id: 'b', version: '1.0.0', kind: 'controls', controls: [control] }))),
    ).toBe('controls');
  });

  it('refuses a gates manifest with controls or another entrypoint', () => {
    expect(failure({ ...gates, controls: [control] })).toBe(
      'SEG_POLICY_LOAD_FAILED: manifest.json is invalid: a gates bundle ("kind": "gates") declares no controls',
    );
    expect(failure({ ...gates, entrypoint: 'seg/gates/allow' })).toBe(
      "SEG_POLICY_LOAD_FAILED: manifest.json is invalid: a gates bundle's entrypoint must be seg/gates/decision",
    );
    expect(failure({ ...gates, entrypoint: undefined })).toContain('entrypoint must be seg/gates/decision');
  });

  it('refuses an unknown kind, a control bundle with a bundle entrypoint, and one without controls', () => {
    expect(failure({ ...gates, kind: 'guards' })).toContain(
      'manifest.json is invalid: data/kind must be equal to one',
    );
    expect(
      failure({ id: 'b', version: '1.0.0', entrypoint: 'seg/gates/decision', controls: [control] }),
    ).toBe(
      'SEG_POLICY_LOAD_FAILED: manifest.json is invalid: a control bundle names no bundle entrypoint (each control names its own)',
    );
    expect(failure({ id: 'b', version: '1.0.0' })).toBe(
      "SEG_POLICY_LOAD_FAILED: manifest.json is invalid: data must have required property 'controls'",
    );
  });
});
