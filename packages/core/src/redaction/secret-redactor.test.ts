import { describe, expect, it } from '@jest/globals';
import { SecretRedactor } from './secret-redactor.ts';

// Realistic-looking fakes, never real credentials.
const AWS_SECRET = 'q7Hn2vKx9LmP4sTw8YzB3cRf6Gj1Nd5Vh0Xk2Ea7';
const AWS_KEY_ID = 'AKIAZ3MHALO4PQ7X2JRB';
const GITHUB = 'ghp_4kF9zQ2mX7bT1cV8nL3pR6sW0yH5jD2gA9eK';
const PEM_BODY = 'MIIEowIBAAKCAQEA1c7v9Yk2Lm3Qx8ZbXh3pT6wRq9VtB5nJ0sLg4HdE2fK7mYzW8uC1aN3';

async function one(value: unknown) {
  const [out] = await new SecretRedactor().redact([value]);
  return out!;
}

describe('SecretRedactor', () => {
  describe('#redact', () => {
    it('redacts emails, AWS keys, private keys and bearer tokens (the old hand list) and counts kinds', async () => {
      const out = await one({
        owner: 'alice@example.com',
        key: AWS_KEY_ID,
        secret: `aws_secret_access_key = ${AWS_SECRET}`,
        pem: `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`,
        header: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl',
        note: 'ok',
      });
      const text = JSON.stringify(out.value);
      for (const secret of ['alice@example.com', AWS_KEY_ID, AWS_SECRET, PEM_BODY, 'eyJhbGci'])
        expect(text).not.toContain(secret);
      expect(out.value).toMatchObject({
        header: 'Authorization: Bearer [REDACTED:bearer_token]',
        note: 'ok',
      });
      expect(out.redactions.map((r) => r.kind)).toEqual([
        'aws_access_key_id',
        'bearer_token',
        'email',
        'private_key',
        'secret',
      ]);
    });

    it('finds a bare 40-character AWS secret, also under a field named SecretAccessKey', async () => {
      const out = await one({ SecretAccessKey: AWS_SECRET, note: `rotated to ${AWS_SECRET} today` });
      expect(out.value).toEqual({
        SecretAccessKey: '[REDACTED:secret_access_key]',
        note: 'rotated to [REDACTED:high_entropy_string] today',
      });
    });

    it('finds passwords by field name, in key/value pairs and assigned in text', async () => {
      const out = await one({
        password: 'hunter2',
        DbPassword: 'correct horse battery staple',
        Tags: [
          { Key: 'db_password', Value: 'Tr0ub4dor&3' },
          { Key: 'env', Value: 'prod' },
        ],
        user_data: 'export DB_PASSWORD=s3cr3t-Pa55 && run',
        conn: 'Server=db;User Id=app;Password=Zx9!qLm2;',
        SessionToken: 'IQoJb3JpZ2luX2VjEJr/wEaCXVzLWVhc3QtMSJH',
      });
      expect(out.value).toEqual({
        password: '[REDACTED:password]',
        DbPassword: '[REDACTED:db_password]',
        Tags: [
          { Key: 'db_password', Value: '[REDACTED:db_password]' },
          { Key: 'env', Value: 'prod' },
        ],
        user_data: 'export DB_PASSWORD=[REDACTED:password] && run',
        conn: 'Server=db;User Id=app;Password=[REDACTED:password];',
        SessionToken: '[REDACTED:session_token]',
      });
    });

    it('keeps the values of fields that describe a secret or are settings: dates, booleans, numbers, ARNs', async () => {
      const input = {
        PasswordLastUsed: '2026-03-01T10:00:00Z',
        password_enabled: 'true',
        MinimumPasswordLength: 14,
        RequireSymbols: true,
        password_last_changed: 'N/A',
        SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
        token_expiry: '2026-12-31',
        access_key_1_active: 'false',
        http_tokens: 'required',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        TokenType: 'Bearer',
      };
      const out = await one(input);
      expect(out.value).toEqual(input);
      expect(out.redactions).toEqual([]);
    });

    it('finds a PEM key without its END line and a ghp_ token', async () => {
      const out = await one([`-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}`, `token ${GITHUB} here`]);
      expect(out.value).toEqual(['[REDACTED:private_key]', 'token [REDACTED:github_token] here']);
    });

    it('uses the maintained rule set: Slack, Stripe, npm, GitLab, SendGrid, basic auth URLs', async () => {
      const secrets = [
        'xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1',
        'sk_live_51HqLyjWDarjtT1zdp7dc4Kq8lP3yZ9xW2mN5vB7cX1',
        'npm_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R',
        'glpat-9xQ2mZ7bT1cV8nL3pR6s',
        'SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01',
      ];
      const out = await one({
        notes: secrets.map((s) => `value: ${s};`),
        url: 'https://deploy:Wq8#zP2m@ci.example.org/x',
      });
      const text = JSON.stringify(out.value);
      for (const s of secrets) expect(text).not.toContain(s);
      expect((out.value as { url: unknown }).url).toBe('https://[REDACTED]@ci.example.org/x');
    });

    it('spares hex digests, UUIDs, ARNs, URNs and ordinary names', async () => {
      const input = [
        'a3f5c7e9b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4',
        '3f2b8c1e-9d4a-4b7e-8f1c-2a3b4c5d6e7f',
        'arn:aws:iam::123456789012:role/service-role/AWSServiceRoleForSupportAndMaintenance',
        'urn:asset:aws:s3-bucket:123456789012:us-east-1:prod-customer-uploads-eu-west-1-archive',
        'Bucket prod-customer-uploads has no default encryption',
        'sg-0a1b2c3d4e5f67890',
      ];
      const out = await one(input);
      expect(out.value).toEqual(input);
    });

    it('examines the strings of one call together without letting a match run from one into the next', async () => {
      const [a, b] = await new SecretRedactor().redact([
        `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}`,
        'release notes\n-----END PRIVATE KEY----- and more',
      ]);
      expect(a!.value).toBe('[REDACTED:private_key]');
      expect(b).toEqual({ value: 'release notes\n-----END PRIVATE KEY----- and more', redactions: [] });
    });

    it('gives the same result on its own thread as on the calling thread', async () => {
      const values = [{ a: `key ${AWS_KEY_ID}`, b: GITHUB, c: ['plain text here', `x ${AWS_SECRET}`] }];
      const threaded = new SecretRedactor({ thread: true, threadMinTexts: 1 });
      try {
        const [inline] = await new SecretRedactor().redact(values);
        const [off] = await threaded.redact(values);
        expect(off).toEqual(inline);
        expect(off!.redactions.length).toBeGreaterThan(0);
      } finally {
        await threaded.close();
      }
    });

    it('cannot be switched off by a secretlint-disable comment in the data', async () => {
      const out = await one(`// secretlint-disable\n${GITHUB}\n// secretlint-enable`);
      expect(out.value).not.toContain(GITHUB);
    });

    it('is idempotent, leaves its input unchanged, and gives the same result across batches', async () => {
      const redactor = new SecretRedactor({ batchSize: 2 });
      const input = { a: `key ${AWS_KEY_ID}`, b: [`key ${AWS_KEY_ID}`, 'plain text here'], n: 3 };
      const copy = structuredClone(input);
      const [first, second] = await redactor.redact([input, input]);
      expect(input).toEqual(copy);
      expect(second).toEqual(first);
      expect(first!.redactions).toEqual([{ kind: 'aws_access_key_id', count: 2 }]);
      const [again] = await redactor.redact([first!.value]);
      expect(again).toEqual({ value: first!.value, redactions: [] });
    });
  });
});
