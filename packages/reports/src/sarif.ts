import type { ControlSpec, Finding, Result, Severity } from '@neurocipher/seg-contracts';
import { PRODUCT_NAME, controlIndex } from './report-context.ts';
import type { ReportInput } from './report-context.ts';

/** The SARIF version written. */
export const SARIF_VERSION = '2.1.0';
/** The `$schema` URI of SARIF 2.1.0 logs (OASIS). */
export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** A SARIF 2.1.0 log as a plain JSON object. */
export type SarifLog = Record<string, unknown>;

/** Options of {@link toSarif}. */
export interface SarifOptions {
  /** Also write passing and not-applicable findings as results (`kind: pass` / `notApplicable`). Default false. */
  include_passing?: boolean;
}

// GitHub code scanning reads `security-severity` (0.0–10.0) to rank security results.
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

function levelOf(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

// SARIF §3.27.9: kind `fail` carries a level; any other kind has level `none`.
function kindAndLevel(result: Result, severity: Severity): { kind: string; level: string } {
  switch (result) {
    case 'fail':
      return { kind: 'fail', level: levelOf(severity) };
    case 'warn':
      return { kind: 'review', level: 'none' };
    case 'error':
      return { kind: 'open', level: 'none' };
    case 'pass':
      return { kind: 'pass', level: 'none' };
    case 'not_applicable':
      return { kind: 'notApplicable', level: 'none' };
  }
}

function rule(control: ControlSpec, input: ReportInput): Record<string, unknown> {
  const frameworks = input.frameworks?.[control.id] ?? {};
  const tags = [
    'security',
    control.benchmark,
    ...Object.entries(frameworks).map(([f, ref]) => `${f}:${ref}`),
  ];
  const help = control.remediation_guidance ?? control.description;
  return {
    id: control.id,
    name: control.title,
    shortDescription: { text: control.title },
    fullDescription: { text: control.description || control.title },
    help: { text: help || control.title },
    defaultConfiguration: { level: levelOf(control.severity) },
    properties: {
      'security-severity': SECURITY_SEVERITY[control.severity],
      precision: 'very-high',
      tags,
      version: control.version,
      target_kinds: [...control.target_kinds],
      policy_bundle: control.policy_bundle,
    },
  };
}

function placeholderControl(finding: Finding): ControlSpec {
  return {
    id: finding.control_id,
    version: finding.control_version,
    title: finding.control_id,
    benchmark: 'custom',
    description: '',
    inputs: {},
    target_kinds: [],
    policy_bundle: 'unknown',
    severity: finding.severity,
  };
}

/**
 * Findings as one SARIF 2.1.0 log with one run: every control becomes a rule (with GitHub's
 * `security-severity`), every failing, warning or errored finding a result located at the asset's URN
 * (a logical location, since cloud assets have no file), with the fingerprint as a partial fingerprint
 * so that code-scanning tools track a finding across runs. Pure; same input, same output.
 */
export function toSarif(input: ReportInput, options: SarifOptions = {}): SarifLog {
  const index = controlIndex(input.controls);
  for (const finding of input.findings) {
    if (!index.has(finding.control_id)) index.set(finding.control_id, placeholderControl(finding));
  }
  const ruleIds = [...index.keys()].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const kept = input.findings.filter(
    (f) => options.include_passing === true || (f.result !== 'pass' && f.result !== 'not_applicable'),
  );
  const results = kept.map((finding) => {
    const { kind, level } = kindAndLevel(finding.result, finding.severity);
    const asset = input.assets?.get(finding.asset.urn);
    return {
      ruleId: finding.control_id,
      ruleIndex: ruleIndex.get(finding.control_id),
      kind,
      level,
      message: { text: finding.message || `${finding.control_id}: ${finding.result}` },
      guid: finding.id,
      locations: [
        {
          logicalLocations: [
            {
              fullyQualifiedName: finding.asset.urn,
              ...(asset?.name ? { name: asset.name } : {}),
              kind: 'resource',
            },
          ],
        },
      ],
      partialFingerprints: { 'segFingerprint/v1': finding.fingerprint },
      properties: {
        severity: finding.severity,
        result: finding.result,
        control_version: finding.control_version,
        evidence: finding.evidence.map((e) => e.hash),
      },
    };
  });
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'seg',
        fullName: PRODUCT_NAME,
        version: input.tool_version,
        semanticVersion: input.tool_version,
        informationUri: 'https://github.com/neurocipher/seg',
        rules: ruleIds.map((id) => rule(index.get(id) as ControlSpec, input)),
      },
    },
    results,
    columnKind: 'unicodeCodePoints',
  };
  if (input.run) {
    run['automationDetails'] = {
      id: `seg/${input.run.scope.org_id}/${input.run.run_id}`,
      guid: input.run.run_id,
    };
    run['invocations'] = [
      {
        executionSuccessful: true,
        startTimeUtc: input.run.started_at,
        endTimeUtc: input.run.ended_at,
      },
    ];
    run['properties'] = { counts: { ...input.run.counts }, controls: [...input.run.controls] };
  }
  return { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs: [run] };
}
