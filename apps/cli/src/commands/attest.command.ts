import { resolve } from 'node:path';
import { Command } from 'commander';
import { SegError, isSegError } from '@neurocipher/seg-contracts';
import {
  attestedRun,
  parseEd25519PublicKey,
  verifyEnvelopeText,
  verifyFailed,
  verifyLogEntry,
} from '@neurocipher/seg-attest';
import { EXIT_FINDINGS, EXIT_OK } from '../cli/exit-codes.ts';
import { errorText } from '../cli/error-text.ts';
import { existsSync } from 'node:fs';
import { localLogKeyPath, localLogLocation, publicKeyPathOf, readUserBytes } from '@neurocipher/seg-runtime';
import type { CliIo } from '../cli/io.ts';
import { terminalText } from '../output/terminal-text.ts';
import { configFor } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

interface VerifyOptions {
  key: string[];
  run?: string;
}

/**
 * Runs a verification and turns a `SEG_ATTEST_VERIFY_FAILED` verdict into one stderr line and exit 1;
 * other errors (unreadable files, bad keys) go on to the CLI's error handling (exit 2).
 */
export async function verdict(io: CliIo, setExit: (code: number) => void, work: () => Promise<string>) {
  let out: string;
  try {
    out = await work();
  } catch (error) {
    if (isSegError(error) && error.error_code === 'SEG_ATTEST_VERIFY_FAILED') {
      io.stderr.write(errorText(error, false));
      setExit(EXIT_FINDINGS);
      return;
    }
    throw error;
  }
  io.stdout.write(out);
  setExit(EXIT_OK);
}

/**
 * `seg attest verify FILE --key PUB [--run RUN]`: checks a DSSE attestation envelope offline and says
 * what it attests (run, tenant, bundles, time); with `--run`, refuses an envelope of another run. When
 * the home's transparency log (`<home>/tlog/`) holds the envelope, its inclusion proof is verified against
 * the signed checkpoint. Exit 0 when everything verifies, 1 when it does not, 2 when the files cannot be
 * read or parsed.
 */
export function attestCommand(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  const attest = new Command('attest').description(
    'Work with run attestations (DSSE envelopes over in-toto)',
  );
  attest
    .command('verify')
    .description(
      'Verify an attestation envelope: every --key must have signed it; prints the run it attests and checks its transparency log entry',
    )
    .argument('<file>', 'the envelope (*.intoto.json)')
    .requiredOption('--key <pub...>', 'public key PEM file(s) that must have signed it')
    .option('--run <run-id>', 'refuse the envelope unless it attests this run')
    .addHelpText(
      'after',
      '\nExample:\n  seg attest verify .seg/attestations/<id>.intoto.json --key .seg/keys/attest-ed25519.pub --run <run id>\n',
    )
    .action(async (file: string, options: VerifyOptions) => {
      const { config } = configFor(io, global());
      const envelope = await readUserBytes('envelope', resolve(io.cwd, file));
      const keys = await Promise.all(
        options.key.map(async (k) =>
          new TextDecoder().decode(await readUserBytes('public key', resolve(io.cwd, k))),
        ),
      );
      await verdict(io, setExit, async () => {
        const verified = await verifyEnvelopeText(envelope, keys);
        const run = attestedRun(verified.statement);
        if (options.run !== undefined && options.run !== run.run_id) {
          throw verifyFailed(
            'run_mismatch',
            `the envelope attests run ${run.run_id}, not run ${options.run}`,
            {
              attested: run.run_id,
              expected: options.run,
            },
          );
        }
        const lines = [
          `verified: ${verified.signatures.length} signature(s) (${verified.signatures.map((s) => s.keyid).join(', ')})`,
          `run: ${run.run_id}`,
          `tenant: ${run.org_id}`,
          `bundle: ${run.bundles.length > 0 ? run.bundles.join(', ') : 'none'}`,
          `time: ${run.ended_at}`,
          `predicate: ${verified.statement.predicateType}`,
          `subjects: ${verified.statement.subject.length}`,
        ];
        const ed25519 = keys.flatMap((k) => {
          try {
            return [parseEd25519PublicKey(k)];
          } catch {
            return [];
          }
        });
        // The log's checkpoints are signed by the Ed25519 attestation key, or (when attestations are
        // signed by KMS) by the home's own log key.
        const logPub = publicKeyPathOf(localLogKeyPath(config.home));
        const logKey =
          ed25519[0] ??
          (existsSync(logPub)
            ? parseEd25519PublicKey(new TextDecoder().decode(await readUserBytes('log key', logPub)))
            : undefined);
        const location = logKey && localLogLocation(config.home, logKey);
        const entry = location
          ? await verifyLogEntry(location, envelope).catch((error: unknown) => {
              if (!isSegError(error) || error.error_code !== 'SEG_ATTEST_VERIFY_FAILED') throw error;
              throw new SegError({ ...error.toJSON(), message: `transparency log: ${error.message}` });
            })
          : undefined;
        lines.push(
          entry
            ? `log entry: ${entry.index} (tree size ${entry.tree_size}, inclusion verified)`
            : `log entry: none (${location ? `not in ${config.home}/tlog` : 'no Ed25519 key to check a checkpoint'})`,
        );
        return `${lines.map(terminalText).join('\n')}\n`;
      });
    });
  return attest;
}
