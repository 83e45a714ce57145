import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetEventSelectorsCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { SegError } from '@neurocipher/seg-contracts';
import { rawResponse } from '../provider/aws-call.ts';
import type { AwsSession } from '../provider/aws-session.ts';
import { callRegion, type KindCollector } from './collector.ts';

/** Folds classic or advanced event selectors into the management-events view of the normalized trail. */
export function managementEvents(sel: GetEventSelectorsCommandOutput | undefined): {
  included: boolean;
  read_write_type: 'All' | 'ReadOnly' | 'WriteOnly' | null;
} {
  if (!sel) return { included: false, read_write_type: null };
  const classic = (sel.EventSelectors ?? []).filter((s) => s.IncludeManagementEvents !== false);
  if (classic.length > 0) {
    const types = new Set(classic.map((s) => s.ReadWriteType ?? 'All'));
    const rw = types.has('All') || (types.has('ReadOnly') && types.has('WriteOnly')) ? 'All' : [...types][0];
    return { included: true, read_write_type: (rw ?? 'All') as 'All' | 'ReadOnly' | 'WriteOnly' };
  }
  for (const adv of sel.AdvancedEventSelectors ?? []) {
    const fields = adv.FieldSelectors ?? [];
    const cat = fields.find((f) => f.Field === 'eventCategory');
    if (!cat?.Equals?.includes('Management')) continue;
    const ro = fields.find((f) => f.Field === 'readOnly');
    const rw = !ro?.Equals?.length ? 'All' : ro.Equals.includes('true') ? 'ReadOnly' : 'WriteOnly';
    return { included: true, read_write_type: rw };
  }
  if ((sel.EventSelectors ?? []).length === 0 && (sel.AdvancedEventSelectors ?? []).length === 0) {
    // A trail with no selectors logs all management events (AWS default).
    return { included: true, read_write_type: 'All' };
  }
  return { included: false, read_write_type: null };
}

/** Normalizes one trail in its home region, with status and selectors. */
export async function readTrail(session: AwsSession, accountId: string, trail: Trail) {
  const region = trail.HomeRegion ?? session.homeRegion;
  const Name = trail.TrailARN ?? trail.Name ?? '';
  const [status, selectors] = await Promise.all([
    session.call('cloudtrail', accountId, region, 'GetTrailStatus', (c, o) =>
      c.send(new GetTrailStatusCommand({ Name }), o),
    ),
    session.call('cloudtrail', accountId, region, 'GetEventSelectors', (c, o) =>
      c.send(new GetEventSelectorsCommand({ TrailName: Name }), o),
    ),
  ]);
  return {
    body: {
      name: trail.Name ?? '',
      arn: trail.TrailARN ?? '',
      home_region: region,
      is_multi_region_trail: trail.IsMultiRegionTrail === true,
      is_organization_trail: trail.IsOrganizationTrail === true,
      is_logging: status.IsLogging === true,
      log_file_validation_enabled: trail.LogFileValidationEnabled === true,
      kms_key_id: trail.KmsKeyId ? trail.KmsKeyId : null,
      s3_bucket_name: trail.S3BucketName ?? null,
      include_global_service_events: trail.IncludeGlobalServiceEvents === true,
      management_events: managementEvents(selectors),
    },
    raw: { GetTrailStatus: rawResponse(status), GetEventSelectors: rawResponse(selectors) },
  };
}

async function describeTrails(session: AwsSession, accountId: string, region: string, shadow: boolean) {
  return session.call('cloudtrail', accountId, region, 'DescribeTrails', (c, o) =>
    c.send(new DescribeTrailsCommand({ includeShadowTrails: shadow }), o),
  );
}

/** CloudTrail trails, listed in their home region. */
export const cloudtrailTrailCollector: KindCollector = {
  kind: 'cloudtrail-trail',
  schema_version: '1.0.0',
  placement: 'regional',
  async list(session, accountId, region) {
    const r = await describeTrails(session, accountId, region, false);
    return (r.trailList ?? [])
      .filter((t) => t.Name && (t.HomeRegion ?? region) === region)
      .map((t) => ({
        kind: 'cloudtrail-trail',
        account_id: accountId,
        region,
        native_id: t.Name ?? '',
        name: t.Name ?? '',
        properties: { account_id: accountId, region, arn: t.TrailARN ?? '' },
      }));
  },
  async read(session, at) {
    const r = await session.call('cloudtrail', at.account_id, at.region, 'DescribeTrails', (c, o) =>
      c.send(new DescribeTrailsCommand({ trailNameList: [at.native_id], includeShadowTrails: false }), o),
    );
    const t = (r.trailList ?? []).find((x) => x.Name === at.native_id);
    if (!t) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `trail ${at.native_id} not found in ${at.region}`,
      });
    }
    const got = await readTrail(session, at.account_id, t);
    return { body: got.body, raw: { DescribeTrails: rawResponse(r), ...got.raw } };
  },
};

/** The account-wide CloudTrail view (CIS 3.1): every trail the account has, shadow copies removed. */
export const cloudtrailAccountCollector: KindCollector = {
  kind: 'cloudtrail-account',
  schema_version: '1.0.0',
  placement: 'global',
  async list(_session, accountId) {
    return [
      {
        kind: 'cloudtrail-account',
        account_id: accountId,
        region: 'global',
        native_id: accountId,
        name: `cloudtrail ${accountId}`,
        properties: { account_id: accountId, region: 'global' },
      },
    ];
  },
  async read(session, at) {
    const regions = [...new Set([session.homeRegion, ...session.regions])];
    const seen = new Map<string, Trail>();
    const raw: Record<string, unknown> = {};
    for (const region of regions) {
      const r = await describeTrails(session, at.account_id, callRegion(session, { region }), true);
      raw[`DescribeTrails:${region}`] = rawResponse(r);
      for (const t of r.trailList ?? []) if (t.TrailARN && !seen.has(t.TrailARN)) seen.set(t.TrailARN, t);
    }
    const trails = [];
    for (const t of [...seen.values()].sort((a, b) => (a.TrailARN ?? '').localeCompare(b.TrailARN ?? ''))) {
      const got = await readTrail(session, at.account_id, t);
      trails.push(got.body);
      raw[`trail:${t.TrailARN}`] = got.raw;
    }
    return { body: { account_id: at.account_id, trails }, raw };
  },
};
