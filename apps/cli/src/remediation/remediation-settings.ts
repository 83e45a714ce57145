import { z } from 'zod';
import type { RemediationDefaults } from '@neurocipher/seg-adapter-aws';
import { SegError } from '@neurocipher/seg-contracts';

// The settings some AWS remediations need (docs/adapters/aws.md), as `--set key=value`.
const SettingsSchema = z
  .object({
    access_log_bucket: z.string().min(1),
    flow_log_bucket: z.string().min(1),
    trail_kms_key_id: z.string().min(1),
    bucket_kms_key_id: z.string().min(1),
    support_role_trusted_principal: z.string().min(1),
    admin_ports: z
      .string()
      .regex(/^\d{1,5}(,\d{1,5})*$/, 'must be comma-separated port numbers')
      .transform((s) => s.split(',').map(Number)),
  })
  .partial()
  .strict();

/** Keys `seg plan --set` accepts. */
export const REMEDIATION_SETTING_KEYS: readonly string[] = Object.keys(SettingsSchema.shape);

/**
 * Parses `--set key=value` pairs into the AWS remediation defaults (log buckets, KMS keys, support-role
 * principal, admin ports). An unknown key, a pair without `=` or a bad value is `SEG_INVALID_ARGUMENT`.
 */
export function parseRemediationSettings(pairs: readonly string[]): RemediationDefaults {
  const raw: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: `--set takes key=value, got ${JSON.stringify(pair)} (keys: ${REMEDIATION_SETTING_KEYS.join(', ')})`,
      });
    }
    raw[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `unknown setting ${i.keys.join(', ')} (keys: ${REMEDIATION_SETTING_KEYS.join(', ')})`
        : `${i.path.join('.')}: ${i.message}`,
    );
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `--set: ${issues.join('; ')}`,
      details: { issues },
    });
  }
  return parsed.data;
}
