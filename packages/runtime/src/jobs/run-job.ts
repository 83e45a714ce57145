// A run job: what the API enqueues and a worker runs. The job id is the run id, and a run's finding ids
// derive from it, so a redelivered job commits the same rows (a replayed commit), never a second copy.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SegError, makeParser } from '@neurocipher/seg-contracts';
import type { AttestedRun, RunOutcome, RunProgressListener } from '@neurocipher/seg-core';
import { TENANT_ID_PATTERN } from '../config/seg-config.ts';
import type { SegConfig } from '../config/seg-config.ts';
import type { Engine } from '../engine/create-engine.ts';
import type { ProviderChoice } from '../modules/inventory.module.ts';

/** The job type of a run on the queue. */
export const RUN_JOB_TYPE = 'run';

/** The payload of a run job. */
export const RunJobSchema = z
  .object({
    /** The run id (also the job id). */
    run_id: z.uuid(),
    /** The tenant; its inventory comes from `tenants.<org_id>.inventory`. */
    org_id: z.string().regex(TENANT_ID_PATTERN),
    /** The controls to evaluate (default: every control of the configured bundle). */
    control_ids: z.array(z.string().min(1)).min(1).optional(),
    /** `input.now` of the policies (RFC 3339), fixed when the run was asked for. */
    now: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ id: 'RunJob' });
/** A run job's payload. */
export type RunJob = z.infer<typeof RunJobSchema>;
/** Validates a {@link RunJob}; throws `SEG_SCHEMA_VIOLATION`. */
export const parseRunJob = makeParser('RunJob', RunJobSchema);

/**
 * The engine settings of one tenant: the config with `tenant` set, and the provider its
 * `tenants.<org>.inventory` names (AWS accounts, regions and role folded into `aws`). `SEG_NOT_FOUND` for a
 * tenant the config does not list or that has no inventory; the message names only the tenant.
 */
export function tenantEngineConfig(
  config: SegConfig,
  org_id: string,
  cwd: string = process.cwd(),
): { config: SegConfig; provider: ProviderChoice } {
  const inventory = config.tenants[org_id]?.inventory;
  if (inventory === undefined) {
    throw new SegError({
      error_code: 'SEG_NOT_FOUND',
      message: `tenant ${org_id} has no inventory configured (tenants.${org_id}.inventory)`,
      details: { org_id },
    });
  }
  const tenant = { ...config, tenant: org_id };
  if (inventory.kind === 'snapshot') {
    const path = isAbsolute(inventory.path) ? inventory.path : resolve(cwd, inventory.path);
    return { config: tenant, provider: { kind: 'snapshot', path } };
  }
  const aws = {
    ...config.aws,
    accounts: inventory.accounts,
    regions: inventory.regions ?? config.aws.regions,
    role_name: inventory.role_name ?? config.aws.role_name,
  };
  return { config: { ...tenant, aws }, provider: { kind: 'aws' } };
}

/**
 * Runs a job on the tenant's engine: a committed, attested run under the job's run id, of the job's
 * controls (unknown ids are `SEG_INVALID_ARGUMENT`), at the job's `now`.
 */
export async function runJob(
  engine: Engine,
  job: RunJob,
  progress?: RunProgressListener,
): Promise<RunOutcome<AttestedRun>> {
  if (engine.config.tenant !== job.org_id) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `run ${job.run_id} is for tenant ${job.org_id}, not ${engine.config.tenant}`,
      details: { run_id: job.run_id },
    });
  }
  const request = await engine.scanRequest({ now: job.now });
  let controls = request.controls;
  if (job.control_ids !== undefined) {
    const wanted = new Set(job.control_ids);
    controls = request.controls.filter((c) => wanted.has(c.id));
    const known = new Set(controls.map((c) => c.id));
    const unknown = job.control_ids.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `unknown control ids: ${unknown.join(', ')}`,
        details: { control_ids: unknown },
        retryable: false,
      });
    }
  }
  const service = await engine.runService();
  return service.run({ ...request, controls, run_id: job.run_id }, progress);
}
