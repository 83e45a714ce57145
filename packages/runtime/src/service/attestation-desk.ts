// Attest a committed run after the fact (a producer's findings committed through the API carry no
// attestation), and read one attestation back: what POST /attestations and GET /attestations/{id} do.
import type { Attestation, PublishReport, VerifyReport } from '@neurocipher/seg-contracts';
import { attestationById, runAttestations } from '@neurocipher/seg-lakehouse';
import type { Attester } from '../modules/attestation.module.ts';
import type { Lakehouse } from '../modules/lakehouse.module.ts';

/** An attestation of a run: made now (`created`, with how it was published and verified), or the one it had. */
export type RunAttestation =
  | { created: true; attestation: Attestation; publish: PublishReport; verify: VerifyReport }
  | { created: false; attestation: Attestation };

/** The attestation use cases of one tenant. */
export class AttestationDesk {
  readonly #tenant: string;
  readonly #lake: Pick<Lakehouse, 'store' | 'tables' | 'committedFiles'>;
  readonly #attester: () => Promise<Pick<Attester, 'step'>>;

  constructor(
    tenant: string,
    lake: Pick<Lakehouse, 'store' | 'tables' | 'committedFiles'>,
    attester: () => Promise<Pick<Attester, 'step'>>,
  ) {
    this.#tenant = tenant;
    this.#lake = lake;
    this.#attester = attester;
  }

  /**
   * The attestation of committed run `run_id` of this tenant: its newest one when it has any (nothing is
   * signed twice), else one signed now over the run summary and every file its table commits produced,
   * published to the configured targets, recorded and verified back. It pins no policy bundle: a run
   * committed by an outside producer names none. `SEG_NOT_FOUND` for a run this tenant never committed.
   */
  async attest(run_id: string): Promise<RunAttestation> {
    const run = await this.#lake.store.run(this.#tenant, run_id);
    const [existing] = await runAttestations(this.#lake.tables, run.run_id, this.#tenant);
    if (existing) return { created: false, attestation: existing };
    const commits = await this.#lake.store.runCommits(run.run_id);
    const tables = await this.#lake.committedFiles({
      run_id: run.run_id,
      tables: commits,
      findings_written: 0,
      evidence_written: 0,
      replayed: true,
    });
    const { step } = await this.#attester();
    const attested = await step.attest(run, { policy_bundles: [], tables, evidence: [] });
    return { created: true, ...attested };
  }

  /** Attestation `id` of this tenant; `SEG_NOT_FOUND` when it has none with that id. */
  get(id: string): Promise<Attestation> {
    return attestationById(this.#lake.tables, id, this.#tenant);
  }
}
