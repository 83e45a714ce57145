import { SegError } from '@neurocipher/seg-contracts';
import type { AppendResult, RunSummary, Scope } from '@neurocipher/seg-contracts';
import type { PolicyBundleDigest } from './run-controls.ts';

/** A file one table commit produced, pinned by sha256; `path` is relative to the table's location. */
export interface CommittedFile {
  path: string;
  sha256: string;
  record_count?: number;
}

/** What one table commit of a run produced: its snapshot and the files that make it up. */
export interface CommittedTable {
  table: string;
  /** Iceberg snapshot id, decimal. */
  snapshot_id: string;
  /** The files the commit wrote, by sha256 (`data_files` in the evaluation-run predicate). */
  data_files: CommittedFile[];
}

/**
 * Tells which files a commit produced, so the attestation can pin them. Implemented over the lakehouse
 * the commit went to. Errors: `SEG_NOT_FOUND` when a snapshot of `result` is not in its table.
 */
export interface CommittedFilesSource {
  committedFiles(result: AppendResult): Promise<CommittedTable[]>;
}

/**
 * What a run committed besides its summary, as its attestation pins it: the `RunMaterial` of
 * `@neurocipher/seg-attest` (policy bundles, table commits with file digests, evidence blobs).
 */
export interface RunMaterial {
  policy_bundles: PolicyBundleDigest[];
  tables: CommittedTable[];
  /** For a committed run: its evidence index blob (which lists every evidence hash); empty otherwise. */
  evidence: Array<{ sha256: string; media_type: string }>;
}

/**
 * Holds each run's material until its attestation is signed: the `material` option (a
 * `RunMaterialSource`) of `AttestationService` in `@neurocipher/seg-attest`, filled by the run service.
 */
export class RunMaterialRegistry {
  readonly #byRun = new Map<string, RunMaterial>();

  /** Records what `run_id` committed (replacing any earlier record). */
  set(run_id: string, material: RunMaterial): void {
    this.#byRun.set(run_id, material);
  }

  /** Forgets a run's material once it is attested. */
  delete(run_id: string): void {
    this.#byRun.delete(run_id);
  }

  /** The evaluation material of `run`; `SEG_NOT_FOUND` when no material was recorded for it. */
  async material(run: RunSummary, _scope: Scope): Promise<{ statement_type: 'evaluation' } & RunMaterial> {
    const material = this.#byRun.get(run.run_id);
    if (material === undefined) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `no committed material recorded for run ${run.run_id}`,
        details: { run_id: run.run_id },
      });
    }
    return { statement_type: 'evaluation', ...material };
  }
}
