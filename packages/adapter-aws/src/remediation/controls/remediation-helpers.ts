// Small helpers the per-service remediation lists share: config readers, the adapter defaults a plan
// needs, the password-policy step and the public-statement test.
import type { ControlRemediation, RemediationDefaults } from '../control-remediations.ts';
import { SegError } from '@neurocipher/seg-contracts';
import { updatePasswordPolicy } from '../iam-steps.ts';

/** A config document (or a part of one) as plain JSON. */
export type Cfg = Record<string, unknown>;
/** The value as an object ({} when absent). */
export const obj = (v: unknown) => (v ?? {}) as Cfg;
/** The value as a list of objects ([] when not an array). */
export const list = (v: unknown) => (Array.isArray(v) ? v : []) as Cfg[];

/** An adapter default a plan cannot do without; `SEG_INVALID_ARGUMENT` naming it when unset. */
export function needDefault(d: RemediationDefaults, key: keyof RemediationDefaults, control: string): string {
  const v = d[key];
  if (typeof v !== 'string' || !v) {
    throw new SegError({
      error_code: 'SEG_INVALID_ARGUMENT',
      message: `remediation of ${control} needs the adapter default ${key}`,
      details: { control_id: control, missing: key },
    });
  }
  return v;
}

const EMPTY_PASSWORD_POLICY = {
  minimum_password_length: 6,
  require_symbols: false,
  require_numbers: false,
  require_uppercase_characters: false,
  require_lowercase_characters: false,
  allow_users_to_change_password: false,
  max_password_age: null,
  password_reuse_prevention: null,
  hard_expiry: null,
};

/** The plan of a password-policy control: raise one field to `min`, keeping the policy's other settings. */
export function passwordStep(
  field: 'MinimumPasswordLength' | 'PasswordReusePrevention',
  key: string,
  min: number,
): ControlRemediation['plan'] {
  return (config) => {
    const pp = config['password_policy'] as Cfg | null;
    if (pp && typeof pp[key] === 'number' && (pp[key] as number) >= min) return [];
    return [
      {
        op: updatePasswordPolicy,
        description: `Set the account password policy ${field} to ${min}, keeping its other settings`,
        params: { set: { [field]: min } },
        project: (c) => {
          c['password_policy'] = {
            ...((c['password_policy'] as Cfg | null) ?? EMPTY_PASSWORD_POLICY),
            [key]: min,
          };
        },
      },
    ];
  };
}

/** Whether a policy statement allows everyone (`*`) without conditions. */
export const publicAllow = (s: Cfg) =>
  s['effect'] === 'Allow' &&
  list(s['principals']).some((p) => p['id'] === '*') &&
  list(s['conditions']).length === 0;
