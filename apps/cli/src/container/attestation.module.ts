import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ContainerModule } from 'inversify';
import {
  AttestationService,
  Ed25519Signer,
  TransparencyLog,
  noteSigner,
  runSummaryBytes,
} from '@neurocipher/seg-attest';
import type { LogLocation, SubjectResolver } from '@neurocipher/seg-attest';
import { PortRunAttester, RunMaterialRegistry } from '@neurocipher/seg-core';
import type { AttestedRun, RunAttester } from '@neurocipher/seg-core';
import { LocalBlobStore, lakehouseSubjectResolver } from '@neurocipher/seg-lakehouse';
import { fileError, makeUserDirSync, readUserFileSync } from '../cli/file-errors.ts';
import type { CliConfig } from '../config/cli-config.ts';
import { AttesterId, CliConfigId, LakehouseId } from './ids.ts';
import type { Lakehouse } from './lakehouse.module.ts';

/** Name of the embedded transparency log. */
export const LOCAL_LOG = 'local';

/**
 * Origin (and checkpoint note key name) of the embedded transparency log: one log per home, whatever
 * the tenant, so every checkpoint of it carries the same origin.
 */
export const LOCAL_LOG_ORIGIN = 'seg.local/tlog';

/** Where the embedded transparency log of `home` lives (`<home>/tlog/`), checked with `publicKey`. */
export function localLogLocation(home: string, publicKey: Uint8Array): LogLocation {
  return {
    store: new LocalBlobStore({ root: join(home, 'tlog') }),
    prefix: 'tlog/',
    origin: LOCAL_LOG_ORIGIN,
    publicKey,
  };
}

/** The public key file (`.pub`) written beside a signing key file. */
export function publicKeyPathOf(signingKeyPath: string): string {
  return signingKeyPath.replace(/\.pem$/, '') + '.pub';
}

/** The attestation side of a scan: the run's attestation step, where envelopes go, the key to check them. */
export interface Attester {
  /** Signs, publishes (folder + local transparency log), records in the lakehouse and verifies a run. */
  step: RunAttester<AttestedRun>;
  /** Folder the filesystem publish target writes envelopes to. */
  envelopeDir: string;
  /** The Ed25519 public key (SPKI PEM) file matching the signing key. */
  publicKeyPath: string;
}

// Writes `text` to `path` atomically: a temporary file (mode 0600) linked into place when `exclusive`
// (EEXIST when the path exists: another process won), else renamed over it.
function writeAtomic(path: string, text: string, exclusive: boolean): void {
  const tmp = `${path}.tmp-${randomUUID()}`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  try {
    if (exclusive) linkSync(tmp, path);
    else renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

// Reads the signing key, or creates it (mode 0600) with its public key beside it on first use. Concurrent
// first uses (scans started together on a new home) agree on one key: the key file is created
// exclusively, and a process that loses the race uses the winner's key.
function signingKey(path: string): { signer: Ed25519Signer; publicKeyPath: string } {
  const publicKeyPath = publicKeyPathOf(path);
  if (!existsSync(path)) {
    makeUserDirSync('folder of the signing key', dirname(path));
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeAtomic(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw fileError('signing key', path, error, { action: 'created' });
    }
  }
  const signer = new Ed25519Signer({ privateKey: readUserFileSync('signing key', path) });
  const pem = signer.publicKeyPem();
  if (!existsSync(publicKeyPath) || readUserFileSync('public key', publicKeyPath) !== pem) {
    try {
      writeAtomic(publicKeyPath, pem, false);
    } catch (error) {
      throw fileError('public key', publicKeyPath, error, { action: 'written' });
    }
  }
  return { signer, publicKeyPath };
}

/**
 * The lakehouse's subject resolver (`lakehouseSubjectResolver`) over this lakehouse: run summaries from
 * `summaries`, table files from the warehouse, evidence blobs through the verifying evidence store.
 */
export function subjectResolver(
  lake: Lakehouse,
  summaries: ReadonlyMap<string, Uint8Array>,
): SubjectResolver {
  return lakehouseSubjectResolver({ tables: lake.tables, io: lake.io, evidence: lake.evidence, summaries });
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
          const { store, prefix, origin } = localLogLocation(config.home, signer.publicKey);
          const log = new TransparencyLog({
            store,
            prefix,
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
