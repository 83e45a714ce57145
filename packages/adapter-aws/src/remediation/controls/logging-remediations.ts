// Remediations of the logging (CloudTrail, KMS key rotation, VPC flow logs) controls. `automation` says which
// run unattended (`auto`: low blast radius, exact inverse) and which need approval (reversible, but able to
// break workloads).
import { createVpcFlowLog } from '../ec2-steps.ts';
import type { ControlRemediation, PlannedStep } from '../control-remediations.ts';
import { SegError } from '@neurocipher/seg-contracts';
import type { Cfg } from './remediation-helpers.ts';
import { list, needDefault } from './remediation-helpers.ts';
import { enableKeyRotation, startTrailLogging, updateTrail } from '../service-steps.ts';

/** The logging controls' remediations. */
export const LOGGING_REMEDIATIONS: readonly ControlRemediation[] = [
  {
    control_id: 'cis-logging-cloudtrail-log-validation',
    kind: 'cloudtrail-trail',
    automation: 'auto',
    risk: 'low',
    summary: 'cloudtrail:UpdateTrail EnableLogFileValidation=true',
    rollback: 'cloudtrail:UpdateTrail with the captured EnableLogFileValidation',
    plan(config, at) {
      if (config['log_file_validation_enabled'] === true) return [];
      return [
        {
          op: updateTrail,
          description: `Turn on log file validation of trail ${at.native_id}`,
          params: { trail_name: at.native_id, set: { EnableLogFileValidation: true } },
          project: (c) => {
            c['log_file_validation_enabled'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-kms-rotation',
    kind: 'kms-key',
    automation: 'auto',
    risk: 'low',
    summary: 'kms:EnableKeyRotation',
    rollback: 'kms:DisableKeyRotation when rotation was off',
    plan(config, at) {
      if (config['rotation_enabled'] !== false || config['key_manager'] !== 'CUSTOMER') return [];
      return [
        {
          op: enableKeyRotation,
          description: `Turn on automatic rotation of KMS key ${at.native_id}`,
          params: {},
          project: (c) => {
            c['rotation_enabled'] = true;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-vpc-flow-logs',
    kind: 'vpc',
    automation: 'auto',
    risk: 'low',
    summary: 'ec2:CreateFlowLogs (ALL traffic) to the configured S3 flow-log bucket',
    rollback: 'ec2:DeleteFlowLogs of the flow logs the apply created',
    plan(config, at, d) {
      if (
        list(config['flow_logs']).some((f) => f['traffic_type'] === 'ALL' || f['traffic_type'] === 'REJECT')
      )
        return [];
      const bucket = needDefault(d, 'flow_log_bucket', 'cis-logging-vpc-flow-logs');
      return [
        {
          op: createVpcFlowLog,
          description: `Create a flow log (ALL traffic) of VPC ${at.native_id} to s3://${bucket}`,
          params: { log_destination: `arn:aws:s3:::${bucket}` },
          project: (c) => {
            c['flow_logs'] = [
              ...list(c['flow_logs']),
              {
                flow_log_id: '(assigned on apply)',
                traffic_type: 'ALL',
                status: 'ACTIVE',
                destination_type: 's3',
              },
            ];
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-cloudtrail-kms',
    kind: 'cloudtrail-trail',
    automation: 'approval',
    risk: 'medium',
    summary: 'cloudtrail:UpdateTrail KmsKeyId=<configured CMK> (its key policy must allow CloudTrail)',
    rollback: 'cloudtrail:UpdateTrail KmsKeyId=<captured>, an empty id removing encryption',
    plan(config, at, d) {
      if (config['kms_key_id']) return [];
      const key = needDefault(d, 'trail_kms_key_id', 'cis-logging-cloudtrail-kms');
      return [
        {
          op: updateTrail,
          description: `Encrypt the logs of trail ${at.native_id} with ${key}`,
          params: { trail_name: at.native_id, set: { KmsKeyId: key } },
          project: (c) => {
            c['kms_key_id'] = key;
          },
        },
      ];
    },
  },
  {
    control_id: 'cis-logging-cloudtrail-multi-region',
    kind: 'cloudtrail-account',
    automation: 'approval',
    risk: 'medium',
    summary:
      "cloudtrail:UpdateTrail IsMultiRegionTrail=true and cloudtrail:StartLogging on the account's first trail",
    rollback:
      'cloudtrail:UpdateTrail IsMultiRegionTrail=<captured>, cloudtrail:StopLogging if it was not logging',
    plan(config) {
      const trails = list(config['trails']);
      if (trails.some((t) => t['is_multi_region_trail'] === true && t['is_logging'] === true)) return [];
      const t = [...trails].sort(
        (a, b) =>
          Number(b['is_logging']) - Number(a['is_logging']) ||
          String(a['arn']).localeCompare(String(b['arn'])),
      )[0];
      if (!t) {
        throw new SegError({
          error_code: 'SEG_NOT_FOUND',
          message: 'the account has no trail to extend: create a multi-region trail by hand',
          details: { control_id: 'cis-logging-cloudtrail-multi-region' },
        });
      }
      const base = { trail_name: String(t['name']), trail_region: String(t['home_region']) };
      const idx = trails.indexOf(t);
      const steps: PlannedStep[] = [];
      if (t['is_multi_region_trail'] !== true) {
        steps.push({
          op: updateTrail,
          description: `Make trail ${String(t['name'])} multi-region`,
          params: { ...base, set: { IsMultiRegionTrail: true } },
          project: (c) => {
            (list(c['trails'])[idx] as Cfg)['is_multi_region_trail'] = true;
          },
        });
      }
      if (t['is_logging'] !== true) {
        steps.push({
          op: startTrailLogging,
          description: `Start logging on trail ${String(t['name'])}`,
          params: base,
          project: (c) => {
            (list(c['trails'])[idx] as Cfg)['is_logging'] = true;
          },
        });
      }
      return steps;
    },
  },
];
