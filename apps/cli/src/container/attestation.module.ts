import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { isSegError } from '@neurocipher/seg-contracts';
import {
  AttestationService,
  Ed25519Signer,
  TransparencyLog,
  noteSigner,
  parseSubjectName,
  runSummaryBytes,
} from '@neurocipher/seg-attest';
import type { StatementSubject } from '@neurocipher/seg-attest';
import { PortRunAttester, RunMaterialRegistry } from '@neurocipher/seg-core';
import type { AttestedRun, RunAttester } from '@neurocipher/seg-core';
import { LocalBlobStore, TABLE_NAMES } from '@neurocipher/seg-lakehouse';
import type { TableName } from '@neurocipher/seg-lakehouse';
import { readUserFileSync, writeUserFileSync } from '../cli/file-errors.ts';
import type { CliConfig } from '../config/cli-config.ts';
import { AttesterId, CliConfigId, LakehouseId } from './ids.ts';
import type { Lakehouse } from './lakehouse.module.ts';

/** Name of the embedded transparency log. */
export const LOCAL_LOG = 'local';

/** The attestation side of a scan: the run's attestation step, where envelopes go, the key to check them. */
export interface Attester {
  /** Signs, publishes (folder + local transparency log), records in the lakehouse and verifies a run. */
  step: RunAttester<AttestedRun>;
  /** Folder the filesystem publish target writes envelopes to. */
  envelopeDir: string;
  /** The Ed25519 public key (SPKI PEM) file matching the signing key. */
  publicKeyPath: string;
}

// Reads the signing key, or creates it (mode 0600) with its public key beside it on first use.
function signingKey(path: string): { signer: Ed25519Signer; publicKeyPath: string } {
  const publicKeyPath = path.replace(/\.pem$/, '') + '.pub';
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeUserFileSync('signing key', path, pem, { mode: 0o600 });
  }
  const signer = new Ed25519Signer({ privateKey: readUserFileSync('signing key', path) });
  writeUserFileSync('public key', publicKeyPath, signer.publicKeyPem());
  return { signer, publicKeyPath };
}

// Fetches what a subject names so `verify` can re-hash it: the summary this process signed, a table file
// from the warehouse, an evidence blob (verified against its hash by the evidence store).
function subjectResolver(lake: Lakehouse, summaries: ReadonlyMap<string, Uint8Array>) {
  return {
    resolve: async (subject: StatementSubject): Promise<Uint8Array | undefined> => {
      const ref = parseSubjectName(subject.name);
      try {
        switch (ref.kind) {
          case 'run_summary':
            return summaries.get(ref.run_id);
          case 'data_file': {
            if (!(TABLE_NAMES as readonly string[]).includes(ref.table)) return undefined;
            const { metadata } = await lake.tables.table(ref.table as TableName).load();
            const uri = ref.path.includes('://')
              ? ref.path
              : `${metadata.location.replace(/\/+$/, '')}/${ref.path}`;
            return await lake.io.read(uri);
          }
          case 'evidence':
            return await lake.evidence.get(ref.sha256);
          default:
            return undefined;
        }
      } catch (error) {
        // A missing artifact is a verdict (`subject_missing`); anything else (a corrupted blob) fails it too.
        const missing =
          (isSegError(error) && error.error_code === 'SEG_NOT_FOUND') ||
          (error as NodeJS.ErrnoException).code === 'ENOENT';
        if (!missing) throw error;
        return undefined;
      }
    },
  };
}

/**
 * Binds the attester: Ed25519 signing with the configured key over the run's material (bundle digests,
 * the files each table commit produced, the evidence index), envelopes published to `<home>/attestations/`
 * and to the local transparency log under `<home>/tlog/`, recorded in the `attestations` table, and
 * verified back by re-hashing every subject from storage.
 */
export function attestationModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Attester>(AttesterId)
      .toResolvedValue(
        (config: CliConfig, lake: Lakehouse): Attester => {
          const { signer, publicKeyPath } = signingKey(config.signing_key);
          const origin = `seg.local/${config.tenant}/tlog`;
          const log = new TransparencyLog({
            store: new LocalBlobStore({ root: join(config.home, 'tlog') }),
            prefix: 'tlog/',
            origin,
            signer: noteSigner(origin, signer),
            base_url: 'https://seg.local/tlog',
          });
          const registry = new RunMaterialRegistry();
          // The summary a statement pins is the one signed here: kept for the verification that follows.
          const summaries = new Map<string, Uint8Array>();
          const service = new AttestationService({
            signers: [signer],
            trustedKeys: [signer.trustedKey()],
            resolver: subjectResolver(lake, summaries),
            material: {
              material: async (run, scope) => {
                summaries.set(run.run_id, runSummaryBytes(run));
                return registry.material(run, scope);
              },
            },
            fs: fsPromises,
            logs: { [LOCAL_LOG]: log },
          });
          const envelopeDir = join(config.home, 'attestations');
          const step = new PortRunAttester({
            port: service,
            registry,
            targets: [
              { kind: 'filesystem', path: envelopeDir },
              { kind: 'transparency_log', log: LOCAL_LOG },
            ],
            record: async (attestation, run) => {
              await lake.store.recordAttestations([attestation], run.scope.org_id);
            },
          });
          return { step, envelopeDir, publicKeyPath };
        },
        [CliConfigId, LakehouseId],
      )
      .inSingletonScope();
  });
}
