// A corpus of fake secrets of many kinds, in the shapes real ones have (prefixes, lengths, alphabets), made
// from a seeded hash so that every run makes the same values and none of them is anybody's credential.
import { createHash } from 'node:crypto';

/** One seeded secret: its kind and value. */
export interface SeededSecret {
  kind: string;
  value: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const BASE64 = ALNUM + '+/';
const URLSAFE = ALNUM + '-_';
const HEX = '0123456789abcdef';

// Deterministic characters from `alphabet`: sha256 of (seed, counter), one byte per character.
function chars(seed: string, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i += 1) {
    for (const byte of createHash('sha256').update(`${seed}:${i}`).digest()) {
      if (out.length === length) break;
      out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

function pem(label: string, seed: string, lines: number, end = true): string {
  const body = Array.from(
    { length: lines },
    (_, i) => (i === 0 ? 'MII' : '') + chars(`${seed}${i}`, BASE64, 64),
  ).map((l) => l.slice(0, 64));
  const block = [`-----BEGIN ${label}-----`, ...body];
  if (end) block.push(`-----END ${label}-----`);
  return block.join('\n');
}

function jwt(seed: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64(
    JSON.stringify({ sub: chars(`${seed}s`, DIGITS, 10), name: 'svc-deploy', iat: 1767225600 }),
  );
  return `${header}.${payload}.${chars(`${seed}g`, URLSAFE, 43)}`;
}

/**
 * At least 30 kinds of secret: AWS (access key id, bare and labelled secret keys, one under
 * `SecretAccessKey`), GitHub, GitLab, Slack, Stripe, Twilio, SendGrid, npm, PyPI, OpenAI, a JWT, private keys
 * (RSA, EC, OpenSSH, PGP, one without its END line), basic-auth URLs, database connection strings,
 * passwords under keywords, Azure storage keys, Discord, Telegram, Mailchimp, Square, Artifactory.
 */
export function secretCorpus(): SeededSecret[] {
  const s = (kind: string, value: string): SeededSecret => ({ kind, value });
  return [
    s('aws_access_key_id', `AKIA${chars('akid', UPPER + '234567', 16)}`),
    s('aws_secret_access_key_bare', chars('aws-bare', BASE64, 40)),
    s('aws_secret_access_key_labelled', `aws_secret_access_key = ${chars('aws-label', BASE64, 40)}`),
    s('aws_secret_access_key_field', JSON.stringify({ SecretAccessKey: chars('aws-field', BASE64, 40) })),
    s('aws_session_token', `aws_session_token=${chars('aws-sts', BASE64, 120)}`),
    s('github_pat_classic', `ghp_${chars('ghp', ALNUM, 36)}`),
    s('github_oauth', `gho_${chars('gho', ALNUM, 36)}`),
    s(
      'github_fine_grained',
      `github_pat_11${chars('ghfg1', UPPER + DIGITS, 20)}_${chars('ghfg2', ALNUM, 59)}`,
    ),
    s('gitlab_pat', `glpat-${chars('glpat', URLSAFE, 20)}`),
    s(
      'slack_bot_token',
      `xoxb-${chars('sl1', DIGITS, 12)}-${chars('sl2', DIGITS, 13)}-${chars('sl3', ALNUM, 24)}`,
    ),
    s(
      'slack_webhook',
      `https://hooks.slack.com/services/T${chars('sw1', UPPER + DIGITS, 8)}/B${chars('sw2', UPPER + DIGITS, 10)}/${chars('sw3', ALNUM, 24)}`,
    ),
    s('stripe_live_secret', `sk_live_${chars('stripe', ALNUM, 99)}`),
    s('stripe_restricted', `rk_live_${chars('stripe-rk', ALNUM, 99)}`),
    s('twilio_api_key', `SK${chars('twilio-sk', HEX, 32)}`),
    s('twilio_account_sid', `AC${chars('twilio-ac', HEX, 32)}`),
    s('sendgrid', `SG.${chars('sg1', URLSAFE, 22)}.${chars('sg2', URLSAFE, 43)}`),
    s('npm_token', `npm_${chars('npm', ALNUM, 36)}`),
    s('pypi_token', `pypi-AgEIcHlwaS5vcmc${chars('pypi', URLSAFE, 120)}`),
    s('openai_key', `sk-${chars('oa1', ALNUM, 20)}T3BlbkFJ${chars('oa2', ALNUM, 20)}`),
    s('jwt', jwt('jwt')),
    s('rsa_private_key', pem('RSA PRIVATE KEY', 'rsa', 8)),
    s('ec_private_key', pem('EC PRIVATE KEY', 'ec', 3)),
    s(
      'openssh_private_key',
      pem('OPENSSH PRIVATE KEY', 'ossh', 6).replace('\nMII', '\nb3BlbnNzaC1rZXktdjEAAAAA'),
    ),
    s('pgp_private_key', pem('PGP PRIVATE KEY BLOCK', 'pgp', 6)),
    s('private_key_without_end', pem('PRIVATE KEY', 'noend', 5, false)),
    s('basic_auth_url', `https://deploy:${chars('bau', ALNUM, 16)}@ci.internal.example.org/hooks`),
    s('postgres_url', `postgres://app_rw:${chars('pgu', ALNUM, 18)}@db.internal.example.org:5432/orders`),
    s('mongodb_url', `mongodb+srv://svc:${chars('mgu', ALNUM, 18)}@cluster0.example.mongodb.net/prod`),
    s('password_keyword', JSON.stringify({ password: `${chars('pw1', ALNUM, 14)}!` })),
    s('db_password_assignment', `DB_PASSWORD="${chars('pw2', ALNUM, 16)}"`),
    s(
      'azure_storage_key',
      `DefaultEndpointsProtocol=https;AccountName=segdata;AccountKey=${chars('az', BASE64, 86)}==;EndpointSuffix=core.windows.net`,
    ),
    s(
      'discord_bot_token',
      `MT${chars('dc1', ALNUM, 24)}.${chars('dc2', URLSAFE, 6)}.${chars('dc3', URLSAFE, 38)}`,
    ),
    s('telegram_bot_token', `${chars('tg1', DIGITS, 10)}:AA${chars('tg2', URLSAFE, 33)}`),
    s('mailchimp_key', `${chars('mc', HEX, 32)}-us14`),
    s('square_oauth_secret', `sq0csp-${chars('sq', URLSAFE, 43)}`),
    s('artifactory_token', `AKCp${chars('art', ALNUM, 69)}`),
    s('bearer_token', `Authorization: Bearer ${chars('bearer', URLSAFE, 48)}`),
  ];
}
