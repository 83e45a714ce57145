import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SegError } from '@neurocipher/seg-contracts';
import { awsCall, DEFAULT_RETRY, type RetryPolicy } from './aws-call.ts';

/** One AWS account in scope and the role SEG assumes in it (no long-lived keys, spec §8.1). */
export interface AwsAccount {
  account_id: string;
  role_arn: string;
  external_id?: string;
}

/** Temporary or test credentials in the SDK's shape. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** The AWS SDK v3 clients the adapter uses, by service name. */
export interface AwsServiceClients {
  s3: S3Client;
  s3control: S3ControlClient;
  iam: IAMClient;
  ec2: EC2Client;
  kms: KMSClient;
  cloudtrail: CloudTrailClient;
  rds: RDSClient;
}

/** A service name of {@link AwsServiceClients}. */
export type AwsService = keyof AwsServiceClients;

/** Anything with an SDK middleware stack: every client, passed to {@link AwsSessionOptions.decorateClient}. */
export interface DecoratableClient {
  middlewareStack: { add: (...args: never[]) => void };
}

/** Options of {@link AwsSession}. */
export interface AwsSessionOptions {
  /** Accounts in scope, each with the role to assume. */
  accounts: readonly AwsAccount[];
  /** Regions to fan out over when a scope names none; default `['us-east-1']`. */
  regions?: readonly string[];
  /** Region of global services (IAM, STS, S3 ListBuckets); default the first region. */
  homeRegion?: string;
  /**
   * A custom endpoint (moto, a VPC endpoint proxy): enables path-style S3 and the S3 Control endpoint
   * override (the account-id host prefix would make an invalid host, notes/moto.md §4.2).
   */
  endpoint?: string;
  /**
   * Credentials of the principal that calls STS AssumeRole. Leave unset in production (the SDK default
   * chain: instance role, SSO, web identity). Static values are for the simulator's test principal only.
   */
  baseCredentials?: AwsCredentials;
  /** RoleSessionName of the assumed sessions; default `seg-adapter-aws`. */
  roleSessionName?: string;
  /** Assumed-session lifetime in seconds; default 900. */
  sessionDurationSeconds?: number;
  /** Timeout of one AWS call attempt in ms; default 10,000. */
  requestTimeoutMs?: number;
  /** Retry policy for throttles and transient failures. */
  retry?: RetryPolicy;
  /** Calls in flight at once when fanning out over accounts and regions; default 4. */
  maxConcurrency?: number;
  /** Called on every client created (tracing, or fault injection in tests). */
  decorateClient?: (client: DecoratableClient, service: AwsService | 'sts') => void;
}

interface CachedCredentials {
  creds: AwsCredentials;
  refreshAt: number;
}

/**
 * Per-account, per-region AWS SDK v3 clients with STS assume-role credentials, and the single call path
 * (timeout, backoff on throttling, SegError mapping) every inventory and remediation call goes through.
 */
export class AwsSession {
  readonly accounts: readonly AwsAccount[];
  readonly regions: readonly string[];
  readonly homeRegion: string;
  readonly maxConcurrency: number;
  readonly requestTimeoutMs: number;
  readonly #options: AwsSessionOptions;
  readonly #clients = new Map<string, unknown>();
  readonly #creds = new Map<string, Promise<CachedCredentials>>();
  #sts: STSClient | undefined;

  constructor(options: AwsSessionOptions) {
    if (options.accounts.length === 0) {
      throw new SegError({
        error_code: 'SEG_INVALID_ARGUMENT',
        message: 'AwsSession needs at least one account',
      });
    }
    this.#options = options;
    this.accounts = options.accounts;
    this.regions = options.regions && options.regions.length > 0 ? options.regions : ['us-east-1'];
    this.homeRegion = options.homeRegion ?? this.regions[0] ?? 'us-east-1';
    this.maxConcurrency = options.maxConcurrency ?? 4;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** The configured account with this id; `SEG_NOT_FOUND` when it is not in scope. */
  account(accountId: string): AwsAccount {
    const found = this.accounts.find((a) => a.account_id === accountId);
    if (!found) {
      throw new SegError({
        error_code: 'SEG_NOT_FOUND',
        message: `account ${accountId} is not configured for this adapter`,
        details: { account_id: accountId },
      });
    }
    return found;
  }

  #baseConfig(region: string) {
    const timeout = this.requestTimeoutMs;
    return {
      region,
      maxAttempts: 1, // retries are ours (awsCall), so backoff and error mapping live in one place
      requestHandler: new NodeHttpHandler({ connectionTimeout: timeout, requestTimeout: timeout }),
      ...(this.#options.endpoint ? { endpoint: this.#options.endpoint } : {}),
    };
  }

  #stsClient(): STSClient {
    if (!this.#sts) {
      this.#sts = new STSClient({
        ...this.#baseConfig(this.homeRegion),
        ...(this.#options.baseCredentials ? { credentials: { ...this.#options.baseCredentials } } : {}),
      });
      this.#options.decorateClient?.(this.#sts as unknown as DecoratableClient, 'sts');
    }
    return this.#sts;
  }

  async #assume(account: AwsAccount): Promise<CachedCredentials> {
    const duration = this.#options.sessionDurationSeconds ?? 900;
    const out = await awsCall(
      { service: 'sts', operation: 'AssumeRole', account_id: account.account_id },
      (abortSignal) =>
        this.#stsClient().send(
          new AssumeRoleCommand({
            RoleArn: account.role_arn,
            RoleSessionName: this.#options.roleSessionName ?? 'seg-adapter-aws',
            DurationSeconds: duration,
            ...(account.external_id ? { ExternalId: account.external_id } : {}),
          }),
          { abortSignal },
        ),
      { timeoutMs: this.requestTimeoutMs, retry: this.#options.retry ?? DEFAULT_RETRY },
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new SegError({
        error_code: 'SEG_ADAPTER_UNAVAILABLE',
        message: `sts:AssumeRole returned no credentials for account ${account.account_id}`,
        details: { account_id: account.account_id },
      });
    }
    const expiration = c.Expiration ?? new Date(Date.now() + duration * 1000);
    return {
      creds: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        expiration,
      },
      // Refresh five minutes before expiry (or halfway for very short sessions).
      refreshAt: expiration.getTime() - Math.min(300_000, (duration * 1000) / 2),
    };
  }

  /** Temporary credentials for `accountId`, from STS AssumeRole, cached until shortly before expiry. */
  async credentials(accountId: string): Promise<AwsCredentials> {
    const account = this.account(accountId);
    let pending = this.#creds.get(accountId);
    if (pending) {
      const cached = await pending.catch(() => undefined);
      if (!cached || cached.refreshAt <= Date.now()) pending = undefined;
    }
    if (!pending) {
      pending = this.#assume(account);
      this.#creds.set(accountId, pending);
      pending.catch(() => this.#creds.delete(accountId));
    }
    return { ...(await pending).creds };
  }

  /** The SDK client of `service` for one account and region (created once, then reused). */
  client<S extends AwsService>(service: S, accountId: string, region: string): AwsServiceClients[S] {
    const key = `${service}|${accountId}|${region}`;
    const existing = this.#clients.get(key);
    if (existing) return existing as AwsServiceClients[S];
    this.account(accountId);
    const config = {
      ...this.#baseConfig(region),
      credentials: () => this.credentials(accountId),
    };
    const endpoint = this.#options.endpoint;
    let client: AwsServiceClients[AwsService];
    switch (service) {
      case 's3':
        client = new S3Client({ ...config, ...(endpoint ? { forcePathStyle: true } : {}) });
        break;
      case 's3control':
        client = new S3ControlClient({
          ...config,
          ...(endpoint ? { endpointProvider: () => ({ url: new URL(endpoint) }) } : {}),
        });
        break;
      case 'iam':
        client = new IAMClient(config);
        break;
      case 'ec2':
        client = new EC2Client(config);
        break;
      case 'kms':
        client = new KMSClient(config);
        break;
      case 'cloudtrail':
        client = new CloudTrailClient(config);
        break;
      case 'rds':
        client = new RDSClient(config);
        break;
      default: {
        const never: never = service;
        throw new SegError({ error_code: 'SEG_INTERNAL', message: `unknown AWS service ${String(never)}` });
      }
    }
    this.#options.decorateClient?.(client as unknown as DecoratableClient, service);
    this.#clients.set(key, client);
    return client as AwsServiceClients[S];
  }

  /**
   * Calls one operation of `service` in an account and region through {@link awsCall}: per-attempt
   * timeout, backoff on throttles, SegError on failure. `fn` receives the client and the send options.
   */
  async call<S extends AwsService, T>(
    service: S,
    accountId: string,
    region: string,
    operation: string,
    fn: (client: AwsServiceClients[S], options: { abortSignal: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    const client = this.client(service, accountId, region);
    return awsCall(
      { service, operation, account_id: accountId, region },
      (abortSignal) => fn(client, { abortSignal }),
      { timeoutMs: this.requestTimeoutMs, retry: this.#options.retry ?? DEFAULT_RETRY },
    );
  }

  /** Releases every client's sockets. */
  destroy(): void {
    for (const c of this.#clients.values()) (c as { destroy(): void }).destroy();
    this.#clients.clear();
    this.#sts?.destroy();
    this.#sts = undefined;
  }
}
