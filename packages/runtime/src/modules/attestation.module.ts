import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import {
  AttestationService,
  TransparencyLog,
  noteSigner,
  runSummaryBytes,
  trustedKeyFromSigner,
} from '@neurocipher/seg-attest';
import type { LogLocation, SubjectResolver } from '@neurocipher/seg-attest';
import { PortRunAttester, RunMaterialRegistry } from '@neurocipher/seg-core';
import type { AttestedRun, RunAttester } from '@neurocipher/seg-core';
import { LocalBlobStore, lakehouseSubjectResolver, runAttestations } from '@neurocipher/seg-lakehouse';
import { EventBusId, SignerPortId } from '@neurocipher/seg-ports';
import type { EventBus, SignerPort } from '@neurocipher/seg-ports';
import { keyLocation } from '../config/locations.ts';
import type { SegConfig } from '../config/seg-config.ts';
import type { Resources } from '../engine/resources.ts';
import { ed25519KeyFile, publicKeyPathOf, writePublicKeyFile } from '../files/signing-key-file.ts';
import { AttestationDeskId, AttesterId, LakehouseId, ResourcesId, SegConfigId, resolve } from '../ids.ts';
import type { AsyncResolver } from '../ids.ts';
import { AttestationDesk } from '../service/attestation-desk.ts';
import { awsPartSettings, loadAwsAdapter } from './aws.ts';
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

/**
 * The Ed25519 key that signs the embedded log's checkpoints when attestations are signed by a key that is
 * not Ed25519 (KMS): `<home>/keys/tlog-ed25519.pem`, created on first use, its `.pub` beside it.
 */
export function localLogKeyPath(home: string): string {
  return join(home, 'keys', 'tlog-ed25519.pem');
}

/**
 * The public key (PEM) file a verifier of this config's attestations is given: the `.pub` beside a
 * `file:` signing key, or `<home>/keys/awskms-<key>.pub` (written at the first signature) for a KMS key.
 */
export function signingPublicKeyPath(config: Pick<SegConfig, 'home' | 'signing_key'>): string {
  const at = keyLocation('signing_key', config.signing_key);
  if (at.kind === 'file') return publicKeyPathOf(at.path);
  return join(config.home, 'keys', `awskms-${at.key_id.replace(/[^A-Za-z0-9._-]+/g, '_')}.pub`);
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

/** The attestation side of a scan: the run's attestation step, where envelopes go, the key to check them. */
export interface Attester {
  /** Signs, publishes (folder + local transparency log), records in the lakehouse and verifies a run. */
  step: RunAttester<AttestedRun>;
  /** Folder the filesystem publish target writes envelopes to (`<home>/attestations/`). */
  envelopeDir: string;
  /** The public key (SPKI PEM) file matching the signer. */
  publicKeyPath: string;
}

interface ConfiguredSigner {
  signer: SignerPort;
  /** Signs the embedded log's checkpoints (an Ed25519 key with its raw public key). */
  logKey: { publicKey: Uint8Array; sign(message: Uint8Array): Promise<Uint8Array> };
  publicKeyPath: string;
}

async function configuredSigner(config: SegConfig, resources: Resources): Promise<ConfiguredSigner> {
  const at = keyLocation('signing_key', config.signing_key);
  if (at.kind === 'file') {
    const { signer, publicKeyPath } = ed25519KeyFile(at.path);
    return { signer, logKey: signer, publicKeyPath };
  }
  const aws = await loadAwsAdapter(`signing_key awskms:${at.key_id}`);
  const { part, destroy } = await aws.openKmsSigner({ ...awsPartSettings(config), keyId: at.key_id });
  resources.hold(part, destroy);
  const publicKeyPath = signingPublicKeyPath(config);
  writePublicKeyFile(publicKeyPath, part.publicKeyPem());
  return { signer: part, logKey: ed25519KeyFile(localLogKeyPath(config.home)).signer, publicKeyPath };
}

/**
 * Binds `SignerPortId` to the configured signer (`file:` Ed25519 key, created on first use, or `awskms:`)
 * and {@link AttesterId} to the attester over it: signs the run's material (bundle digests, the files each
 * table commit produced, the evidence index), publishes the envelope to `<home>/attestations/` and to the
 * local transparency log under `<home>/tlog/`, records it in the `attestations` table, and verifies it
 * back by re-hashing every subject from storage.
 */
export function attestationModule(): ContainerModule {
  return new ContainerModule((options) => {
    let configured: Promise<ConfiguredSigner> | null = null;
    const signerOf = (config: SegConfig, resources: Resources) =>
      (configured ??= configuredSigner(config, resources));
    options
      .bind<SignerPort>(SignerPortId)
      .toResolvedValue(
        async (config: SegConfig, resources: Resources) => (await signerOf(config, resources)).signer,
        [SegConfigId, ResourcesId],
      )
      .inSingletonScope();
    options
      .bind<Attester>(AttesterId)
      .toResolvedValue(
        async (
          config: SegConfig,
          resources: Resources,
          lake: Lakehouse,
          events: EventBus,
        ): Promise<Attester> => {
          const { signer, logKey, publicKeyPath } = await signerOf(config, resources);
          const { store, prefix, origin } = localLogLocation(config.home, logKey.publicKey);
          const log = new TransparencyLog({
            store,
            prefix,
            origin,
            signer: noteSigner(origin, logKey),
            base_url: 'https://seg.local/tlog',
          });
          const registry = new RunMaterialRegistry();
          // The summary a statement pins is the one signed here (or, for a run attested before, the run
          // as committed): kept for the verification that follows, then dropped.
          const summaries = new Map<string, Uint8Array>();
          const service = new AttestationService({
            signers: [signer],
            trustedKeys: [await trustedKeyFromSigner(signer)],
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
          const attester = new PortRunAttester({
            port: service,
            registry,
            targets: [
              { kind: 'filesystem', path: envelopeDir },
              { kind: 'transparency_log', log: LOCAL_LOG },
            ],
            record: async (attestation, run) => {
              await lake.store.recordAttestations([attestation], run.scope.org_id);
            },
            recorded: async (run) => {
              const [before] = await runAttestations(lake.tables, run.run_id, run.scope.org_id);
              if (before) summaries.set(run.run_id, runSummaryBytes(run));
              return before ?? null;
            },
            events,
          });
          const step: RunAttester<AttestedRun> = {
            attest: async (run, material) => {
              try {
                return await attester.attest(run, material);
              } finally {
                summaries.delete(run.run_id);
              }
            },
          };
          return { step, envelopeDir, publicKeyPath };
        },
        [SegConfigId, ResourcesId, LakehouseId, EventBusId],
      )
      .inSingletonScope();
    // The signer is asked for only when a run is attested (a KMS key is not opened to read one back).
    options
      .bind<AttestationDesk>(AttestationDeskId)
      .toDynamicValue(async (context) => {
        const config: SegConfig = await resolve(context, SegConfigId);
        const lake = await resolve(context, LakehouseId);
        return new AttestationDesk(config.tenant, lake, () => resolve(context as AsyncResolver, AttesterId));
      })
      .inSingletonScope();
  });
}
