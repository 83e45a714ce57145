import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { AwareDatetimeSchema } from '@neurocipher/seg-contracts';
import type { Finding, Severity } from '@neurocipher/seg-contracts';
import { envelopeFileName } from '@neurocipher/seg-attest';
import { runControlsOf } from '@neurocipher/seg-core';
import { AttesterId, LakehouseId } from '@neurocipher/seg-runtime';
import type { ProviderChoice } from '@neurocipher/seg-runtime';
import { EXIT_FINDINGS, EXIT_OK } from '../cli/exit-codes.ts';
import type { CliIo } from '../cli/io.ts';
import { renderFindings } from '../output/render-findings.ts';
import { progressListener, silentProgress, stderrProgress } from '../scan/scan-progress.ts';
import { SEVERITY_ORDER, configFor, usageError, withEngine } from './shared.ts';
import type { GlobalOptions } from './shared.ts';

interface ScanOptions {
  provider: 'snapshot' | 'aws';
  snapshot?: string;
  profile?: string;
  regions?: string;
  accounts?: string;
  bundle?: string;
  failOn: Severity | 'none';
  now?: string;
  format: 'summary' | 'json' | 'csv' | 'sarif' | 'ocsf';
  commit: boolean;
  attest: boolean;
  progress: boolean;
}

/** Whether any failing finding is at least as severe as `threshold`. */
export function reachesFailOn(findings: readonly Finding[], threshold: Severity | 'none'): boolean {
  if (threshold === 'none') return false;
  const limit = SEVERITY_ORDER.indexOf(threshold);
  return findings.some((f) => f.result === 'fail' && SEVERITY_ORDER.indexOf(f.severity) <= limit);
}

/** `seg scan`: inventory → evaluation with the signed bundle → commit to the lakehouse → summary. */
export function scanCommand(
  io: CliIo,
  global: () => GlobalOptions,
  setExit: (code: number) => void,
): Command {
  return new Command('scan')
    .description('Scan a tenant: inventory, evaluate every control of the signed bundle, commit the findings')
    .addOption(
      new Option('--provider <provider>', 'inventory provider')
        .choices(['snapshot', 'aws'])
        .makeOptionMandatory(),
    )
    .option('--snapshot <file>', 'snapshot file (NDJSON) for --provider snapshot')
    .option('--profile <name>', 'AWS profile (--provider aws)')
    .option('--regions <list>', 'comma-separated AWS regions (--provider aws)')
    .option('--accounts <list>', 'comma-separated AWS account ids (--provider aws)')
    .option('--bundle <id[@version]>', 'policy bundle to evaluate (default from config)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a failing finding is at least this severe')
        .choices([...SEVERITY_ORDER, 'none'])
        .default('none'),
    )
    .option(
      '--now <datetime>',
      'evaluation time handed to policies (RFC 3339 with an offset, e.g. 2026-11-01T00:00:00Z; default: now)',
    )
    .addOption(
      new Option('--format <format>', 'what to print on stdout')
        .choices(['summary', 'json', 'csv', 'sarif', 'ocsf'])
        .default('summary'),
    )
    .option('--no-commit', 'do not write the run to the lakehouse (implies --no-attest)')
    .option('--no-attest', 'do not sign, publish and verify an attestation of the run')
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText(
      'after',
      '\nExample:\n  seg scan --provider snapshot --snapshot .seg/demo/tenant.ndjson --fail-on high\n' +
        '  AWS_ENDPOINT_URL=http://127.0.0.1:5000 seg scan --provider aws --regions us-east-1 --format sarif\n',
    )
    .action(async (options: ScanOptions) => {
      // Every option is checked before any work: a bad --now must not fail after the inventory.
      if (options.now !== undefined && !AwareDatetimeSchema.safeParse(options.now).success) {
        throw usageError(
          `--now must be an RFC 3339 date-time with an offset (2026-11-01T00:00:00Z, 2026-11-01T00:00:00+02:00), got ${JSON.stringify(options.now)}`,
          { now: options.now },
        );
      }
      const { config } = configFor(io, global(), {
        bundle: options.bundle,
        'aws.profile': options.profile,
        'aws.regions': options.regions?.split(',').filter(Boolean),
        'aws.accounts': options.accounts?.split(',').filter(Boolean),
      });
      let provider: ProviderChoice;
      if (options.provider === 'snapshot') {
        if (!options.snapshot) throw usageError('--provider snapshot needs --snapshot <file>');
        provider = { kind: 'snapshot', path: resolve(io.cwd, options.snapshot) };
      } else {
        provider = { kind: 'aws' };
      }
      const now = options.now ?? new Date().toISOString();
      const attest = options.commit && options.attest;
      await withEngine(
        config,
        async (engine) => {
          const service = await engine.runService({ commit: options.commit, attest });
          const lake = options.commit ? await engine.get(LakehouseId) : null;
          const attester = attest ? await engine.get(AttesterId) : null;
          const { controls, frameworks } = runControlsOf([await engine.bundle()]);
          const progress =
            options.progress && options.format === 'summary' ? stderrProgress(io) : silentProgress;
          try {
            // An explicit --now also pins the configs read (golden runs); otherwise the latest capture.
            const request = await engine.scanRequest({ now, at: options.now ?? null });
            const outcome = await service.run(request, progressListener(progress));
            progress.stop();
            const report = {
              findings: outcome.findings,
              controls,
              run: outcome.run,
              frameworks,
              assets: new Map(outcome.assets.map((a) => [a.ref.urn, a])),
              tool_version: '0.1.0',
            };
            if (options.format === 'summary') {
              io.stdout.write(renderFindings('summary', report));
              if (lake) {
                io.stdout.write(`catalog: ${lake.catalogUri}\n`);
                const signed = outcome.attestation;
                if (attester && signed) {
                  io.stdout.write(
                    `attestation: ${attester.envelopeDir}/${envelopeFileName(signed.attestation)}\n`,
                  );
                  io.stdout.write(`public key: ${attester.publicKeyPath}\n`);
                  io.stdout.write(`transparency log: ${signed.attestation.transparency_uri ?? ''}\n`);
                }
                io.stdout.write(`report: seg report --html --run ${outcome.run.run_id}\n`);
              }
            } else {
              io.stdout.write(renderFindings(options.format, report));
            }
            setExit(reachesFailOn(outcome.findings, options.failOn) ? EXIT_FINDINGS : EXIT_OK);
          } finally {
            progress.stop();
          }
        },
        { provider },
      );
    });
}
