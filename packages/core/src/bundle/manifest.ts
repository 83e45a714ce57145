import { Ajv, type ValidateFunction } from 'ajv';
import { SegError, type Severity } from '@neurocipher/seg-contracts';
import { controlEntrypoint, GATES_ENTRYPOINT } from './bundle-layout.ts';

/** One control as the bundle manifest declares it. */
export interface ManifestControl {
  id: string;
  version: string;
  title: string;
  description?: string;
  benchmark: string;
  /** Framework mappings, e.g. `{"cis_aws_v3": "1.8", "aws_fsbp": "IAM.15"}`. */
  frameworks?: Record<string, unknown>;
  severity: Severity;
  target_kinds: string[];
  /** JSON Schema of the control's `params`. */
  inputs?: Record<string, unknown>;
  /** Params used when the tenant sets none; when absent, the schema's property `default`s. */
  default_inputs?: Record<string, unknown>;
  rationale?: string;
  remediation_guidance?: string;
  /** Must be `seg/controls/<snake_id>/result`. */
  entrypoint: string;
}

/**
 * What a bundle holds: `controls` (the default when a manifest names no kind) is a bundle of controls
 * evaluated over assets; `gates` is one approval policy for remediation actions (entrypoint
 * {@link GATES_ENTRYPOINT}, no controls).
 */
export type BundleKind = 'controls' | 'gates';

/** The bundle manifest (`manifest.json`). */
export interface BundleManifest {
  id: string;
  version: string;
  title?: string;
  description?: string;
  rego_version?: number;
  /** Absent means `controls`; read it with {@link bundleKind}. */
  kind?: BundleKind;
  /** A gates bundle's one entrypoint, {@link GATES_ENTRYPOINT}; absent in a control bundle. */
  entrypoint?: string;
  /** A control bundle's controls (at least one); always empty in a gates bundle. */
  controls: ManifestControl[];
}

/** The kind of a bundle: its manifest's `kind`, `controls` when it names none. */
export function bundleKind(manifest: Pick<BundleManifest, 'kind'>): BundleKind {
  return manifest.kind ?? 'controls';
}

const manifestSchema = {
  type: 'object',
  required: ['id', 'version'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
    version: { type: 'string', minLength: 1 },
    title: { type: 'string' },
    description: { type: 'string' },
    rego_version: { const: 1 },
    kind: { enum: ['controls', 'gates'] },
    entrypoint: { type: 'string' },
    controls: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'version', 'title', 'benchmark', 'severity', 'target_kinds', 'entrypoint'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
          version: { type: 'string', minLength: 1 },
          title: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          benchmark: { type: 'string', minLength: 1 },
          frameworks: { type: ['object', 'array'] },
          severity: { enum: ['critical', 'high', 'medium', 'low', 'info'] },
          target_kinds: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          inputs: { type: 'object' },
          default_inputs: { type: 'object' },
          rationale: { type: 'string' },
          remediation_guidance: { type: 'string' },
          entrypoint: { type: 'string' },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateManifestShape = ajv.compile(manifestSchema);

/**
 * Parses and validates manifest.json: its shape, unique control ids, each entrypoint being
 * `seg/controls/<snake_id>/result`, and each `inputs` being a compilable JSON Schema that accepts the
 * control's default inputs. A gates manifest (`"kind": "gates"`) instead names the entrypoint
 * {@link GATES_ENTRYPOINT} and no controls; it is returned with `controls: []`. Throws
 * `SEG_POLICY_LOAD_FAILED`.
 */
export function parseManifest(bytes: Uint8Array): BundleManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: 'manifest.json is not valid JSON',
      cause,
    });
  }
  if (!validateManifestShape(doc)) {
    throw new SegError({
      error_code: 'SEG_POLICY_LOAD_FAILED',
      message: `manifest.json is invalid: ${ajv.errorsText(validateManifestShape.errors)}`,
    });
  }
  const manifest = doc as unknown as BundleManifest;
  const kind = bundleKind(manifest);
  switch (kind) {
    case 'gates':
      return gatesManifest(manifest);
    case 'controls':
      return controlsManifest(manifest);
  }
}

function invalidManifest(message: string): SegError {
  return new SegError({
    error_code: 'SEG_POLICY_LOAD_FAILED',
    message: `manifest.json is invalid: ${message}`,
  });
}

function gatesManifest(manifest: BundleManifest): BundleManifest {
  if (Object.hasOwn(manifest, 'controls'))
    throw invalidManifest('a gates bundle ("kind": "gates") declares no controls');
  if (manifest.entrypoint !== GATES_ENTRYPOINT)
    throw invalidManifest(`a gates bundle's entrypoint must be ${GATES_ENTRYPOINT}`);
  return { ...manifest, controls: [] };
}

function controlsManifest(manifest: BundleManifest): BundleManifest {
  if (manifest.entrypoint !== undefined)
    throw invalidManifest('a control bundle names no bundle entrypoint (each control names its own)');
  if (!Array.isArray(manifest.controls)) throw invalidManifest("data must have required property 'controls'");
  const seen = new Set<string>();
  for (const control of manifest.controls) {
    if (seen.has(control.id)) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: `manifest.json lists control ${control.id} twice`,
      });
    }
    seen.add(control.id);
    if (control.entrypoint !== controlEntrypoint(control.id)) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: `control ${control.id} entrypoint must be ${controlEntrypoint(control.id)}`,
        details: { control_id: control.id, entrypoint: control.entrypoint },
      });
    }
    const errors = inputErrors(control, defaultInputs(control));
    if (errors !== null) {
      throw new SegError({
        error_code: 'SEG_POLICY_LOAD_FAILED',
        message: `control ${control.id} default inputs do not match its inputs schema: ${errors}`,
        details: { control_id: control.id },
      });
    }
  }
  return manifest;
}

/** The control's default params: `default_inputs`, else each top-level schema property's `default`. */
export function defaultInputs(control: ManifestControl): Record<string, unknown> {
  if (control.default_inputs) return control.default_inputs;
  const out: Record<string, unknown> = {};
  const props = (control.inputs?.properties ?? {}) as Record<string, { default?: unknown }>;
  for (const [name, prop] of Object.entries(props)) {
    if (prop && typeof prop === 'object' && 'default' in prop) out[name] = prop.default;
  }
  return out;
}

const inputValidators = new WeakMap<ManifestControl, ValidateFunction>();

/**
 * Validates params against the control's inputs JSON Schema (ajv). Returns null when valid, else a
 * readable list of the errors. A schema that does not compile is reported as an error too.
 */
export function inputErrors(control: ManifestControl, params: unknown): string | null {
  let validate = inputValidators.get(control);
  if (!validate) {
    try {
      validate = ajv.compile(control.inputs ?? {});
    } catch (error) {
      return `inputs schema does not compile: ${(error as Error).message}`;
    }
    inputValidators.set(control, validate);
  }
  return validate(params) ? null : ajv.errorsText(validate.errors, { dataVar: 'params' });
}
