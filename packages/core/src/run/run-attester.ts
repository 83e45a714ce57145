import { randomUUID } from 'node:crypto';
import { SegError, makeEvent } from '@neurocipher/seg-contracts';
import type {
  Attestation,
  AttestationTarget,
  PublishReport,
  RunSummary,
  VerifyReport,
} from '@neurocipher/seg-contracts';
import { systemClock } from '@neurocipher/seg-ports';
import type { AttestationPort, Clock, EventBus } from '@neurocipher/seg-ports';
import type { RunMaterial } from '@neurocipher/seg-attest';
import type { RunMaterialRegistry } from './run-material.ts';

/** The attestation step of a run: signs a statement over the committed run and what it committed. */
export interface RunAttester<A> {
  /** Attests `run` (committed and acknowledged) with its material; throws a `SegError` on failure. */
  attest(run: RunSummary, material: RunMaterial): Promise<A>;
}

/** What {@link PortRunAttester} did: the attestation as recorded, where it went, and its verification. */
export interface AttestedRun {
  /** The attestation, with `transparency_uri` set when a transparency log took it. */
  attestation: Attestation;
  publish: PublishReport;
  verify: VerifyReport;
}

/** Options of {@link PortRunAttester}. */
export interface PortRunAttesterOptions {
  /** Signs, publishes and verifies (`AttestationService` of `@neurocipher/seg-attest`). */
  port: AttestationPort;
  /** The registry the port reads a run's material from (its `material` option). */
  registry: RunMaterialRegistry;
  /** Where every attestation is published; each must take it. */
  targets: readonly AttestationTarget[];
  /** Records the published attestation (say, in the lakehouse `attestations` table). */
  record?: (attestation: Attestation, run: RunSummary) => Promise<void>;
  /**
   * The attestation recorded for a run already, if any (read from where `record` writes). A run attested
   * before (a redelivered run whose first attempt got as far as recording) is not signed again: its
   * recorded attestation is announced again (the same exactly-once key, so a bus delivers it once) and
   * verified, and its publish report lists no target, since nothing was published again.
   */
  recorded?: (run: RunSummary) => Promise<Attestation | null>;
  /** Where `seg.attestation.published` goes once the attestation is published and recorded. */
  events?: EventBus | undefined;
  clock?: Clock | undefined;
}

/**
 * The attestation step over the {@link AttestationPort}: records the run's material for the port, signs,
 * publishes to every target, records the attestation, announces `seg.attestation.published` (key
 * `seg.attestation.published/<attestation id>`) on the event bus when one is given, then verifies it back
 * (signatures and every subject re-hashed from storage). A target that fails is `SEG_EVIDENCE_WRITE_FAILED` (retryable) naming
 * each target's status; a verification that fails is `SEG_ATTEST_VERIFY_FAILED` naming the first failed
 * check.
 */
export class PortRunAttester implements RunAttester<AttestedRun> {
  readonly #options: PortRunAttesterOptions;

  constructor(options: PortRunAttesterOptions) {
    this.#options = options;
  }

  async attest(run: RunSummary, material: RunMaterial): Promise<AttestedRun> {
    const { port, registry, targets } = this.#options;
    registry.set(run.run_id, material);
    try {
      const before = await this.#options.recorded?.(run);
      if (before) {
        const publish: PublishReport = { attestation_id: before.id, status: 'success', results: [] };
        await this.#announce(run, before, publish);
        // Verified as signed (the log's uri is where it went, not part of what was signed).
        return {
          attestation: before,
          publish,
          ...(await this.#verified({ ...before, transparency_uri: null })),
        };
      }
      const signed = await port.sign(run, run.scope);
      const publish = await port.publish(signed, targets);
      if (publish.status !== 'success') {
        throw new SegError({
          error_code: 'SEG_EVIDENCE_WRITE_FAILED',
          message: 'the attestation could not be published to every target',
          retryable: true,
          details: {
            attestation_id: signed.id,
            results: publish.results.map((r) => ({ kind: r.target.kind, status: r.status })),
          },
        });
      }
      const logged = publish.results.find((r) => r.target.kind === 'transparency_log' && r.uri)?.uri;
      const attestation = logged ? { ...signed, transparency_uri: logged } : signed;
      await this.#options.record?.(attestation, run);
      await this.#announce(run, attestation, publish);
      return { attestation, publish, ...(await this.#verified(signed)) };
    } finally {
      registry.delete(run.run_id);
    }
  }

  // Announces `seg.attestation.published` (keyed by the attestation id) when an event bus is given.
  async #announce(run: RunSummary, attestation: Attestation, report: PublishReport): Promise<void> {
    await this.#options.events?.publish(
      makeEvent({
        type: 'seg.attestation.published',
        id: randomUUID(),
        org_id: run.scope.org_id,
        subject: attestation.id,
        occurred_at: (this.#options.clock ?? systemClock).now().toISOString(),
        data: { attestation, report },
      }),
    );
  }

  // Verifies an attestation back; `SEG_ATTEST_VERIFY_FAILED` naming the first failed check.
  async #verified(attestation: Attestation): Promise<{ verify: VerifyReport }> {
    const verify = await this.#options.port.verify(attestation);
    if (!verify.valid) {
      const failed = verify.checks.find((c) => !c.ok);
      throw new SegError({
        error_code: 'SEG_ATTEST_VERIFY_FAILED',
        message: `the run attestation does not verify: ${failed?.name ?? 'unknown check'}${failed?.reason ? ` (${failed.reason})` : ''}`,
        details: { attestation_id: attestation.id, check: failed?.name ?? null },
      });
    }
    return { verify };
  }
}
