import { z } from 'zod';
import { AssetRefSchema } from '../inventory/inventory.ts';
import { makeParser } from '../primitives/parse.ts';
import {
  AwareDatetimeSchema,
  HttpUrlSchema,
  ResultSchema,
  SeveritySchema,
  Sha256HexSchema,
  UuidSchema,
} from '../primitives/primitives.ts';

/** Spec §7 `EvidencePointer`: the hash (and optionally where) of one evidence blob. */
export const EvidencePointerSchema = z
  .object({
    hash: Sha256HexSchema.describe('sha256'),
    uri: HttpUrlSchema.nullish(),
    media_type: z.string().min(1),
  })
  .meta({ id: 'EvidencePointer' });
/** A pointer to an evidence blob. */
export type EvidencePointer = z.infer<typeof EvidencePointerSchema>;
/** Validates an {@link EvidencePointer}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseEvidencePointer = makeParser('EvidencePointer', EvidencePointerSchema);

/**
 * Spec §7 `Finding`. `fingerprint` is a producer's stable dedup key, any non-empty string (§7 types it
 * `str`); SEG's own evaluator writes the sha256 hex of tenant, control id and asset URN.
 */
export const FindingSchema = z
  .object({
    id: UuidSchema,
    control_id: z.string().min(1),
    control_version: z.string().min(1),
    asset: AssetRefSchema,
    result: ResultSchema,
    severity: SeveritySchema,
    message: z.string(),
    evidence: z.array(EvidencePointerSchema).default(() => []),
    created_at: AwareDatetimeSchema,
    updated_at: AwareDatetimeSchema,
    fingerprint: z.string().min(1).max(1_024).describe('Stable key for dedup'),
  })
  .meta({ id: 'Finding' });
/** One control result on one asset. */
export type Finding = z.infer<typeof FindingSchema>;
/** Validates a {@link Finding}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseFinding = makeParser('Finding', FindingSchema);

/**
 * Spec §6.4 names `EvidenceObj` without defining it. It is an evidence pointer as committed with a
 * run: the pointer fields, the blob's size, and which findings cite it.
 */
export const EvidenceObjSchema = EvidencePointerSchema.extend({
  size_bytes: z.number().int().min(0).nullish(),
  finding_ids: z.array(UuidSchema).default(() => []),
  captured_at: AwareDatetimeSchema.nullish(),
}).meta({ id: 'EvidenceObj' });
/** Evidence as committed with a run. */
export type EvidenceObj = z.infer<typeof EvidenceObjSchema>;
/** Validates an {@link EvidenceObj}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseEvidenceObj = makeParser('EvidenceObj', EvidenceObjSchema);

/** Not defined by the spec. The snapshot one ingest call produced in one table. */
export const TableCommitSchema = z
  .object({
    table: z.string().min(1),
    /** Iceberg snapshot ids are 64-bit; kept as a decimal string so no digit is lost in JSON. */
    snapshot_id: z.string().regex(/^-?\d+$/, 'must be a decimal 64-bit integer'),
    rows_added: z.number().int().min(0),
  })
  .meta({ id: 'TableCommit' });
/** One table's commit. */
export type TableCommit = z.infer<typeof TableCommitSchema>;

/**
 * Not defined by the spec. Result of `FindingIngestPort.commit`: the run, one snapshot per table written,
 * and whether the call replayed a run already committed (then nothing new was written).
 */
export const AppendResultSchema = z
  .object({
    run_id: UuidSchema,
    tables: z.array(TableCommitSchema),
    findings_written: z.number().int().min(0),
    evidence_written: z.number().int().min(0),
    replayed: z.boolean(),
  })
  .meta({ id: 'AppendResult' });
/** Result of a commit. */
export type AppendResult = z.infer<typeof AppendResultSchema>;
/** Validates an {@link AppendResult}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseAppendResult = makeParser('AppendResult', AppendResultSchema);

/** Not defined by the spec. Result of `FindingIngestPort.ack`: the run is durable and acknowledged. */
export const AckSchema = z
  .object({
    run_id: UuidSchema,
    acknowledged_at: AwareDatetimeSchema,
    durable: z.boolean(),
  })
  .meta({ id: 'Ack' });
/** An acknowledgement of a committed run. */
export type Ack = z.infer<typeof AckSchema>;
/** Validates an {@link Ack}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseAck = makeParser('Ack', AckSchema);
