import { z } from 'zod';
import { ControlSpecSchema, RunSummarySchema } from '../evaluation/evaluation.ts';
import { AssetSchema } from '../inventory/inventory.ts';
import { makeParser } from '../primitives/parse.ts';

/**
 * Not defined by the spec. What `FindingIngestPort.commit` needs besides findings and evidence: findings
 * carry no run id, so the run they belong to travels with them, with the assets and controls it saw
 * (DESIGN.md §5: the run, its findings, evidence and assets land in one snapshot per table).
 */
export const IngestContextSchema = z
  .object({
    run: RunSummarySchema,
    assets: z.array(AssetSchema).default(() => []),
    controls: z.array(ControlSpecSchema).default(() => []),
  })
  .meta({ id: 'IngestContext' });
/** The run context of a commit. */
export type IngestContext = z.infer<typeof IngestContextSchema>;
/** Validates an {@link IngestContext}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseIngestContext = makeParser('IngestContext', IngestContextSchema);
