import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  attestedRun,
  runSummaryBytes,
  verifyEnvelopeText,
  verifyFailed,
  verifyRunData,
} from '@neurocipher/seg-attest';
import type { RunSummaryInput } from '@neurocipher/seg-attest';
import { sha256Hex } from '@neurocipher/seg-ports';
import { EVIDENCE_INDEX_MEDIA_TYPE } from '@neurocipher/seg-core';
import { runAttestations } from '@neurocipher/seg-lakehouse';
import { readUserBytes, signingPublicKeyPath, subjectResolver } from '@neurocipher/seg-runtime';
import type { CliIo } from '../cli/io.ts';
import { terminalText } from '../output/terminal-text.ts';
import { verdict } from './attest.command.ts';
import { configFor, withLakehouse } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

interface VerifyRunOptions {
  key?: string;
}

/**
 * `seg verify RUN [--key PUB]`: verifies what a committed run's attestation covers. Reads the run's
 * attestations from the `attestations` table, verifies each envelope's signature with the public key
 * (`--key`, else the `.pub` beside `signing_key`), then re-hashes every table file it pins from the
 * warehouse and every evidence blob (the evidence index and every blob it lists) from the blob store.
 * Exit 0 with what was checked; 1 naming the first file or blob that is missing or differs (or when the
 * run has no attestation); 2 when the key or the lakehouse cannot be read.
 */
export function verifyCommand(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  return new Command('verify')
    .description(
      "Verify a run's attestation and re-hash every table file and evidence blob it covers; names the first that differs",
    )
    .argument('<run-id>', 'the run (its id, as `seg scan` prints it)')
    .option('--key <pub>', 'public key PEM file (default: the .pub beside signing_key)')
    .addHelpText('after', '\nExample:\n  seg verify 0f8fad5b-d9cb-469f-a165-70867728950e\n')
    .action(async (runId: string, options: VerifyRunOptions) => {
      const { config } = configFor(io, global());
      const key = new TextDecoder().decode(
        await readUserBytes('public key', resolve(io.cwd, options.key ?? signingPublicKeyPath(config))),
      );
      await withLakehouse(config, (lake) =>
        verdict(io, setExit, async () => {
          const attestations = await runAttestations(lake.tables, runId, config.tenant);
          if (attestations.length === 0) {
            throw verifyFailed(
              'subject_missing',
              `run ${runId} of tenant ${config.tenant} has no attestation in the attestations table`,
              { run_id: runId },
            );
          }
          const lines: string[] = [];
          for (const attestation of attestations) {
            const verified = await verifyEnvelopeText(attestation.signature, [key]);
            const run = attestedRun(verified.statement);
            if (run.run_id !== runId || run.org_id !== config.tenant) {
              throw verifyFailed(
                'run_mismatch',
                `attestation ${attestation.id}, recorded for run ${runId}, attests run ${run.run_id} of tenant ${run.org_id}`,
              );
            }
            if (sha256Hex(verified.payload) !== attestation.payload_hash) {
              throw verifyFailed(
                'payload_hash_mismatch',
                `attestation ${attestation.id}: payload_hash is not the SHA-256 of the signed payload`,
              );
            }
            const summary = runSummaryBytes(
              (verified.statement.predicate as unknown as { run: RunSummaryInput }).run,
            );
            const checked = await verifyRunData(verified.statement, {
              resolver: subjectResolver(lake, new Map([[runId, summary]])),
              evidenceIndexMediaType: EVIDENCE_INDEX_MEDIA_TYPE,
            });
            lines.push(
              `verified: attestation ${attestation.id} (${verified.signatures.map((s) => s.keyid).join(', ')})`,
              `run: ${run.run_id} (tenant ${run.org_id}, bundle ${run.bundles.join(', ') || 'none'}, ended ${run.ended_at})`,
              `checked: ${checked.files} table files, ${checked.blobs} evidence blobs (${checked.subjects} subjects)`,
            );
          }
          return `${lines.map(terminalText).join('\n')}\n`;
        }),
      );
    });
}
