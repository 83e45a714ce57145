// The attestations of one run, or one by id, read back from the `attestations` table.
import type { Attestation } from '@neurocipher/seg-contracts';
import { SegError, parseAttestation } from '@neurocipher/seg-contracts';
import type { LakehouseTables } from '../tables/lakehouse-tables.ts';
import { fromRow } from '../tables/row-codec.ts';

/**
 * Every attestation recorded for `run_id` in the `attestations` table (the DSSE envelope is in
 * `signature`), newest `created_at` first; with `org_id`, only that tenant's rows are read (partition
 * pruned). Empty when the run has none. Rows that do not parse as an `Attestation` are
 * `SEG_SCHEMA_VIOLATION`.
 */
export async function runAttestations(
  tables: LakehouseTables,
  run_id: string,
  org_id?: string,
): Promise<Attestation[]> {
  const layout = tables.layout('attestations');
  const rows = await tables.table('attestations').scan({
    ...(org_id === undefined ? {} : { partition: (p) => p.org_id === org_id }),
    filter: (r) => r.run_id === run_id && (org_id === undefined || r.org_id === org_id),
  });
  return rows
    .map((row) => parseAttestation({ transparency_uri: null, ...fromRow<Attestation>(layout, row).value }))
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/**
 * The attestation `id` of tenant `org_id` (only that tenant's rows are read); `SEG_NOT_FOUND` when the
 * tenant has none with that id, whoever else may.
 */
export async function attestationById(
  tables: LakehouseTables,
  id: string,
  org_id: string,
): Promise<Attestation> {
  const layout = tables.layout('attestations');
  const rows = await tables.table('attestations').scan({
    partition: (p) => p.org_id === org_id,
    filter: (r) => r.id === id && r.org_id === org_id,
  });
  const row = rows[0];
  if (row === undefined)
    throw new SegError({
      error_code: 'SEG_NOT_FOUND',
      message: `no attestation ${id}`,
      details: { attestation_id: id },
      retryable: false,
    });
  return parseAttestation({ transparency_uri: null, ...fromRow<Attestation>(layout, row).value });
}
