import { randomUUID } from 'node:crypto';
import type { Finding } from '@neurocipher/seg-contracts';
import { sha256Hex } from '@neurocipher/seg-ports';

/** A failing finding of `control_id` on `urn`, as the engine would emit it (for remediation tests). */
export function failingFinding(control_id: string, urn: string, now = new Date()): Finding {
  return {
    id: randomUUID(),
    control_id,
    control_version: '1.0.0',
    asset: { urn },
    result: 'fail',
    severity: 'high',
    message: `${control_id} fails on ${urn}`,
    evidence: [],
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    fingerprint: sha256Hex(`test|${control_id}|${urn}`),
  };
}
