import { SegError } from '@neurocipher/seg-contracts';
import type { AppendResult, RunSummary, Scope } from '@neurocipher/seg-contracts';
import type { RunMaterial, TableCommitInput } from '@neurocipher/seg-attest';

/**
 * Tells which files a commit produced, so the attestation can pin them. Implemented over the lakehouse
 * the commit went to. Errors: `SEG_NOT_FOUND` when a snapshot of `result` is not in its table.
 */
export interface CommittedFilesSource {
  committedFiles(result: AppendResult): Promise<TableCommitInput[]>;
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
