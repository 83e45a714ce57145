import type { AppendResult } from '@neurocipher/seg-contracts';
import type { TableCommitInput } from '@neurocipher/seg-attest';
import type { Clock, EventBus, KeyProvider } from '@neurocipher/seg-ports';
import type { Catalog } from '../catalog/catalog.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { IcebergFindingStore } from '../ingest/iceberg-finding-store.ts';
import { committedFiles } from '../ingest/committed-files.ts';
import type { FileIO } from '../io/file-io.ts';
import { LakehouseTables } from '../tables/lakehouse-tables.ts';

/** The parts a lakehouse is made of, whatever they are (SQLite or PostgreSQL or REST, a folder or S3). */
export interface LakehouseParts {
  /** The Iceberg catalog; closed by {@link OpenedLakehouse.close}. */
  catalog: Catalog;
  /** Reads and writes the warehouse files the catalog's tables point at. */
  io: FileIO;
  /** The evidence store every commit checks its pointers against (the one evidence is put through). */
  evidence: EvidenceStore;
  /** Seals evidence URIs (a local master key file, or KMS). */
  keys: KeyProvider;
  clock?: Clock | undefined;
  events?: EventBus | undefined;
}

/** A lakehouse over its parts: the tables, the finding store and the evidence store its commits check. */
export interface OpenedLakehouse {
  catalog: Catalog;
  io: FileIO;
  tables: LakehouseTables;
  evidence: EvidenceStore;
  store: IcebergFindingStore;
  /** The files each table commit of `result` produced (what an attestation pins). */
  committedFiles(result: AppendResult): Promise<TableCommitInput[]>;
  /** Closes the catalog. */
  close(): Promise<void>;
}

/** Assembles the lakehouse from its parts: the one place that wires the tables and the finding store. */
export function openLakehouse(parts: LakehouseParts): OpenedLakehouse {
  const { catalog, io, clock } = parts;
  const tables = new LakehouseTables({ catalog, io, ...(clock ? { now: () => clock.now().getTime() } : {}) });
  const { evidence } = parts;
  const store = new IcebergFindingStore({
    tables,
    keys: parts.keys,
    evidence,
    ...(clock ? { clock } : {}),
    ...(parts.events ? { events: parts.events } : {}),
  });
  return {
    catalog,
    io,
    tables,
    evidence,
    store,
    committedFiles: (result) => committedFiles(tables, io, result),
    close: () => catalog.close(),
  };
}
