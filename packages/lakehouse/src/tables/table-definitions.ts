// The seven canonical tables (spec §5.3, DESIGN.md §7). Columns are derived from the contracts; field
// ids are pinned here so they never change when a contract grows: a new contract field needs a new,
// never-used id in FIELD_IDS (the table test fails until it has one), and an id is never reused.
import { contractSchemas, registryJsonSchema } from '@neurocipher/seg-contracts';
import type { IcebergField, IcebergSchema, PartitionSpec } from '../iceberg/schema.ts';
import type { ContractColumn } from './columns-from-contract.ts';
import { columnsFromContract } from './columns-from-contract.ts';

/** Names of the canonical tables. */
export const TABLE_NAMES = [
  'assets',
  'controls',
  'findings',
  'plans',
  'evidence',
  'attestations',
  'runs',
] as const;
/** One canonical table name. */
export type TableName = (typeof TABLE_NAMES)[number];

/** Columns SEG adds to every table: the tenant, the run, and when the row was committed. */
const SEG_COLUMNS: ContractColumn[] = [
  { name: 'org_id', path: [], type: 'string', required: true, json: false, doc: 'Tenant (scope.org_id)' },
  {
    name: 'run_id',
    path: [],
    type: 'string',
    required: false,
    json: false,
    doc: 'Run that committed the row',
  },
  { name: 'committed_at', path: [], type: 'timestamptz', required: true, json: false, doc: 'Commit time' },
];

/** How a table is built: the contract it stores, its pinned field ids and its partitioning. */
export interface TableDefinition {
  name: TableName;
  /** Registry name of the contract (`finding`). */
  contract: string;
  /** Pinned field id per column name. */
  fieldIds: Readonly<Record<string, number>>;
  /** Partition by identity(org_id), then by day of this timestamp column when set. */
  dayColumn?: string;
  /** Columns identifying one row, for idempotent re-commits. */
  key: readonly string[];
}

const common = { org_id: 1, run_id: 2, committed_at: 3 } as const;

/** The pinned definitions of the seven tables. */
export const TABLE_DEFINITIONS: Readonly<Record<TableName, TableDefinition>> = {
  assets: {
    name: 'assets',
    contract: 'asset',
    fieldIds: { ...common, ref_urn: 10, kind: 11, provider: 12, name: 13, properties: 14, discovered_at: 15 },
    dayColumn: 'discovered_at',
    key: ['run_id', 'ref_urn'],
  },
  controls: {
    name: 'controls',
    contract: 'control-spec',
    fieldIds: {
      ...common,
      id: 10,
      version: 11,
      title: 12,
      benchmark: 13,
      description: 14,
      inputs: 15,
      target_kinds: 16,
      policy_bundle: 17,
      severity: 18,
      rationale: 19,
      remediation_guidance: 20,
    },
    key: ['run_id', 'id', 'version'],
  },
  findings: {
    name: 'findings',
    contract: 'finding',
    fieldIds: {
      ...common,
      id: 10,
      control_id: 11,
      control_version: 12,
      asset_urn: 13,
      result: 14,
      severity: 15,
      message: 16,
      evidence: 17,
      created_at: 18,
      updated_at: 19,
      fingerprint: 20,
    },
    dayColumn: 'created_at',
    key: ['id'],
  },
  plans: {
    name: 'plans',
    contract: 'remediation-plan',
    fieldIds: {
      ...common,
      id: 10,
      finding_id: 11,
      mode: 12,
      steps: 13,
      estimated_risk: 14,
      change_window: 15,
      approvals_required: 16,
      created_at: 17,
    },
    dayColumn: 'created_at',
    key: ['id'],
  },
  evidence: {
    name: 'evidence',
    contract: 'evidence-obj',
    fieldIds: {
      ...common,
      hash: 10,
      uri: 11,
      media_type: 12,
      size_bytes: 13,
      finding_ids: 14,
      captured_at: 15,
    },
    dayColumn: 'committed_at',
    key: ['run_id', 'hash'],
  },
  attestations: {
    name: 'attestations',
    contract: 'attestation',
    fieldIds: {
      ...common,
      id: 10,
      statement_type: 11,
      payload_hash: 12,
      signer: 13,
      signature: 14,
      created_at: 15,
      transparency_uri: 16,
    },
    dayColumn: 'created_at',
    key: ['id'],
  },
  runs: {
    name: 'runs',
    contract: 'run-summary',
    fieldIds: {
      ...common,
      scope_org_id: 10,
      scope_project: 11,
      scope_region: 12,
      scope_tags: 13,
      started_at: 14,
      ended_at: 15,
      controls: 16,
      counts: 17,
    },
    dayColumn: 'started_at',
    key: ['run_id'],
  },
};

/** A table's columns (SEG columns first, then the contract's) with their Iceberg schema and partition spec. */
export interface TableLayout {
  definition: TableDefinition;
  columns: (ContractColumn & { id: number })[];
  schema: IcebergSchema;
  spec: PartitionSpec;
}

/** Builds a table's layout from its contract; throws if a column has no pinned field id. */
export function tableLayout(name: TableName): TableLayout {
  const definition = TABLE_DEFINITIONS[name];
  const entry = contractSchemas.find((e) => e.name === definition.contract);
  if (!entry) throw new Error(`contract ${definition.contract} is not in the registry`);
  const fromContract = columnsFromContract(registryJsonSchema(entry));
  const names = new Set(fromContract.map((c) => c.name));
  const all = [...SEG_COLUMNS.filter((c) => !names.has(c.name)), ...fromContract];
  const columns = all.map((c) => {
    const id = definition.fieldIds[c.name];
    if (id === undefined) throw new Error(`table ${name}: column ${c.name} has no pinned field id`);
    // run_id is required wherever the contract or the table needs it for idempotency.
    return { ...c, id, required: c.required || (c.name === 'run_id' && definition.key.includes('run_id')) };
  });
  const fields: IcebergField[] = columns.map((c) => ({
    id: c.id,
    name: c.name,
    required: c.required,
    type: c.type,
    ...(c.doc !== undefined ? { doc: c.doc } : {}),
  }));
  const byName = new Map(columns.map((c) => [c.name, c.id]));
  const spec: PartitionSpec = {
    'spec-id': 0,
    fields: [
      {
        'source-id': byName.get('org_id') as number,
        'field-id': 1000,
        name: 'org_id',
        transform: 'identity',
      },
      ...(definition.dayColumn
        ? [
            {
              'source-id': byName.get(definition.dayColumn) as number,
              'field-id': 1001,
              name: `${definition.dayColumn}_day`,
              transform: 'day' as const,
            },
          ]
        : []),
    ],
  };
  return { definition, columns, schema: { type: 'struct', 'schema-id': 0, fields }, spec };
}
