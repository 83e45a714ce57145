import type { StatementSubject } from '../statement/statement.ts';

/**
 * Fetches the stored artifact a statement subject names (run summary from the runs table, data
 * file from the warehouse, evidence blob from the blob store), so `verify` can re-hash it.
 * Returns `undefined` when the artifact does not exist.
 */
export interface SubjectResolver {
  resolve(subject: StatementSubject): Promise<Uint8Array | undefined>;
}
