import {
  DescribeTrailsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  GetTrailStatusCommand,
  UpdateTrailCommand,
  type CloudTrailClient,
} from '@aws-sdk/client-cloudtrail';
import {
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import { requestId, str, type StepContext, type StepOp } from './step-op.ts';

const kms = <T>(
  ctx: StepContext,
  op: string,
  fn: (c: KMSClient, o: { abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> => ctx.session.call('kms', ctx.at.account_id, ctx.at.region, op, fn);
const rds = <T>(
  ctx: StepContext,
  op: string,
  fn: (c: RDSClient, o: { abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> => ctx.session.call('rds', ctx.at.account_id, ctx.at.region, op, fn);
const trailRegion = (ctx: StepContext) =>
  typeof ctx.params['trail_region'] === 'string' ? (ctx.params['trail_region'] as string) : ctx.at.region;
const ct = <T>(
  ctx: StepContext,
  op: string,
  fn: (c: CloudTrailClient, o: { abortSignal: AbortSignal }) => Promise<T>,
): Promise<T> => ctx.session.call('cloudtrail', ctx.at.account_id, trailRegion(ctx), op, fn);

/** Key rotation on; rollback disables it if it was off. */
export const enableKeyRotation: StepOp = {
  action: 'kms:EnableKeyRotation',
  exactInverse: true,
  async capture(ctx) {
    const r = await kms(ctx, 'GetKeyRotationStatus', (c, o) =>
      c.send(new GetKeyRotationStatusCommand({ KeyId: ctx.at.native_id }), o),
    );
    return r.KeyRotationEnabled === true;
  },
  satisfied: (s) => s === true,
  async apply(ctx) {
    return requestId(
      await kms(ctx, 'EnableKeyRotation', (c, o) =>
        c.send(new EnableKeyRotationCommand({ KeyId: ctx.at.native_id }), o),
      ),
    );
  },
  async restore(ctx, pre) {
    if (pre === true) return undefined;
    return requestId(
      await kms(ctx, 'DisableKeyRotation', (c, o) =>
        c.send(new DisableKeyRotationCommand({ KeyId: ctx.at.native_id }), o),
      ),
    );
  },
};

/** Sets one boolean DB-instance attribute (`attribute`, `value`) with ApplyImmediately; rollback sets the captured value. */
export const modifyDbInstance: StepOp = {
  action: 'rds:ModifyDBInstance',
  exactInverse: true,
  async capture(ctx) {
    const r = await rds(ctx, 'DescribeDBInstances', (c, o) =>
      c.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ctx.at.native_id }), o),
    );
    const attr = str(ctx.params, 'attribute') as 'PubliclyAccessible' | 'AutoMinorVersionUpgrade';
    return r.DBInstances?.[0]?.[attr] === true;
  },
  satisfied: (s, ctx) => s === ctx.params['value'],
  async apply(ctx) {
    const attr = str(ctx.params, 'attribute');
    return requestId(
      await rds(ctx, 'ModifyDBInstance', (c, o) =>
        c.send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: ctx.at.native_id,
            ApplyImmediately: true,
            [attr]: ctx.params['value'],
          }),
          o,
        ),
      ),
    );
  },
  async restore(ctx, pre) {
    const attr = str(ctx.params, 'attribute');
    return requestId(
      await rds(ctx, 'ModifyDBInstance', (c, o) =>
        c.send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: ctx.at.native_id,
            ApplyImmediately: true,
            [attr]: pre,
          }),
          o,
        ),
      ),
    );
  },
};

interface TrailState {
  EnableLogFileValidation: boolean;
  KmsKeyId: string;
  IsMultiRegionTrail: boolean;
}

async function trailState(ctx: StepContext): Promise<TrailState> {
  const name = str(ctx.params, 'trail_name');
  const r = await ct(ctx, 'DescribeTrails', (c, o) =>
    c.send(new DescribeTrailsCommand({ trailNameList: [name], includeShadowTrails: false }), o),
  );
  const t = (r.trailList ?? []).find((x) => x.Name === name || x.TrailARN === name);
  if (!t) throw new Error(`trail ${name} not found`);
  return {
    EnableLogFileValidation: t.LogFileValidationEnabled === true,
    KmsKeyId: t.KmsKeyId ?? '',
    IsMultiRegionTrail: t.IsMultiRegionTrail === true,
  };
}

/**
 * UpdateTrail of the fields in `set` (`EnableLogFileValidation`, `KmsKeyId`, `IsMultiRegionTrail`); rollback
 * sets the captured values back (an empty KmsKeyId removes the key).
 */
export const updateTrail: StepOp = {
  action: 'cloudtrail:UpdateTrail',
  exactInverse: true,
  async capture(ctx) {
    const s = await trailState(ctx);
    const keys = Object.keys(ctx.params['set'] as object) as (keyof TrailState)[];
    return Object.fromEntries(keys.map((k) => [k, s[k]]));
  },
  satisfied(s, ctx) {
    const want = ctx.params['set'] as Record<string, unknown>;
    const cur = s as Record<string, unknown>;
    return Object.entries(want).every(([k, v]) => (k === 'KmsKeyId' ? cur[k] !== '' : cur[k] === v));
  },
  async apply(ctx) {
    const Name = str(ctx.params, 'trail_name');
    return requestId(
      await ct(ctx, 'UpdateTrail', (c, o) =>
        c.send(new UpdateTrailCommand({ Name, ...(ctx.params['set'] as object) }), o),
      ),
    );
  },
  async restore(ctx, pre) {
    const Name = str(ctx.params, 'trail_name');
    return requestId(
      await ct(ctx, 'UpdateTrail', (c, o) => c.send(new UpdateTrailCommand({ Name, ...(pre as object) }), o)),
    );
  },
};

/** StartLogging on a trail; rollback stops it if it was not logging. */
export const startTrailLogging: StepOp = {
  action: 'cloudtrail:StartLogging',
  exactInverse: true,
  async capture(ctx) {
    const Name = str(ctx.params, 'trail_name');
    const r = await ct(ctx, 'GetTrailStatus', (c, o) => c.send(new GetTrailStatusCommand({ Name }), o));
    return r.IsLogging === true;
  },
  satisfied: (s) => s === true,
  async apply(ctx) {
    const Name = str(ctx.params, 'trail_name');
    return requestId(await ct(ctx, 'StartLogging', (c, o) => c.send(new StartLoggingCommand({ Name }), o)));
  },
  async restore(ctx, pre) {
    if (pre === true) return undefined;
    const Name = str(ctx.params, 'trail_name');
    return requestId(await ct(ctx, 'StopLogging', (c, o) => c.send(new StopLoggingCommand({ Name }), o)));
  },
};
