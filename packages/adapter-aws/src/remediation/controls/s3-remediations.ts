// Remediations of the S3 (bucket policies, public access blocks, encryption, logging, versioning, ACLs)
// controls. `automation` says which run unattended (`auto`: low blast radius, exact inverse) and which need
// approval (reversible, but able to break workloads).
import {
  addSecureTransportStatement,
  deletePublicBucketPolicy,
  enableBucketVersioning,
  makeBucketAclPrivate,
  putAccountPab,
  putBucketEncryptionKms,
  putBucketLogging,
  putBucketPab,
} from '../s3-steps.ts';
import type { ControlRemediation, PlannedStep } from '../control-remediations.ts';
import type { Cfg } from './remediation-helpers.ts';
import { obj, list, needDefault, publicAllow } from './remediation-helpers.ts';

/** The S3 controls' remediations. */
export const S3_REMEDIATIONS: readonly ControlRemediation[] = [
  {
    control_id: 'cis-storage-secure-transport',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary:
      's3:PutBucketPolicy adding a Deny statement for aws:SecureTransport=false, merged into the existing policy',
    rollback: 's3:PutBucketPolicy with the captured document, or s3:DeleteBucketPolicy if there was none',
    plan(config, at) {
      const stmts = list(obj(config['policy'])['statements']);
      const ok = stmts.some(
        (s) =>
          s['effect'] === 'Deny' &&
          list(s['principals']).some((p) => p['id'] === '*') &&
          list(s['conditions']).some(
            (c) => c['key'] === 'aws:SecureTransport' && list(c['values']).includes('false' as never),
          ),
      );
      if (ok) return [];
      return [
        {
          op: addSecureTransportStatement,
          description: `Add a Deny-insecure-transport statement to the policy of bucket ${at.native_id}`,
          params: {},
          project: (c) => {
            const doc = (c['policy'] as Cfg | null) ?? { version: '2012-10-17', statements: [] };
            c['policy'] = {
              ...doc,
              version: doc['version'] ?? '2012-10-17',
              statements: [
                ...list(doc['statements']),
                {
                  sid: 'SegDenyInsecureTransport',
                  effect: 'Deny',
                  principals: [{ type: 'AWS', id: '*' }],
                  not_principals: [],
                  actions: ['s3:*'],
                  not_actions: [],
                  resources: [`arn:aws:s3:::${at.native_id}`, `arn:aws:s3:::${at.native_id}/*`],
                  not_resources: [],
                  conditions: [{ operator: 'Bool', key: 'aws:SecureTransport', values: ['false'] }],
                },
              ],
            };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-public-access-block',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary:
      's3:PutPublicAccessBlock with all four flags on; s3:DeleteBucketPolicy as well when the policy allows Principal "*" (that step needs approval)',
    rollback:
      's3:PutPublicAccessBlock with the captured flags or s3:DeletePublicAccessBlock; s3:PutBucketPolicy with the captured document',
    plan(config, at) {
      const steps: PlannedStep[] = [];
      const pab = config['public_access_block'] as Cfg | null;
      if (!pab || Object.values(pab).some((v) => v !== true)) {
        steps.push({
          op: putBucketPab,
          description: `Turn on all four Block Public Access flags of bucket ${at.native_id}`,
          params: {},
          project: (c) => {
            c['public_access_block'] = {
              block_public_acls: true,
              ignore_public_acls: true,
              block_public_policy: true,
              restrict_public_buckets: true,
            };
          },
        });
      }
      if (list(obj(config['policy'])['statements']).some(publicAllow)) {
        steps.push({
          op: deletePublicBucketPolicy,
          description: `Delete the policy of bucket ${at.native_id}: it allows Principal "*" without conditions`,
          params: {},
          needs_approval: true,
          project: (c) => {
            c['policy'] = null;
          },
        });
      }
      return steps;
    },
  },
  {
    control_id: 'cis-storage-account-public-access-block',
    kind: 's3-account',
    automation: 'auto',
    risk: 'low',
    summary: 's3control:PutPublicAccessBlock for the account with all four flags on',
    rollback:
      's3control:PutPublicAccessBlock with the captured flags, or s3control:DeletePublicAccessBlock if there was none',
    plan(config, at) {
      const pab = config['public_access_block'] as Cfg | null;
      if (pab && Object.values(pab).every((v) => v === true)) return [];
      return [
        {
          op: putAccountPab,
          description: `Turn on account-level Block Public Access in ${at.account_id}`,
          params: {},
          project: (c) => {
            c['public_access_block'] = {
              block_public_acls: true,
              ignore_public_acls: true,
              block_public_policy: true,
              restrict_public_buckets: true,
            };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-default-encryption-kms',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary: 's3:PutBucketEncryption with SSE-KMS (the configured key, or aws/s3) and bucket keys on',
    rollback:
      's3:PutBucketEncryption with the captured configuration, or s3:DeleteBucketEncryption if there was none',
    plan(config, at, d) {
      const rules = list(obj(config['encryption'])['rules']);
      if (rules.some((r) => r['sse_algorithm'] === 'aws:kms')) return [];
      const key = d.bucket_kms_key_id;
      return [
        {
          op: putBucketEncryptionKms,
          description: `Encrypt new objects of bucket ${at.native_id} with SSE-KMS by default`,
          params: key ? { kms_key_id: key } : {},
          project: (c) => {
            c['encryption'] = {
              rules: [{ sse_algorithm: 'aws:kms', kms_master_key_id: key ?? null, bucket_key_enabled: true }],
            };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-access-logging',
    kind: 'bucket',
    automation: 'auto',
    risk: 'low',
    summary: 's3:PutBucketLogging to the configured access-log bucket, prefix <bucket>/',
    rollback: 's3:PutBucketLogging with the captured setting (an empty status turns logging off)',
    plan(config, at, d) {
      if (config['logging']) return [];
      const target = needDefault(d, 'access_log_bucket', 'cis-storage-access-logging');
      return [
        {
          op: putBucketLogging,
          description: `Deliver server access logs of bucket ${at.native_id} to ${target}`,
          params: { target_bucket: target, target_prefix: `${at.native_id}/` },
          project: (c) => {
            c['logging'] = { target_bucket: target, target_prefix: `${at.native_id}/` };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-versioning',
    kind: 'bucket',
    automation: 'approval',
    risk: 'medium',
    summary: 's3:PutBucketVersioning Status=Enabled',
    rollback:
      's3:PutBucketVersioning Status=Suspended: not an exact inverse, a bucket never returns to unversioned',
    plan(config, at) {
      if (obj(config['versioning'])['status'] === 'Enabled') return [];
      return [
        {
          op: enableBucketVersioning,
          description: `Enable versioning of bucket ${at.native_id} (rollback can only suspend it)`,
          params: {},
          project: (c) => {
            c['versioning'] = { ...obj(c['versioning']), status: 'Enabled' };
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-storage-no-public-acl',
    kind: 'bucket',
    automation: 'approval',
    risk: 'high',
    summary: 's3:PutBucketAcl private and s3:PutBucketOwnershipControls BucketOwnerEnforced',
    rollback:
      's3:PutBucketOwnershipControls / DeleteBucketOwnershipControls to the captured ownership, then s3:PutBucketAcl with the captured grants',
    plan(config, at) {
      const grants = list(obj(config['acl'])['grants']);
      const pub = grants.some((g) =>
        /\/global\/(AllUsers|AuthenticatedUsers)$/.test(String(g['grantee_uri'] ?? '')),
      );
      if (!pub && obj(config['ownership_controls'])['object_ownership'] === 'BucketOwnerEnforced') return [];
      return [
        {
          op: makeBucketAclPrivate,
          description: `Make the ACL of bucket ${at.native_id} private and disable ACLs (BucketOwnerEnforced)`,
          params: {},
          project: (c) => {
            const acl = obj(c['acl']);
            c['acl'] = {
              ...acl,
              grants: list(acl['grants']).filter(
                (g) => g['grantee_type'] === 'CanonicalUser' && g['grantee_id'] === acl['owner_id'],
              ),
            };
            c['ownership_controls'] = { object_ownership: 'BucketOwnerEnforced' };
          },
        },
      ];
    },
  },
];
