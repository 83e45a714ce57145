import { resolve } from 'node:path';
import { Command } from 'commander';
import { isSegError } from '@neurocipher/seg-contracts';
import { verifyEnvelopeFile } from '@neurocipher/seg-attest';
import { EXIT_FINDINGS, EXIT_OK } from '../cli/exit-codes.ts';
import { errorText } from '../cli/error-text.ts';
import { readUserBytes } from '../cli/file-errors.ts';
import type { CliIo } from '../cli/io.ts';
import type { GlobalOptions } from './shared.ts';

interface VerifyOptions {
  key: string[];
}

/**
 * `seg attest verify FILE --key PUB`: checks a DSSE attestation envelope offline. Exit 0 when every key
 * signed it, 1 when it does not verify, 2 when the files cannot be read or parsed.
 */
export function attestCommand(
  io: CliIo,
  _global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  const attest = new Command('attest').description(
    'Work with run attestations (DSSE envelopes over in-toto)',
  );
  attest
    .command('verify')
    .description('Verify an attestation envelope: every --key must have signed it; prints the statement')
    .argument('<file>', 'the envelope (*.intoto.json)')
    .requiredOption('--key <pub...>', 'public key PEM file(s) that must have signed it')
    .addHelpText(
      'after',
      '\nExample:\n  seg attest verify .seg/attestations/<id>.intoto.json --key .seg/keys/attest-ed25519.pub\n',
    )
    .action(async (file: string, options: VerifyOptions) => {
      let verified: Awaited<ReturnType<typeof verifyEnvelopeFile>>;
      const envelope = resolve(io.cwd, file);
      try {
        verified = await verifyEnvelopeFile(
          envelope,
          options.key.map((k) => resolve(io.cwd, k)),
          { readFile: (path) => readUserBytes(path === envelope ? 'envelope' : 'public key', path) },
        );
      } catch (error) {
        // A readable envelope that does not verify is a verdict (exit 1), not a usage error.
        if (isSegError(error) && error.error_code === 'SEG_ATTEST_VERIFY_FAILED') {
          io.stderr.write(errorText(error, false));
          setExit(EXIT_FINDINGS);
          return;
        }
        throw error;
      }
      io.stdout.write(
        `verified: ${verified.signatures.length} signature(s) (${verified.signatures.map((s) => s.keyid).join(', ')})\n` +
          `predicate: ${verified.statement.predicateType}\n` +
          `subjects: ${verified.statement.subject.length}\n`,
      );
      setExit(EXIT_OK);
    });
  return attest;
}
