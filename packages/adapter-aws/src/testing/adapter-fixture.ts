import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redactor } from '@neurocipher/seg-ports';
import { InMemoryRedactor } from '@neurocipher/seg-ports/testing';
import { AwsInventoryAdapter, type BodyValidator } from '../inventory/aws-inventory-adapter.ts';
import { AwsSession, type AwsSessionOptions } from '../provider/aws-session.ts';
import { LocalDirBlobStore } from './local-dir-blob-store.ts';
import type { MotoServer } from './moto-server.ts';
import { auditRoleArn } from './cis-seed.ts';

/** An AWS session, evidence directory and inventory adapter wired to moto, with a cleanup. */
export interface MotoAdapterFixture {
  session: AwsSession;
  blobs: LocalDirBlobStore;
  inventory: AwsInventoryAdapter;
  /** The redactor the inventory applies to its evidence (pass it to other adapters of the fixture). */
  redactor: Redactor;
  /** Destroys the clients and removes the evidence directory. */
  close(): Promise<void>;
}

/**
 * Builds an {@link AwsSession} on moto that assumes `SegAudit` in each account (the moto test principal's
 * static keys are used only to call STS), plus an inventory adapter with a temporary evidence directory.
 */
export async function motoAdapterFixture(
  moto: MotoServer,
  options: {
    accounts?: readonly string[];
    regions?: readonly string[];
    validateBody?: BodyValidator;
    session?: Partial<AwsSessionOptions>;
    /** Redactor of the evidence; default an {@link InMemoryRedactor} that removes nothing. */
    redactor?: Redactor;
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
  const inventory = new AwsInventoryAdapter({
    session,
    evidence: blobs,
    redactor,
    ...(options.validateBody ? { validateBody: options.validateBody } : {}),
  });
  return {
    session,
    blobs,
    inventory,
    redactor,
    async close() {
      session.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
