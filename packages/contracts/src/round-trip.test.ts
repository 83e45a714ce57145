import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as arb from '../test/arbitraries.ts';
import {
  parseApplyResult,
  parseAsset,
  parseAttestation,
  parseConfigDoc,
  parseControlSpec,
  parseEvalRequest,
  parseEvalResult,
  parseFinding,
  parseRemediationPlan,
  parseRunSummary,
  parseScope,
} from './index.ts';
import { SegError } from './index.ts';

// Property: parse(JSON of x) equals x for every valid document x. toEqual, not toStrictEqual: Jest's strict
// type check compares `.constructor`, which a JSON object may legitimately hold as an own key.
const cases: [string, fc.Arbitrary<unknown>, (v: unknown) => unknown][] = [
  ['Scope', arb.scope, parseScope],
  ['Asset', arb.asset, parseAsset],
  ['ConfigDoc', arb.configDoc, parseConfigDoc],
  ['ControlSpec', arb.controlSpec, parseControlSpec],
  ['Finding', arb.finding, parseFinding],
  ['RunSummary', arb.runSummary, parseRunSummary],
  ['RemediationPlan', arb.remediationPlan, parseRemediationPlan],
  ['ApplyResult', arb.applyResult, parseApplyResult],
  ['Attestation', arb.attestation, parseAttestation],
  ['EvalRequest', arb.evalRequest, parseEvalRequest],
  ['EvalResult', arb.evalResult, parseEvalResult],
  ['SegError', arb.segErrorShape, (v) => SegError.fromJSON(v).toJSON()],
];

describe('round trip', () => {
  it.each(cases)('parse%s(JSON of x) equals x', (_name, arbitrary, parse) => {
    fc.assert(
      fc.property(arbitrary, (value) => {
        expect(parse(JSON.parse(JSON.stringify(value)))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 150 },
    );
  });
});
