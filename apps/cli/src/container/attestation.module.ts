import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ContainerModule } from 'inversify';
import type { RunSummary } from '@neurocipher/seg-contracts';
import {
  AttestationService,
  Ed25519Signer,
  TransparencyLog,
  noteSigner,
  runSummaryBytes,
} from '@neurocipher/seg-attest';
import type { RunAttestationMaterial } from '@neurocipher/seg-attest';
import { LocalBlobStore } from '@neurocipher/seg-lakehouse';
import type { CliConfig } from '../config/cli-config.ts';
import { AttesterId, CliConfigId } from './ids.ts';

/** Name of the embedded transparency log. */
export const LOCAL_LOG = 'local';

/** The attestation side of a scan: the service, where envelopes go and the public key to check them. */
export interface Attester {
  service: AttestationService;
  /** Folder the filesystem publish target writes envelopes to. */
  envelopeDir: string;
  /** The Ed25519 public key (SPKI PEM) file matching the signing key. */
  publicKeyPath: string;
  /** Sets what the next `sign` attests besides the summary (bundle digests). */
  setMaterial(material: Omit<RunAttestationMaterial, 'statement_type'>): void;
  /** Remembers a run summary so `verify` can re-hash the summary subject. */
  remember(run: RunSummary): void;
}

// Reads the signing key, or creates it (mode 0600) with its public key beside it on first use.
function signingKey(path: string): { signer: Ed25519Signer; publicKeyPath: string } {
  const publicKeyPath = path.replace(/\.pem$/, '') + '.pub';
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  }
  const signer = new Ed25519Signer({ privateKey: readFileSync(path, 'utf8') });
  writeFileSync(publicKeyPath, signer.publicKeyPem());
  return { signer, publicKeyPath };
}

/**
 * Binds the attester: Ed25519 signing with the configured key, envelopes published to
 * `<home>/attestations/` and to the local transparency log under `<home>/tlog/`, and verification that
 * re-hashes the run-summary subject.
 */
export function attestationModule(): ContainerModule {
  return new ContainerModule((options) => {
    options
      .bind<Attester>(AttesterId)
      .toResolvedValue(
        (config: CliConfig): Attester => {
          const { signer, publicKeyPath } = signingKey(config.signing_key);
          const origin = `seg.local/${config.tenant}/tlog`;
          const log = new TransparencyLog({
            store: new LocalBlobStore({ root: join(config.home, 'tlog') }),
            prefix: 'tlog/',
            origin,
            signer: noteSigner(origin, signer),
            base_url: 'https://seg.local/tlog',
          });
          const summaries = new Map<string, Uint8Array>();
          let material: Omit<RunAttestationMaterial, 'statement_type'> = {};
          const service = new AttestationService({
            signers: [signer],
            trustedKeys: [signer.trustedKey()],
            resolver: { resolve: async (subject) => summaries.get(subject.name) },
            material: { material: async () => ({ statement_type: 'evaluation', ...material }) },
            fs: fsPromises,
            logs: { [LOCAL_LOG]: log },
          });
          return {
            service,
            envelopeDir: join(config.home, 'attestations'),
            publicKeyPath,
            setMaterial: (m) => {
              material = m;
            },
            remember: (run) => summaries.set(`seg/runs/${run.run_id}/summary.json`, runSummaryBytes(run)),
          };
        },
        [CliConfigId],
      )
      .inSingletonScope();
  });
}
