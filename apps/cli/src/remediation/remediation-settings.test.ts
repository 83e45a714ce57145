import { describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import { parseRemediationSettings } from './remediation-settings.ts';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (isSegError(err) && err.error_code === 'SEG_INVALID_ARGUMENT') return err.message;
    throw err;
  }
  throw new Error('expected SEG_INVALID_ARGUMENT');
}

describe('parseRemediationSettings', () => {
  it('turns key=value pairs into the AWS remediation defaults', () => {
    expect(
      parseRemediationSettings([
        'access_log_bucket=acme-logs',
        'admin_ports=22,3389,5985',
        'trail_kms_key_id=k=v',
      ]),
    ).toEqual({ access_log_bucket: 'acme-logs', admin_ports: [22, 3389, 5985], trail_kms_key_id: 'k=v' });
    expect(parseRemediationSettings([])).toEqual({});
  });

  it('names an unknown key, a pair without = and a bad value', () => {
    expect(messageOf(() => parseRemediationSettings(['log_bucket=x']))).toMatch(
      /^--set: unknown setting log_bucket \(keys: access_log_bucket, /,
    );
    expect(messageOf(() => parseRemediationSettings(['access_log_bucket']))).toMatch(
      /^--set takes key=value/,
    );
    expect(messageOf(() => parseRemediationSettings(['admin_ports=ssh']))).toBe(
      '--set: admin_ports: must be comma-separated port numbers',
    );
  });
});
