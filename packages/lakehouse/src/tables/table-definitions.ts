// The seven canonical tables (spec §5.3, DESIGN.md §7). Columns are derived from the contracts; field
// ids are pinned here so they never change when a contract grows: a new contract field needs the next
// unused id (the table test fails until it has one), and an id is never reused. Ids are contiguous in
// column order (1..n), so a REST catalog that assigns fresh ids on create (as Java's does) arrives at
// exactly the same ids.
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
    fieldIds: { ...common, ref_urn: 4, kind: 5, provider: 6, name: 7, properties: 8, discovered_at: 9 },
    dayColumn: 'discovered_at',
    key: ['run_id', 'ref_urn'],
  },
  controls: {
    name: 'controls',
    contract: 'control-spec',
    fieldIds: {
      ...common,
      id: 4,
      version: 5,
      title: 6,
      benchmark: 7,
      description: 8,
      inputs: 9,
      target_kinds: 10,
      policy_bundle: 11,
      severity: 12,
      rationale: 13,
      remediation_guidance: 14,
    },
    key: ['run_id', 'id', 'version'],
  },
  findings: {
    name: 'findings',
    contract: 'finding',
    fieldIds: {
      ...common,
      id: 4,
      control_id: 5,
      control_version: 6,
      asset_urn: 7,
      result: 8,
      severity: 9,
      message: 10,
      evidence: 11,
      created_at: 12,
      updated_at: 13,
      fingerprint: 14,
    },
    dayColumn: 'created_at',
    key: ['id'],
  },
  plans: {
    name: 'plans',
    contract: 'remediation-plan',
    fieldIds: {
      ...common,
      id: 4,
      finding_id: 5,
      mode: 6,
      steps: 7,
      estimated_risk: 8,
      change_window: 9,
      approvals_required: 10,
      created_at: 11,
    },
    dayColumn: 'created_at',
    key: ['id'],
  },
  evidence: {
    name: 'evidence',
    contract: 'evidence-obj',
    fieldIds: {
      ...common,
      hash: 4,
      uri: 5,
      media_type: 6,
      size_bytes: 7,
      finding_ids: 8,
      captured_at: 9,
    },
    dayColumn: 'committed_at',
    key: ['run_id', 'hash'],
  },
  attestations: {
    name: 'attestations',
    contract: 'attestation',
    fieldIds: {
      ...common,
      id: 4,
      statement_type: 5,
      payload_hash: 6,
      signer: 7,
      signature: 8,
      created_at: 9,
      transparency_uri: 10,
    },
    dayColumn: 'created_at',
    key: ['id'],
  },
  runs: {
    name: 'runs',
    contract: 'run-summary',
    fieldIds: {
      ...common,
      scope_org_id: 4,
      scope_project: 5,
      scope_region: 6,
      scope_tags: 7,
      started_at: 8,
      ended_at: 9,
      controls: 10,
      counts: 11,
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
  const columns = all
    .map((c) => {
      const id = definition.fieldIds[c.name];
      if (id === undefined) throw new Error(`table ${name}: column ${c.name} has no pinned field id`);
      // run_id is required wherever the contract or the table needs it for idempotency.
      return { ...c, id, required: c.required || (c.name === 'run_id' && definition.key.includes('run_id')) };
    })
    .sort((a, b) => a.id - b.id);
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
