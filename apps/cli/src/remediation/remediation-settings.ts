import type { RemediationDefaults } from '@neurocipher/seg-adapter-aws';
import { SegError } from '@neurocipher/seg-contracts';
import { RemediationSettingsSchema } from '@neurocipher/seg-runtime';

/** Keys `seg plan --set` accepts. */
export const REMEDIATION_SETTING_KEYS: readonly string[] = Object.keys(RemediationSettingsSchema.shape);

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
  const parsed = RemediationSettingsSchema.safeParse(raw);
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
