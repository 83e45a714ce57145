// attest's SubjectResolver over the lakehouse: what a statement subject names, fetched from where the
// lakehouse keeps it, so a verifier can re-hash it.
import { isSegError } from '@neurocipher/seg-contracts';
import { parseSubjectName, verifyFailed } from '@neurocipher/seg-attest';
import type { StatementSubject, SubjectResolver } from '@neurocipher/seg-attest';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { tableFileUri } from '../ingest/committed-files.ts';
import type { FileIO } from '../io/file-io.ts';
import type { LakehouseTables } from '../tables/lakehouse-tables.ts';
import type { TableName } from '../tables/table-definitions.ts';
import { TABLE_NAMES } from '../tables/table-definitions.ts';

/** Options of {@link lakehouseSubjectResolver}. */
export interface LakehouseSubjectResolverOptions {
  /** The canonical tables whose files `seg/tables/<table>/snapshots/<id>/<path>` subjects name. */
  tables: LakehouseTables;
  /** Reads warehouse files: the FileIO the tables were written through. */
  io: FileIO;
  /** The verifying evidence store: `get(hash)` returns a blob's bytes only when they hash to it. */
  evidence: Pick<EvidenceStore, 'get'>;
  /**
   * Canonical run-summary bytes (`runSummaryBytes(run)` of attest) by run id: the summary a statement
   * pins is the one its signer or verifier holds. A run id absent from it is `subject_missing`.
   */
  summaries: ReadonlyMap<string, Uint8Array>;
}

/**
 * A `SubjectResolver` over the lakehouse: a run summary from `summaries`, a table file (manifest list,
 * manifest, data file or metadata file, its path relative to the table location) read from the
 * warehouse, an evidence blob through the verifying evidence store. What is missing (an unknown table,
 * file or blob, a plan or unknown subject) is `undefined`, which verification reports as
 * `subject_missing`; a blob the store refuses as corrupt is `SEG_ATTEST_VERIFY_FAILED`
 * (`subject_digest_mismatch`) naming the subject. Any other failure (the catalog or store cannot be
 * reached) is passed on as it is.
 */
export function lakehouseSubjectResolver(options: LakehouseSubjectResolverOptions): SubjectResolver {
  const { tables, io, evidence, summaries } = options;
  return {
    resolve: async (subject: StatementSubject): Promise<Uint8Array | undefined> => {
      const ref = parseSubjectName(subject.name);
      try {
        switch (ref.kind) {
          case 'run_summary':
            return summaries.get(ref.run_id);
          case 'data_file': {
            if (!(TABLE_NAMES as readonly string[]).includes(ref.table)) return undefined;
            const { metadata } = await tables.table(ref.table as TableName).load();
            return await io.read(tableFileUri(metadata.location, ref.path));
          }
          case 'evidence':
            return await evidence.get(ref.sha256);
          case 'plan':
          case 'unknown':
            return undefined;
        }
      } catch (error) {
        // A missing artifact is a verdict (`subject_missing`), and so is a blob whose bytes do not verify.
        if (isSegError(error) && error.details.integrity === true)
          throw verifyFailed('subject_digest_mismatch', error.message, { name: subject.name });
        const missing =
          (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') ||
          (error as NodeJS.ErrnoException).code === 'ENOENT';
        if (!missing) throw error;
        return undefined;
      }
    },
  };
}
