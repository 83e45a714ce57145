import { z } from 'zod';
import { SegErrorSchema } from '../errors/seg-error.ts';
import { makeParser } from '../primitives/parse.ts';
import { AwareDatetimeSchema, HttpUrlSchema, Sha256HexSchema, UuidSchema } from '../primitives/primitives.ts';

/** Spec §7 `Attestation`: the record of a signed statement about a run. */
export const AttestationSchema = z
  .object({
    id: UuidSchema,
    run_id: UuidSchema,
    statement_type: z.enum(['evaluation', 'remediation']),
    payload_hash: Sha256HexSchema,
    signer: z.string().min(1),
    signature: z.string().min(1),
    created_at: AwareDatetimeSchema,
    transparency_uri: HttpUrlSchema.nullish(),
  })
  .meta({ id: 'Attestation' });
/** A signed statement about an evaluation or remediation run. */
export type Attestation = z.infer<typeof AttestationSchema>;
/** Validates an {@link Attestation}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseAttestation = makeParser('Attestation', AttestationSchema);

/**
 * Not defined by the spec. Where `AttestationPort.publish` sends an attestation: a filesystem folder,
 * the object store (under a key prefix), or an append-only transparency log.
 */
export const AttestationTargetSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('filesystem'), path: z.string().min(1) }),
    z.object({ kind: z.literal('object_store'), prefix: z.string() }),
    z.object({ kind: z.literal('transparency_log'), log: z.string().min(1) }),
  ])
  .meta({ id: 'AttestationTarget' });
/** A publish target. */
export type AttestationTarget = z.infer<typeof AttestationTargetSchema>;
/** Validates an {@link AttestationTarget}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseAttestationTarget = makeParser('AttestationTarget', AttestationTargetSchema);

/** One check a verification performed, with the reason when it failed. */
export const VerifyCheckSchema = z
  .object({
    name: z.string().min(1),
    ok: z.boolean(),
    reason: z.string().nullish(),
  })
  .meta({ id: 'VerifyCheck' });
/** One verification check. */
export type VerifyCheck = z.infer<typeof VerifyCheckSchema>;

/**
 * Not defined by the spec. Result of `AttestationPort.verify`: every check (signatures under the trusted
 * keys, payload hash, subject digests, statement type); `valid` only when all passed.
 */
export const VerifyReportSchema = z
  .object({
    attestation_id: UuidSchema,
    valid: z.boolean(),
    checks: z.array(VerifyCheckSchema),
    verified_at: AwareDatetimeSchema,
  })
  .meta({ id: 'VerifyReport' });
/** An attestation verification report. */
export type VerifyReport = z.infer<typeof VerifyReportSchema>;
/** Validates a {@link VerifyReport}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseVerifyReport = makeParser('VerifyReport', VerifyReportSchema);

/** The outcome of publishing to one target. */
export const PublishTargetResultSchema = z
  .object({
    target: AttestationTargetSchema,
    status: z.enum(['published', 'failed']),
    uri: z.string().nullish(),
    error: SegErrorSchema.nullish(),
  })
  .meta({ id: 'PublishTargetResult' });
/** One target's publish outcome. */
export type PublishTargetResult = z.infer<typeof PublishTargetResultSchema>;

/**
 * Not defined by the spec. Result of `AttestationPort.publish`: one result per target. A failed target
 * makes the report `partial` (or `failed` when none succeeded); it is a value, never an exception.
 */
export const PublishReportSchema = z
  .object({
    attestation_id: UuidSchema,
    status: z.enum(['success', 'partial', 'failed']),
    results: z.array(PublishTargetResultSchema),
  })
  .meta({ id: 'PublishReport' });
/** A publish report. */
export type PublishReport = z.infer<typeof PublishReportSchema>;
/** Validates a {@link PublishReport}; throws `SEG_SCHEMA_VIOLATION`. */
export const parsePublishReport = makeParser('PublishReport', PublishReportSchema);
