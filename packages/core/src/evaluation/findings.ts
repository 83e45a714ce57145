import type { AssetRef, Finding, Result, Severity } from '@neurocipher/seg-contracts';
import { canonicalJson } from '@neurocipher/seg-attest';
import { sha256Hex, uuidV5 } from '@neurocipher/seg-ports';

/** The result values a control may return. */
export const RESULTS: readonly Result[] = ['pass', 'warn', 'fail', 'error', 'not_applicable'];

/** A control's raw result as the policy returns it (the policy/engine contract). */
export interface ControlResult {
  result: Result;
  message: string;
  evidence: Array<{ path: string; media_type: string }>;
}

/**
 * The stable fingerprint of a finding: sha256 hex of the canonical JSON array
 * `[tenant, control id, asset URN]`. The same triple always gives the same fingerprint, across runs.
 */
export function fingerprintOf(tenant: string, controlId: string, assetUrn: string): string {
  // For an array of strings, RFC 8785 output is exactly JSON.stringify's (same escaping, no spaces).
  return sha256Hex(JSON.stringify([tenant, controlId, assetUrn]));
}

/** Namespace of run ids derived from a request (UUIDv5 of the DNS namespace and `seg.neurocipher.run`). */
export const RUN_ID_NAMESPACE = uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'seg.neurocipher.run');

/** True when `value` has the shape of a control result. */
export function isControlResult(value: unknown): value is ControlResult {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.result === 'string' &&
    (RESULTS as readonly string[]).includes(v.result) &&
    typeof v.message === 'string' &&
    Array.isArray(v.evidence) &&
    v.evidence.every(
      (e) =>
        e !== null &&
        typeof e === 'object' &&
        typeof (e as Record<string, unknown>).path === 'string' &&
        typeof (e as Record<string, unknown>).media_type === 'string',
    )
  );
}

/** The value at an RFC 6901 JSON pointer, or undefined when absent. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key))
      return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * One evidence body a finding cites, before it is stored: what the control saw, not yet redacted or
 * hashed. An `EvidenceSink` redacts, hashes and stores it; the finding's pointer is what the sink returns.
 */
export interface EvidenceDraft {
  /** Canonical JSON `{"asset": urn, "path": pointer, "value": value-or-null}`. */
  body: string;
  media_type: string;
}

/**
 * A finding as evaluation builds it: every field of a {@link Finding} but its evidence pointers, and the
 * evidence bodies it cites instead (each once). Findings of one asset citing the same path share one
 * draft object. `sealFindings` turns drafts into findings.
 */
export interface DraftFinding extends Omit<Finding, 'evidence'> {
  evidence: EvidenceDraft[];
}

/**
 * Turns a policy's evidence stub (a JSON pointer into the asset's config) into the canonical JSON
 * document naming the asset, the path and the value found there (null when absent).
 */
export function evidenceDraft(
  asset: AssetRef,
  config: unknown,
  stub: { path: string; media_type: string },
): EvidenceDraft {
  const value = resolvePointer(config, stub.path);
  // Keys already in RFC 8785 order (asset < path < value); strings serialise as JSON.stringify does.
  const canonicalValue =
    value === undefined ? 'null' : typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
  return {
    body: `{"asset":${JSON.stringify(asset.urn)},"path":${JSON.stringify(stub.path)},"value":${canonicalValue}}`,
    media_type: stub.media_type,
  };
}

/** Everything needed to turn one control result on one asset into a {@link DraftFinding}. */
export interface FindingInput {
  runId: string;
  tenant: string;
  controlId: string;
  controlVersion: string;
  severity: Severity;
  asset: AssetRef;
  now: string;
  result: Result;
  message: string;
  evidence: EvidenceDraft[];
}

/** Builds a finding: id = UUIDv5(run id, fingerprint), timestamps = the run's `now`. */
export function makeFinding(input: FindingInput): DraftFinding {
  const fingerprint = fingerprintOf(input.tenant, input.controlId, input.asset.urn);
  return {
    id: uuidV5(input.runId, fingerprint),
    control_id: input.controlId,
    control_version: input.controlVersion,
    asset: { urn: input.asset.urn },
    result: input.result,
    severity: input.severity,
    message: input.message,
    evidence: input.evidence,
    created_at: input.now,
    updated_at: input.now,
    fingerprint,
  };
}

/** What turns control results into findings for one run: the run, tenant, instant and each control's metadata. */
export interface FindingContext {
  runId: string;
  tenant: string;
  now: string;
  controls: Readonly<Record<string, { version: string; severity: Severity }>>;
}

/** A value returned for a control, checked: a well-formed result as is, anything else an `error` result. */
export function checkedResult(value: unknown): ControlResult {
  if (isControlResult(value))
    return { result: value.result, message: value.message, evidence: value.evidence };
  return {
    result: 'error',
    message: value === undefined ? 'control produced no result' : 'control returned a malformed result',
    evidence: [],
  };
}

/**
 * The findings of one asset: one per (control id, result), each citing the evidence bodies its result
 * names (one draft per path and media type of the asset, shared by the findings that cite it). The one
 * place findings are built, on the main thread or in a worker.
 */
export function buildFindings(
  ctx: FindingContext,
  asset: AssetRef,
  config: unknown,
  pairs: ReadonlyArray<{ controlId: string; result: ControlResult }>,
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const drafts = new Map<string, EvidenceDraft>();
  for (const pair of pairs) {
    const control = ctx.controls[pair.controlId]!;
    const evidence: EvidenceDraft[] = [];
    for (const stub of pair.result.evidence) {
      const key = `${stub.media_type}\n${stub.path}`;
      let draft = drafts.get(key);
      if (draft === undefined) {
        draft = evidenceDraft(asset, config, stub);
        drafts.set(key, draft);
      }
      if (!evidence.includes(draft)) evidence.push(draft);
    }
    findings.push(
      makeFinding({
        runId: ctx.runId,
        tenant: ctx.tenant,
        controlId: pair.controlId,
        controlVersion: control.version,
        severity: control.severity,
        asset,
        now: ctx.now,
        result: pair.result.result,
        message: pair.result.message,
        evidence,
      }),
    );
  }
  return findings;
}

/** A batch whose findings a worker already built: per item, its findings. */
export interface PreparedBatch {
  prepared: DraftFinding[][];
}

/** True when an engine returned a {@link PreparedBatch}. */
export function isPreparedBatch(value: unknown): value is PreparedBatch {
  return value !== null && typeof value === 'object' && Array.isArray((value as PreparedBatch).prepared);
}

/**
 * Builds a batch's findings from the aggregator's rows and the batch input (the worker side of
 * {@link buildFindings}). Returns undefined when the rows are malformed, so the caller's fault path runs.
 */
export function prepareBatch(
  ctx: FindingContext,
  inputJson: string,
  rows: unknown,
): PreparedBatch | undefined {
  const input = JSON.parse(inputJson) as {
    items: Array<{ asset: { ref: AssetRef }; config: unknown; controls: string[] }>;
  };
  if (!Array.isArray(rows) || rows.length !== input.items.length) return undefined;
  return {
    prepared: input.items.map((item, i) => {
      const row = rows[i] !== null && typeof rows[i] === 'object' ? (rows[i] as Record<string, unknown>) : {};
      const pairs = item.controls.map((controlId) => ({ controlId, result: checkedResult(row[controlId]) }));
      return buildFindings(ctx, { urn: item.asset.ref.urn }, item.config, pairs);
    }),
  };
}
