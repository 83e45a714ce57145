// What the API works with, composed from the runtime: the shared engine's lakehouse for runs, findings
// and readiness, and each tenant's own engine for its remediation and attestation desks.
import { BlobStoreId } from '@neurocipher/seg-ports';
import type { JobQueue } from '@neurocipher/seg-ports';
import {
  AttestationDeskId,
  LakehouseId,
  RemediationDeskId,
  serviceReadiness,
} from '@neurocipher/seg-runtime';
import type { Engine, TenantEngines } from '@neurocipher/seg-runtime';
import type { ApiDeps } from './app.ts';
import type { Authenticator } from './auth.ts';

/** The {@link ApiDeps} of a service: `engine` of the config, `engines` per tenant, the queue, the identity. */
export async function apiDeps(parts: {
  engine: Engine;
  engines: TenantEngines;
  queue: JobQueue;
  authenticate: Authenticator;
}): Promise<ApiDeps> {
  const { engine, engines, queue } = parts;
  const { api } = engine.config;
  const lake = await engine.get(LakehouseId);
  return {
    authenticate: parts.authenticate,
    queue,
    store: lake.store,
    evidence: lake.evidence,
    desks: async (org_id) => {
      const tenant = await engines.for(org_id);
      return {
        remediation: await tenant.get(RemediationDeskId),
        attestations: await tenant.get(AttestationDeskId),
      };
    },
    rate_per_minute: api.rate_per_minute,
    body_limit: api.body_limit_bytes,
    ingest_body_limit: api.ingest_body_limit_bytes,
    ready: serviceReadiness({ lake, blobs: await engine.get(BlobStoreId), queue }),
  };
}
