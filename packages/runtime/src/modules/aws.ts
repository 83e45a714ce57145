import { SegError } from '@neurocipher/seg-contracts';
import type * as AwsAdapterPackage from '@neurocipher/seg-adapter-aws';
import type { AwsPartSettings } from '@neurocipher/seg-adapter-aws';
import type { SegConfig } from '../config/seg-config.ts';

/** The AWS adapter package, loaded on first use only: a config that names no AWS part never loads it. */
export type AwsAdapter = typeof AwsAdapterPackage;

/**
 * Imports `@neurocipher/seg-adapter-aws` (an optional peer dependency of the runtime) for `what`;
 * `SEG_ADAPTER_UNAVAILABLE` saying how to install it when it is absent.
 */
export async function loadAwsAdapter(what: string): Promise<AwsAdapter> {
  try {
    return await import('@neurocipher/seg-adapter-aws');
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new SegError({
      error_code: 'SEG_ADAPTER_UNAVAILABLE',
      message: `${what} needs the AWS adapter: npm install @neurocipher/seg-adapter-aws`,
      details: { package: '@neurocipher/seg-adapter-aws' },
      cause,
    });
  }
}

/** Endpoint and region of the S3 and KMS parts: `aws.endpoint_url`, `aws.region`, else the first of `aws.regions`, else us-east-1. */
export function awsPartSettings(config: Pick<SegConfig, 'aws'>): AwsPartSettings {
  return {
    endpoint: config.aws.endpoint_url ?? null,
    region: config.aws.region ?? config.aws.regions[0] ?? 'us-east-1',
  };
}
