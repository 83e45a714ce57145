import { describe, expect, it } from '@jest/globals';
import { gateVectors, parseGateVectorFile } from './gate-vectors.ts';

const encode = (doc: unknown): Uint8Array =>
  new TextEncoder().encode(typeof doc === 'string' ? doc : JSON.stringify(doc));
const refused = { allow: false, deny: ['no'], required: [], distinct_approvers: 0 };
const file = (vectors: unknown[]): unknown => ({ entrypoint: 'seg/gates/decision', vectors });

describe('parseGateVectorFile', () => {
  it('reads a gates vector file, named after its path', () => {
    const parsed = parseGateVectorFile(
      'tests/phases.json',
      encode(file([{ name: 'a', input: {}, expected: refused }])),
    );
    expect(parsed).toEqual({
      name: 'phases',
      entrypoint: 'seg/gates/decision',
      vectors: [{ name: 'a', input: {}, expected: refused }],
    });
  });

  it('refuses what is not a gates vector file, naming the file and the vector', () => {
    const error = (doc: unknown): string => {
      try {
        parseGateVectorFile('tests/x.json', encode(doc));
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(error('{')).toBe('tests/x.json is not valid JSON');
    expect(error({ control_id: 'c', vectors: [] })).toContain('entrypoint must be seg/gates/decision');
    expect(error({ entrypoint: 'seg/gates/decision' })).toContain('vectors must be a list');
    expect(error(file([{ name: 'a' }]))).toContain('vector 0 needs a name and an input');
    expect(
      error(
        file([
          { name: 'a', input: 1, expected: refused },
          { name: 'a', input: 2, expected: refused },
        ]),
      ),
    ).toContain('vector name "a" is used twice');
    expect(error(file([{ name: 'a', input: {}, expected: { ...refused, allow: true } }]))).toContain(
      'vector "a": expected is not a decision (allow: allow must be false exactly when deny lists a reason)',
    );
  });
});

describe('gateVectors', () => {
  it('reads every tests/*.json and nothing else', () => {
    const files = new Map([
      ['tests/b.json', encode(file([{ name: 'b1', input: {}, expected: refused }]))],
      ['tests/a.json', encode(file([{ name: 'a1', input: {}, expected: refused }]))],
      ['data/gates.json', encode('{"seg": {}}')],
    ]);
    expect([...gateVectors(files).keys()]).toEqual(['a', 'b']);
  });
});
