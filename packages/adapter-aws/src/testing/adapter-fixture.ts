import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@neurocipher/seg-attest';
import type { EvidenceSink, Redactor } from '@neurocipher/seg-ports';
import { InMemoryEvidenceSink, InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { AwsInventoryAdapter, type BodyValidator } from '../inventory/aws-inventory-adapter.ts';
import { AwsSession, type AwsSessionOptions } from '../provider/aws-session.ts';
import { LocalDirBlobStore } from './local-dir-blob-store.ts';
import type { MotoServer } from './moto-server.ts';
import { auditRoleArn } from './cis-seed.ts';

/** An AWS session, evidence sink, history directory and inventory adapter wired to moto, with a cleanup. */
export interface MotoAdapterFixture {
  session: AwsSession;
  /** The adapter's own state (the config-history index), in a temporary directory; never evidence. */
  blobs: LocalDirBlobStore;
  /** Where the inventory's evidence goes (pass it to the other adapters of the fixture). */
  evidence: EvidenceSink;
  inventory: AwsInventoryAdapter;
  /** The redactor of the default sink (an {@link InMemoryRedactor} unless given). */
  redactor: Redactor;
  /** Destroys the clients and removes the evidence directory. */
  close(): Promise<void>;
}

/**
 * Builds an {@link AwsSession} on moto that assumes `SegAudit` in each account (the moto test principal's
 * static keys are used only to call STS), plus an inventory adapter whose evidence goes to an evidence sink
 * (default an {@link InMemoryEvidenceSink} over the redactor) and whose history index lives in a temporary
 * directory.
 */
export async function motoAdapterFixture(
  moto: MotoServer,
  options: {
    accounts?: readonly string[];
    regions?: readonly string[];
    validateBody?: BodyValidator;
    session?: Partial<AwsSessionOptions>;
    /** Redactor of the default evidence sink; default an {@link InMemoryRedactor} that removes nothing. */
    redactor?: Redactor;
    /** The evidence sink; default an {@link InMemoryEvidenceSink} over `redactor`. */
    evidence?: EvidenceSink;
  } = {},
): Promise<MotoAdapterFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'seg-aws-evidence-'));
  const session = new AwsSession({
    accounts: (options.accounts ?? [moto.accountId]).map((id) => ({
      account_id: id,
      role_arn: auditRoleArn(id),
    })),
    regions: options.regions ?? [moto.region],
    endpoint: moto.endpoint,
    baseCredentials: moto.credentials,
    requestTimeoutMs: 15_000,
    ...options.session,
  });
  const blobs = new LocalDirBlobStore({ root: dir });
  const redactor = options.redactor ?? new InMemoryRedactor();
  const evidence = options.evidence ?? new InMemoryEvidenceSink({ canonicalJson, redactor });
  const inventory = new AwsInventoryAdapter({
    session,
    evidence,
    history: blobs,
    ...(options.validateBody ? { validateBody: options.validateBody } : {}),
  });
  return {
    session,
    blobs,
    evidence,
    inventory,
    redactor,
    async close() {
      session.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
